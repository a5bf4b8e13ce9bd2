// Components: typed columns. A component column of a chunk holds, for each row, a list of
// instances (zero or more: a batch of points, one scalar, one string). An instance is either
//   Fixed: `width` scalars (a Position3D is 3 x f32, a Color 1 x u32, a Scalar 1 x f64), or
//   List:  a variable-length list of elements of `width` scalars (a line strip of f32x3 points,
//          image bytes as u8, triangle indices), or
//   Utf8:  a variable-length UTF-8 string (u8 elements, validated).
// The component's name says what it means; the element type says how it is stored.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "rerun/core/buffer.hpp"

namespace rerun::core {

enum class ScalarType : uint8_t {
    U8 = 1,
    U16 = 2,
    U32 = 3,
    U64 = 4,
    I8 = 5,
    I16 = 6,
    I32 = 7,
    I64 = 8,
    F32 = 9,
    F64 = 10,
};
bool is_valid_scalar_type(uint8_t value);
constexpr size_t scalar_size(ScalarType type) {
    switch (type) {
        case ScalarType::U8:
        case ScalarType::I8:
            return 1;
        case ScalarType::U16:
        case ScalarType::I16:
            return 2;
        case ScalarType::U32:
        case ScalarType::I32:
        case ScalarType::F32:
            return 4;
        case ScalarType::U64:
        case ScalarType::I64:
        case ScalarType::F64:
            return 8;
    }
    return 1;
}
std::string_view scalar_type_name(ScalarType type);

enum class ElementKind : uint8_t { Fixed = 1, List = 2, Utf8 = 3 };
bool is_valid_element_kind(uint8_t value);

struct ElementType {
    ElementKind kind = ElementKind::Fixed;
    ScalarType scalar = ScalarType::F32;
    uint16_t width = 1;  // scalars per element (Utf8: 1 x u8)

    constexpr size_t element_size() const { return scalar_size(scalar) * width; }
    bool operator==(const ElementType&) const = default;
    std::string to_string() const;  // e.g. "f32x3", "list<f32x3>", "utf8"
};

// Upstream's three-part descriptor. `component` identifies the column within an entity
// ("Points3D:positions"); `archetype` ("rerun.archetypes.Points3D") and `component_type`
// ("rerun.components.Position3D") say which archetype logged it and what it means. Only
// `component` is required.
struct ComponentDescriptor {
    std::string archetype;
    std::string component;
    std::string component_type;

    bool operator==(const ComponentDescriptor&) const = default;
};

struct ComponentColumn {
    ComponentDescriptor descriptor;
    ElementType type;
    uint64_t num_rows = 0;

    // Empty: every row present. Else num_rows bytes, 0 = absent, 1 = present. An absent row has
    // no instances; a present row with zero instances is an explicit empty value.
    Buffer validity;
    // Empty: exactly one instance per row (the common case; saves 4 bytes a row).
    // Else u32[num_rows + 1], non-decreasing, [0] == 0: instances of row r are
    // [row_offsets[r], row_offsets[r + 1]).
    Buffer row_offsets;
    // List and Utf8 only: u32[num_instances + 1] into the elements of `values`.
    Buffer list_offsets;
    // num_elements * type.element_size() bytes.
    Buffer values;

    bool is_present(uint64_t row) const { return validity.empty() || validity.data()[row] != 0; }
    // [begin, end) instance indices of a row.
    std::pair<uint32_t, uint32_t> instance_range(uint64_t row) const {
        if (row_offsets.empty()) return {uint32_t(row), uint32_t(row + 1)};
        const auto offsets = row_offsets.as_span<uint32_t>();
        return {offsets[row], offsets[row + 1]};
    }
    uint64_t num_instances() const;
    uint64_t num_elements() const { return values.size() / type.element_size(); }

    // Fixed: element i of the values as T (T's size must be the scalar size).
    template <class T>
    std::span<const T> values_as() const {
        return values.as_span<T>();
    }
    // List/Utf8: the element range of instance i.
    std::pair<uint32_t, uint32_t> list_range(uint64_t instance) const {
        const auto offsets = list_offsets.as_span<uint32_t>();
        return {offsets[instance], offsets[instance + 1]};
    }
    // Utf8: instance i as text.
    std::string_view string_at(uint64_t instance) const {
        const auto [begin, end] = list_range(instance);
        return {reinterpret_cast<const char*>(values.data()) + begin, size_t(end - begin)};
    }

    // Checks every invariant above (sizes, offsets, UTF-8). Returns "" when valid, else what is
    // wrong. The decoder calls it on everything it accepts.
    std::string validate() const;
    // Heap bytes referenced by this column.
    size_t byte_size() const {
        return validity.size() + row_offsets.size() + list_offsets.size() + values.size();
    }
};

bool is_valid_utf8(std::string_view text);

}  // namespace rerun::core
