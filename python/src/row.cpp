// Python values -> BatchRefs -> RecordingStream::log_batches. See row.hpp for what is accepted.
#include "row.hpp"

#include <pybind11/numpy.h>

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "slots.hpp"

namespace py = pybind11;

namespace rerun::python {

namespace {

// Rows made of at most this many fields need no heap allocation for their BatchRefs.
constexpr size_t kInlineFields = 16;

// The instances of one list or utf8 batch: views into buffers that Scratch::keep holds alive.
struct Items {
    std::vector<std::span<const uint8_t>> spans;
};

std::span<const uint8_t> item_bytes(const void* data, size_t i) {
    return static_cast<const Items*>(data)->spans[i];
}

// What one log call converts, alive until log_batches has copied it.
struct Scratch {
    std::vector<py::object> keep;  // arrays made by the conversions
    std::vector<std::unique_ptr<Items>> items;
};

[[noreturn]] void fail(const ComponentSlot& slot, const std::string& what, bool type_error) {
    const std::string text = std::string(slot.component) + ": " + what;
    if (type_error) throw py::type_error(text);
    throw py::value_error(text);
}

const char* type_name(py::handle v) {
    return Py_TYPE(v.ptr())->tp_name;
}

std::string shape_text(const py::array& a) {
    std::string s = "(";
    for (py::ssize_t d = 0; d < a.ndim(); ++d) {
        if (d > 0) s += ", ";
        s += std::to_string(a.shape(d));
    }
    return s + (a.ndim() == 1 ? ",)" : ")");
}

template <class T>
bool store_integer(long long v, uint64_t* out) {
    if constexpr (std::is_signed_v<T>) {
        if (v < static_cast<long long>(std::numeric_limits<T>::min()) ||
            v > static_cast<long long>(std::numeric_limits<T>::max()))
            return false;
    } else {
        if (v < 0 || static_cast<unsigned long long>(v) > std::numeric_limits<T>::max())
            return false;
    }
    const T x = static_cast<T>(v);
    std::memcpy(out, &x, sizeof(T));
    return true;
}

enum class Single { NotANumber, Stored, OutOfRange };

// One Python float/int/bool -> one element of a width-1 field, in *out.
Single single_number(py::handle v, core::ScalarType type, uint64_t* out) {
    PyObject* o = v.ptr();
    double d = 0;
    long long i = 0;
    bool is_float;
    if (PyFloat_Check(o)) {
        d = PyFloat_AS_DOUBLE(o);
        is_float = true;
    } else if (PyLong_Check(o)) {
        int overflow = 0;
        i = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow != 0) return Single::OutOfRange;
        is_float = false;
    } else {
        return Single::NotANumber;
    }
    if (type == core::ScalarType::F64) {
        const double x = is_float ? d : double(i);
        std::memcpy(out, &x, sizeof(x));
        return Single::Stored;
    }
    if (type == core::ScalarType::F32) {
        const float x = float(is_float ? d : double(i));
        std::memcpy(out, &x, sizeof(x));
        return Single::Stored;
    }
    if (is_float) {
        if (!std::isfinite(d) || d < -9.2e18 || d > 9.2e18) return Single::OutOfRange;
        i = static_cast<long long>(d);
    }
    bool ok = false;
    switch (type) {
        case core::ScalarType::U8:
            ok = store_integer<uint8_t>(i, out);
            break;
        case core::ScalarType::U16:
            ok = store_integer<uint16_t>(i, out);
            break;
        case core::ScalarType::U32:
            ok = store_integer<uint32_t>(i, out);
            break;
        case core::ScalarType::U64:
            ok = store_integer<uint64_t>(i, out);
            break;
        case core::ScalarType::I8:
            ok = store_integer<int8_t>(i, out);
            break;
        case core::ScalarType::I16:
            ok = store_integer<int16_t>(i, out);
            break;
        case core::ScalarType::I32:
            ok = store_integer<int32_t>(i, out);
            break;
        case core::ScalarType::I64:
            ok = store_integer<int64_t>(i, out);
            break;
        default:
            break;
    }
    return ok ? Single::Stored : Single::OutOfRange;
}

// Anything numpy can read -> a C-contiguous array of the field's scalar type (no copy when it
// already is one). A null array when numpy cannot convert it.
py::array to_array(py::handle v, core::ScalarType type) {
    constexpr int kFlags = py::array::c_style | py::array::forcecast;
    switch (type) {
        case core::ScalarType::U8:
            return py::array_t<uint8_t, kFlags>::ensure(v);
        case core::ScalarType::U16:
            return py::array_t<uint16_t, kFlags>::ensure(v);
        case core::ScalarType::U32:
            return py::array_t<uint32_t, kFlags>::ensure(v);
        case core::ScalarType::U64:
            return py::array_t<uint64_t, kFlags>::ensure(v);
        case core::ScalarType::I8:
            return py::array_t<int8_t, kFlags>::ensure(v);
        case core::ScalarType::I16:
            return py::array_t<int16_t, kFlags>::ensure(v);
        case core::ScalarType::I32:
            return py::array_t<int32_t, kFlags>::ensure(v);
        case core::ScalarType::I64:
            return py::array_t<int64_t, kFlags>::ensure(v);
        case core::ScalarType::F32:
            return py::array_t<float, kFlags>::ensure(v);
        case core::ScalarType::F64:
            return py::array_t<double, kFlags>::ensure(v);
    }
    return py::array();
}

py::array checked_array(const ComponentSlot& slot, py::handle v) {
    const auto type = slot.type->type;
    py::array a = to_array(v, type.scalar);
    if (!a) {
        fail(slot,
             std::string("cannot convert a ") + type_name(v) + " to an array of " +
                 std::string(core::scalar_type_name(type.scalar)),
             true);
    }
    return a;
}

// Fixed-size fields: one number, or an array of n x width scalars.
void fixed_batch(const ComponentSlot& slot, py::handle v, detail::BatchRef& ref, uint64_t* single,
                 Scratch& scratch) {
    const auto type = slot.type->type;
    ref.stride = type.element_size();
    if (type.width == 1) {
        switch (single_number(v, type.scalar, single)) {
            case Single::Stored:
                ref.data = single;
                ref.num_instances = 1;
                return;
            case Single::OutOfRange:
                fail(slot,
                     std::string(py::str(v)) + " is out of range for " +
                         std::string(core::scalar_type_name(type.scalar)),
                     false);
            case Single::NotANumber:
                break;
        }
    }
    py::array a = checked_array(slot, v);
    const size_t width = type.width;
    const auto total = size_t(a.size());
    if (width > 1 &&
        ((a.ndim() >= 2 && size_t(a.shape(a.ndim() - 1)) != width) || total % width != 0)) {
        fail(slot,
             "expected " + std::to_string(width) + " values per instance (shape (n, " +
                 std::to_string(width) + ")), got shape " + shape_text(a),
             false);
    }
    ref.data = a.data();
    ref.num_instances = total / width;
    scratch.keep.push_back(std::move(a));
}

// One instance of a list field from one array: (k, width) or k * width flat values.
std::span<const uint8_t> list_instance(const ComponentSlot& slot, const py::array& a) {
    const size_t width = slot.type->type.width;
    if (a.ndim() > 2 || (a.ndim() == 2 && size_t(a.shape(1)) != width) ||
        size_t(a.size()) % width != 0) {
        fail(slot,
             "expected an array of shape (k, " + std::to_string(width) + ") per instance, got " +
                 shape_text(a),
             false);
    }
    return {static_cast<const uint8_t*>(a.data()), size_t(a.nbytes())};
}

void list_batch(const ComponentSlot& slot, py::handle v, detail::BatchRef& ref, Scratch& scratch) {
    auto items = std::make_unique<Items>();
    const size_t width = slot.type->type.width;
    if (py::isinstance<py::array>(v)) {
        py::array a = checked_array(slot, v);
        if (a.ndim() == 3) {
            // (n, k, width): n instances of k elements each.
            if (size_t(a.shape(2)) != width) {
                fail(slot,
                     "expected shape (n, k, " + std::to_string(width) + "), got " + shape_text(a),
                     false);
            }
            const size_t n = size_t(a.shape(0));
            const size_t bytes = n == 0 ? 0 : size_t(a.nbytes()) / n;
            const auto* base = static_cast<const uint8_t*>(a.data());
            items->spans.reserve(n);
            for (size_t i = 0; i < n; ++i)
                items->spans.emplace_back(base + i * bytes, bytes);
        } else {
            items->spans.push_back(list_instance(slot, a));
        }
        scratch.keep.push_back(std::move(a));
    } else {
        PyObject* seq = PySequence_Fast(v.ptr(), "");
        if (seq == nullptr) {
            PyErr_Clear();
            fail(slot,
                 std::string("expected an array or a sequence of arrays, got a ") + type_name(v),
                 true);
        }
        auto owned = py::reinterpret_steal<py::object>(seq);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        PyObject** elems = PySequence_Fast_ITEMS(seq);
        items->spans.reserve(size_t(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            py::array a = checked_array(slot, elems[i]);
            items->spans.push_back(list_instance(slot, a));
            scratch.keep.push_back(std::move(a));
        }
        scratch.keep.push_back(std::move(owned));
    }
    ref.data = items.get();
    ref.num_instances = items->spans.size();
    ref.instance_bytes = &item_bytes;
    scratch.items.push_back(std::move(items));
}

std::span<const uint8_t> utf8_of(const ComponentSlot& slot, PyObject* o, Py_ssize_t index) {
    if (!PyUnicode_Check(o)) {
        fail(slot,
             index < 0 ? std::string("expected a str or a sequence of str, got a ") + type_name(o)
                       : "item " + std::to_string(index) + " is a " + type_name(o) + ", not a str",
             true);
    }
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(o, &size);
    if (text == nullptr) throw py::error_already_set();
    return {reinterpret_cast<const uint8_t*>(text), size_t(size)};
}

void utf8_batch(const ComponentSlot& slot, py::handle v, detail::BatchRef& ref, Scratch& scratch) {
    auto items = std::make_unique<Items>();
    if (PyUnicode_Check(v.ptr())) {
        items->spans.push_back(utf8_of(slot, v.ptr(), -1));
    } else {
        PyObject* seq = PySequence_Fast(v.ptr(), "");
        if (seq == nullptr) {
            PyErr_Clear();
            utf8_of(slot, v.ptr(), -1);  // raises the type error
        }
        auto owned = py::reinterpret_steal<py::object>(seq);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
        PyObject** elems = PySequence_Fast_ITEMS(seq);
        items->spans.reserve(size_t(n));
        for (Py_ssize_t i = 0; i < n; ++i)
            items->spans.push_back(utf8_of(slot, elems[i], i));
        scratch.keep.push_back(std::move(owned));
    }
    ref.data = items.get();
    ref.num_instances = items->spans.size();
    ref.instance_bytes = &item_bytes;
    scratch.items.push_back(std::move(items));
}

}  // namespace

Error log_row(const RecordingStream& rec, std::string_view entity_path, bool is_static,
              py::handle slots, py::handle values) {
    if (!rec.is_enabled()) return Error::ok();
    PyObject* s = PySequence_Fast(slots.ptr(), "log: the slots must be a tuple");
    if (s == nullptr) throw py::error_already_set();
    auto s_owned = py::reinterpret_steal<py::object>(s);
    PyObject* v = PySequence_Fast(values.ptr(), "log: the values must be a tuple");
    if (v == nullptr) throw py::error_already_set();
    auto v_owned = py::reinterpret_steal<py::object>(v);
    const auto n = size_t(PySequence_Fast_GET_SIZE(s));
    if (size_t(PySequence_Fast_GET_SIZE(v)) != n) {
        throw py::value_error("log: " + std::to_string(n) + " fields but " +
                              std::to_string(PySequence_Fast_GET_SIZE(v)) + " values");
    }
    PyObject** slot_items = PySequence_Fast_ITEMS(s);
    PyObject** value_items = PySequence_Fast_ITEMS(v);

    std::array<detail::BatchRef, kInlineFields> inline_refs;
    std::array<uint64_t, kInlineFields> inline_singles;
    std::vector<detail::BatchRef> heap_refs;
    std::vector<uint64_t> heap_singles;
    detail::BatchRef* refs = inline_refs.data();
    uint64_t* singles = inline_singles.data();
    if (n > kInlineFields) {
        heap_refs.resize(n);
        heap_singles.resize(n);
        refs = heap_refs.data();
        singles = heap_singles.data();
    }

    const auto table = all_slots();
    Scratch scratch;
    size_t count = 0;
    for (size_t i = 0; i < n; ++i) {
        PyObject* value = value_items[i];
        if (value == Py_None) continue;
        const long index = PyLong_AsLong(slot_items[i]);
        if (index < 0 || size_t(index) >= table.size()) {
            if (PyErr_Occurred()) throw py::error_already_set();
            throw py::value_error("log: unknown field index " + std::to_string(index));
        }
        const ComponentSlot& slot = *table[size_t(index)];
        detail::BatchRef& ref = refs[count];
        ref = detail::BatchRef{};
        ref.slot = &slot;
        switch (slot.type->type.kind) {
            case core::ElementKind::Fixed:
                fixed_batch(slot, value, ref, &singles[count], scratch);
                break;
            case core::ElementKind::List:
                list_batch(slot, value, ref, scratch);
                break;
            case core::ElementKind::Utf8:
                utf8_batch(slot, value, ref, scratch);
                break;
        }
        ++count;
    }
    return rec.log_batches(entity_path, is_static, refs, count);
}

}  // namespace rerun::python
