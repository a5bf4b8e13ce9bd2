// Orbit camera of the 3D view: orbits a target, pans in the view plane, zooms by distance.
// `up` is a world axis (from ViewCoordinates, default +Z). No GL.
#pragma once

#include <glm/glm.hpp>

namespace rerun::viewer {

struct Bounds {
    glm::vec3 min{1e30f};
    glm::vec3 max{-1e30f};
    bool valid() const { return min.x <= max.x; }
    void add(const glm::vec3& p) {
        min = glm::min(min, p);
        max = glm::max(max, p);
    }
    void add(const Bounds& b) {
        if (b.valid()) {
            add(b.min);
            add(b.max);
        }
    }
    glm::vec3 center() const { return (min + max) * 0.5f; }
    float radius() const { return glm::length(max - min) * 0.5f; }
};

class OrbitCamera {
  public:
    glm::vec3 target{0.0f};
    float distance = 10.0f;
    float yaw = 0.785f;   // radians around `up`
    float pitch = 0.45f;  // radians above the horizontal plane
    float fov_y = 0.8f;   // radians
    glm::vec3 up{0, 0, 1};

    // Drag deltas in pixels.
    void orbit(float dx, float dy);
    void pan(float dx, float dy, float viewport_height);
    // factor < 1 zooms in.
    void zoom(float factor);
    // Frames the bounds from the default direction.
    void fit(const Bounds& bounds);
    void set_up(const glm::vec3& axis);

    glm::vec3 eye() const;
    glm::mat4 view() const;
    glm::mat4 projection(float aspect) const;
    // Near/far follow the distance so large and tiny scenes both work.
    float near_plane() const { return distance * 0.01f; }
    float far_plane() const { return distance * 1000.0f; }

    // World -> pixel coordinates inside a viewport of the given size (y down); z < 0 when behind.
    glm::vec3 project(const glm::vec3& world, float width, float height) const;

  private:
    void basis(glm::vec3& a, glm::vec3& b) const;
};

}  // namespace rerun::viewer
