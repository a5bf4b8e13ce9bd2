#include "camera.hpp"

#include <algorithm>
#include <cmath>
#include <glm/gtc/matrix_transform.hpp>

namespace rerun::viewer {

void OrbitCamera::basis(glm::vec3& a, glm::vec3& b) const {
    // Two horizontal axes perpendicular to `up`, right-handed with it.
    const glm::vec3 ref = std::abs(up.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
    a = glm::normalize(ref - up * glm::dot(ref, up));
    b = glm::cross(up, a);
}

void OrbitCamera::orbit(float dx, float dy) {
    yaw -= dx * 0.008f;
    pitch = std::clamp(pitch + dy * 0.008f, -1.55f, 1.55f);
}

void OrbitCamera::pan(float dx, float dy, float viewport_height) {
    const glm::vec3 forward = glm::normalize(target - eye());
    const glm::vec3 right = glm::normalize(glm::cross(forward, up));
    const glm::vec3 cam_up = glm::cross(right, forward);
    const float world_per_pixel =
        2.0f * distance * std::tan(fov_y * 0.5f) / std::max(viewport_height, 1.0f);
    target += (-dx * right + dy * cam_up) * world_per_pixel;
}

void OrbitCamera::zoom(float factor) {
    distance = std::clamp(distance * factor, 1e-4f, 1e7f);
}

void OrbitCamera::fit(const Bounds& bounds) {
    yaw = 0.785f;
    pitch = 0.45f;
    if (!bounds.valid()) {
        target = glm::vec3(0);
        distance = 10.0f;
        return;
    }
    target = bounds.center();
    const float r = std::max(bounds.radius(), 1e-3f);
    distance = r / std::sin(fov_y * 0.5f) * 1.1f;
}

void OrbitCamera::set_up(const glm::vec3& axis) {
    up = glm::normalize(axis);
}

glm::vec3 OrbitCamera::eye() const {
    glm::vec3 a, b;
    basis(a, b);
    const glm::vec3 dir =
        std::cos(pitch) * (std::cos(yaw) * a + std::sin(yaw) * b) + std::sin(pitch) * up;
    return target + dir * distance;
}

glm::mat4 OrbitCamera::view() const {
    return glm::lookAt(eye(), target, up);
}

glm::mat4 OrbitCamera::projection(float aspect) const {
    return glm::perspective(fov_y, std::max(aspect, 1e-3f), near_plane(), far_plane());
}

glm::vec3 OrbitCamera::project(const glm::vec3& world, float width, float height) const {
    const glm::vec4 clip =
        projection(width / std::max(height, 1.0f)) * view() * glm::vec4(world, 1);
    if (clip.w <= 0) return {0, 0, -1};
    const glm::vec3 ndc = glm::vec3(clip) / clip.w;
    return {(ndc.x * 0.5f + 0.5f) * width, (0.5f - ndc.y * 0.5f) * height, ndc.z};
}

}  // namespace rerun::viewer
