// One log call from Python: the fields of one or more archetypes -> one row of the C++ SDK.
//
// `slots` and `values` are equally long sequences: values[i] is the data of field slots[i] (an
// index into all_slots()); None values are skipped. What a value may be depends on the field's
// element type (core::component_types):
//   - fixed (Position3D f32x3, Color u32, Scalar f64, ...): a Python float/int/bool (one
//     instance; single-scalar fields only), or anything numpy turns into an array of the field's
//     scalar type: a numpy array of any dtype (cast), a list, a tuple. With 2 or more dimensions
//     the last one must be the field's width (3 for Position3D); a flat array must hold a multiple
//     of it. C-contiguous arrays of the right dtype are read in place.
//   - utf8 (Text, Name, ...): a str (one instance) or a sequence of str.
//   - list (LineStrip3D list<f32x3>, ImageBuffer list<u8>): an array of shape (n, k, width) is n
//     instances of k elements; a 2-D array (k, width) or a flat array is one instance; any other
//     sequence holds one such array per instance. ImageBuffer takes one buffer (the pixels).
// No Python-level loop runs per element: arrays are converted by numpy and read as one buffer;
// strings and strips are walked in C++.
//
// The SDK copies everything it needs before log_row returns, so the caller's arrays may change
// afterwards. Errors in the values raise ValueError/TypeError naming the field; the row is then
// not logged.
#pragma once

#include <pybind11/pybind11.h>

#include <string_view>

#include <rerun.hpp>

namespace rerun::python {

// Converts and logs. Returns the SDK's error (e.g. queue full) without raising it.
Error log_row(const RecordingStream& rec, std::string_view entity_path, bool is_static,
              pybind11::handle slots, pybind11::handle values);

}  // namespace rerun::python
