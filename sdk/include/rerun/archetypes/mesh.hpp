// Mesh3D and Clear.
#pragma once

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct Mesh3D {
    RERUN_ARCHETYPE_SLOT(Mesh3D, vertex_positions, Position3D);
    RERUN_ARCHETYPE_SLOT(Mesh3D, triangle_indices, TriangleIndices);
    RERUN_ARCHETYPE_SLOT(Mesh3D, vertex_normals, Vector3D);
    RERUN_ARCHETYPE_SLOT(Mesh3D, vertex_colors, Color);
    RERUN_ARCHETYPE_SLOT(Mesh3D, vertex_texcoords, Texcoord2D);
    RERUN_ARCHETYPE_SLOT(Mesh3D, albedo_factor, Color);
    RERUN_ARCHETYPE_SLOT(Mesh3D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(Mesh3D, vertex_positions, components::Position3D)
    RERUN_ARCHETYPE_FIELD(Mesh3D, triangle_indices, components::TriangleIndices)
    RERUN_ARCHETYPE_FIELD(Mesh3D, vertex_normals, components::Vector3D)
    RERUN_ARCHETYPE_FIELD(Mesh3D, vertex_colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Mesh3D, vertex_texcoords, components::Texcoord2D)
    RERUN_ARCHETYPE_FIELD(Mesh3D, albedo_factor, components::Color)
    RERUN_ARCHETYPE_FIELD(Mesh3D, class_ids, components::ClassId)

    Mesh3D() = default;
    // Preferred for `Mesh3D({x})`, which would otherwise be ambiguous with the copy constructor.
    Mesh3D(std::initializer_list<components::Position3D> vertex_positions_)
        : vertex_positions(Collection<components::Position3D>(vertex_positions_)) {}
    Mesh3D(Collection<components::Position3D> vertex_positions_)
        : vertex_positions(std::move(vertex_positions_)) {}

    RERUN_ARCHETYPE_UPDATES(Mesh3D, vertex_positions, triangle_indices, vertex_normals,
                            vertex_colors, vertex_texcoords, albedo_factor, class_ids)

    static constexpr size_t kMaxBatches = 7;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_vertex_positions, vertex_positions);
        detail::push_batch(out, Descriptor_triangle_indices, triangle_indices);
        detail::push_batch(out, Descriptor_vertex_normals, vertex_normals);
        detail::push_batch(out, Descriptor_vertex_colors, vertex_colors);
        detail::push_batch(out, Descriptor_vertex_texcoords, vertex_texcoords);
        detail::push_batch(out, Descriptor_albedo_factor, albedo_factor);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

// Clears the entity (recursive: and everything below it) from this time on.
struct Clear {
    RERUN_ARCHETYPE_SLOT(Clear, is_recursive, ClearIsRecursive);
    RERUN_ARCHETYPE_FIELD(Clear, is_recursive, components::ClearIsRecursive)

    Clear() = default;
    explicit Clear(bool recursive)
        : is_recursive(
              Collection<components::ClearIsRecursive>(components::ClearIsRecursive(recursive))) {}

    static const Clear FLAT;
    static const Clear RECURSIVE;

    RERUN_ARCHETYPE_UPDATES(Clear, is_recursive)

    static constexpr size_t kMaxBatches = 1;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_is_recursive, is_recursive);
        return size_t(out - begin);
    }
};
inline const Clear Clear::FLAT{false};
inline const Clear Clear::RECURSIVE{true};

}  // namespace rerun::archetypes
