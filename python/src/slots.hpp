// The archetype fields of the C++ SDK, addressed by index from Python.
//
// Each Python archetype class looks its fields up once, by the component name the C++ SDK uses
// ("Points3D:positions"), and passes the indices with every log call, so that a row logged from
// Python carries exactly the descriptors (archetype, component, component type) of the same row
// logged from C++, and the two merge into the same columns.
#pragma once

#include <cstddef>
#include <span>

#include <rerun.hpp>

namespace rerun::python {

// Every field of every archetype in <rerun.hpp>. The pointers are the archetypes' static
// descriptors (the SDK interns fields by address); indices are stable within one build.
std::span<const ComponentSlot* const> all_slots();

}  // namespace rerun::python
