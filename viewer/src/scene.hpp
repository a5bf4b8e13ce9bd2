// What the views hand to the renderer: flat, GPU-ready arrays in world space (3D) or pixel space
// of the image (2D). Built on the CPU from store queries (scene_builder.cpp), uploaded to the GPU
// only when `version` changes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "camera.hpp"
#include "rerun/core/entity_path.hpp"

namespace rerun::viewer {

// Which entity (index into Scene3D::entities) and instance a drawn thing came from.
struct PickId {
    uint32_t entity = 0;
    uint32_t instance = 0;
};

// Radii and widths: > 0 world units, < 0 pixels (-2 = 2 px), as upstream's "ui points".
struct PointInstance {
    glm::vec3 position;
    float radius;
    uint32_t color;  // 0xRRGGBBAA
};
struct LineInstance {
    glm::vec3 a;
    float radius;
    glm::vec3 b;
    uint32_t color;
};
struct MeshVertex {
    glm::vec3 position;
    uint32_t color;
};

struct Label {
    glm::vec3 position;
    std::string text;
    uint32_t color;
};

struct Scene3D {
    std::vector<core::EntityPath> entities;
    std::vector<PointInstance> points;
    std::vector<PickId> point_ids;  // parallel to points
    std::vector<LineInstance> lines;
    std::vector<PickId> line_ids;       // parallel to lines
    std::vector<MeshVertex> triangles;  // 3 vertices per triangle
    std::vector<Label> labels;
    Bounds bounds;
    // Up axis from ViewCoordinates at the view's origin (or an ancestor); zero when unknown.
    glm::vec3 up{0.0f};
    uint64_t version = 0;  // bump after changing the arrays

    void clear();
    uint32_t entity_index(const core::EntityPath& path);
};

// A 2D image converted to RGBA8 for display.
struct ImageRGBA {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // width * height * 4, rows top to bottom
};

struct Image2D {
    core::EntityPath entity;
    uint64_t key = 0;      // stable per entity: the texture slot
    uint64_t version = 0;  // changes when the pixels change
    std::shared_ptr<const ImageRGBA> pixels;
    float opacity = 1.0f;
    float draw_order = 0.0f;
};

struct Point2D {
    glm::vec2 position;
    float radius;
    uint32_t color;
    PickId id;
};
struct Segment2D {
    glm::vec2 a, b;
    float radius;
    uint32_t color;
    PickId id;
};
struct Label2D {
    glm::vec2 position;
    std::string text;
    uint32_t color;
};

struct Scene2D {
    std::vector<core::EntityPath> entities;
    std::vector<Image2D> images;  // sorted by draw order
    std::vector<Segment2D> segments;
    std::vector<Point2D> points;
    std::vector<Label2D> labels;
    glm::vec2 min{1e30f}, max{-1e30f};  // bounds of everything, in pixel space

    void clear();
    uint32_t entity_index(const core::EntityPath& path);
    void add_bounds(glm::vec2 p) {
        min = glm::min(min, p);
        max = glm::max(max, p);
    }
};

// The renderer behind a narrow interface: the GL one draws; the mock one only counts, so view
// logic runs in tests without a GPU. Texture handles are opaque (GLuint for GL, ImTextureID).
class Renderer {
  public:
    virtual ~Renderer() = default;

    struct Frame3D {
        glm::mat4 view_projection{1.0f};
        glm::vec3 eye{0.0f};
        int width = 0, height = 0;  // framebuffer pixels
        uint32_t background = 0x101418ff;
    };
    // Draws `scene` and `overlay` (grid, axes: small, changed rarely) into the offscreen target
    // `target` (one per view) and returns the colour texture to show. GPU buffers are refilled
    // only when a scene's version differs from the one uploaded for that target.
    virtual uint64_t render3d(uint64_t target, const Scene3D& scene, const Scene3D& overlay,
                              const Frame3D& frame) = 0;
    // Texture of an RGBA8 image, uploaded again only when `version` changes for `key`.
    virtual uint64_t image_texture(uint64_t key, uint64_t version, const ImageRGBA& image) = 0;
    // Frees a target or image texture (a view closed, an entity gone).
    virtual void release(uint64_t key) = 0;

    struct Stats {
        uint64_t frames3d = 0;
        uint64_t scene_uploads = 0;
        uint64_t image_uploads = 0;
        uint64_t points_drawn = 0;  // in the last render3d
        uint64_t lines_drawn = 0;
        uint64_t triangles_drawn = 0;
    };
    virtual Stats stats() const = 0;
};

std::unique_ptr<Renderer> make_mock_renderer();
// Needs a current OpenGL 3.3 core context (gl_renderer.cpp, in the GUI library).
std::unique_ptr<Renderer> make_gl_renderer();

}  // namespace rerun::viewer
