#include "scene.hpp"

namespace rerun::viewer {

void Scene3D::clear() {
    entities.clear();
    points.clear();
    point_ids.clear();
    lines.clear();
    line_ids.clear();
    triangles.clear();
    labels.clear();
    bounds = Bounds{};
    up = glm::vec3(0.0f);
}

uint32_t Scene3D::entity_index(const core::EntityPath& path) {
    for (size_t i = 0; i < entities.size(); ++i) {
        if (entities[i] == path) return uint32_t(i);
    }
    entities.push_back(path);
    return uint32_t(entities.size() - 1);
}

void Scene2D::clear() {
    entities.clear();
    images.clear();
    segments.clear();
    points.clear();
    labels.clear();
    min = glm::vec2(1e30f);
    max = glm::vec2(-1e30f);
}

uint32_t Scene2D::entity_index(const core::EntityPath& path) {
    for (size_t i = 0; i < entities.size(); ++i) {
        if (entities[i] == path) return uint32_t(i);
    }
    entities.push_back(path);
    return uint32_t(entities.size() - 1);
}

}  // namespace rerun::viewer
