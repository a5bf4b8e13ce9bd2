// How archetypes hand their data to RecordingStream::log without copying or allocating:
// each optional field becomes one BatchRef (a static descriptor + a view of the values).
// The stream copies what it needs before log() returns. Internal to the SDK.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "rerun/collection.hpp"
#include "rerun/components.hpp"
#include "rerun/core/component_types.hpp"

namespace rerun {

// The descriptor of one archetype field, e.g. {"rerun.archetypes.Points3D",
// "Points3D:positions", Position3D}. Archetypes define them as static constexpr members, so a
// field is identified by the slot's address on the hot path.
struct ComponentSlot {
    std::string_view archetype;
    std::string_view component;
    const core::ComponentTypeInfo* type = nullptr;
};

namespace detail {

struct BatchRef {
    const ComponentSlot* slot = nullptr;
    const void* data = nullptr;  // the component values
    size_t num_instances = 0;
    // Fixed kinds: bytes per instance (== the element size). List/Utf8 kinds: 0, and
    // instance_bytes(data, i) gives the element bytes of instance i.
    size_t stride = 0;
    std::span<const uint8_t> (*instance_bytes)(const void* data, size_t i) = nullptr;
    // The shared owner of `data` when the batch owns it (lets big batches travel without copy).
    const std::shared_ptr<const void>* owner = nullptr;
};

template <class C>
std::span<const uint8_t> instance_bytes_of(const void* data, size_t i) {
    const C& c = static_cast<const C*>(data)[i];
    if constexpr (requires { c.bytes(); }) {
        return c.bytes();
    } else {
        const std::string_view v = c.as_view();
        return {reinterpret_cast<const uint8_t*>(v.data()), v.size()};
    }
}

template <class C>
BatchRef batch_ref(const ComponentSlot& slot, const Collection<C>& values) {
    BatchRef ref;
    ref.slot = &slot;
    ref.data = values.data();
    ref.num_instances = values.size();
    if (values.owner()) ref.owner = &values.owner();
    constexpr auto type = components::TypeInfoOf<C>::get().type;
    if constexpr (type.kind == core::ElementKind::Fixed) {
        static_assert(sizeof(C) == type.element_size(),
                      "a fixed-size component must be laid out as its element type");
        ref.stride = sizeof(C);
    } else {
        ref.instance_bytes = &instance_bytes_of<C>;
    }
    return ref;
}

// Appends the ref of an optional field when it is set.
template <class C>
void push_batch(BatchRef*& out, const ComponentSlot& slot,
                const std::optional<Collection<C>>& values) {
    if (values) *out++ = batch_ref(slot, *values);
}
template <class C>
void push_batch(BatchRef*& out, const ComponentSlot& slot, const Collection<C>& values) {
    *out++ = batch_ref(slot, values);
}

}  // namespace detail

// An archetype's batches split into rows, for RecordingStream::send_columns: every batch holds
// `lengths[r]` instances for row r (empty lengths: one instance per row).
template <class T>
struct ArchetypeColumns {
    T archetype;
    std::vector<uint32_t> lengths;
};

// Anything with `size_t collect_batches(detail::BatchRef* out) const` and a `kMaxBatches`
// constant can be passed to RecordingStream::log.
template <class T>
concept AsComponents = requires(const T& t, detail::BatchRef* out) {
    { t.collect_batches(out) } -> std::convertible_to<size_t>;
    { T::kMaxBatches } -> std::convertible_to<size_t>;
};

}  // namespace rerun
