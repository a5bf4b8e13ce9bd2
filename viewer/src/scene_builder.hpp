// From store queries to scenes: the archetypes the SDK logs (Points3D, Boxes3D, LineStrips3D,
// Arrows3D, Mesh3D, Pinhole, Transform3D, ViewCoordinates; Image, DepthImage, Points2D, Boxes2D,
// LineStrips2D, Arrows2D) become flat arrays for the renderer. No GL, no ImGui: unit-tested.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <glm/glm.hpp>

#include "data_access.hpp"
#include "scene.hpp"

namespace rerun::viewer {

// A distinct, stable colour per entity (0xRRGGBBAA), used when nothing was logged.
uint32_t auto_color(const EntityPath& path);

// Default point radius when none is logged: 2.5 px.
inline constexpr float kDefaultPointRadius = -2.5f;
inline constexpr float kDefaultLineRadius = -1.0f;

// World-from-entity transforms along entity paths (Transform3D of every ancestor, composed),
// memoised for one query.
class TransformCache {
  public:
    explicit TransformCache(const RecordingQuery& query) : query_(query) {}
    const glm::mat4& world_from(const EntityPath& path);
    // Transform3D logged at this entity alone (identity when none).
    glm::mat4 local(const EntityPath& path) const;

  private:
    const RecordingQuery& query_;
    std::map<EntityPath, glm::mat4> cache_;
};

// The up axis a ViewCoordinates at `origin` or one of its ancestors implies, or zero.
glm::vec3 view_up(const RecordingQuery& query, const EntityPath& origin);

// Rebuilds `scene` (clears it, bumps its version) from the 3D content of `entities`.
void build_scene3d(const RecordingQuery& query, const std::vector<EntityPath>& entities,
                   Scene3D& scene);

// Converted images, kept between frames: an image is converted again only when its row changes.
class ImageCache {
  public:
    // `key`: one slot per entity and image kind.
    std::shared_ptr<const ImageRGBA> get(uint64_t key, const ComponentRow& buffer,
                                         const ComponentRow& format, bool depth, uint64_t* version);

  private:
    struct Entry {
        core::ChunkPtr chunk;  // held, so its address cannot be reused by another chunk
        const core::ComponentColumn* column = nullptr;
        uint32_t begin = 0;
        uint64_t version = 0;
        std::shared_ptr<const ImageRGBA> image;
    };
    std::map<uint64_t, Entry> entries_;
    uint64_t next_version_ = 1;
};

// Rebuilds `scene` from the 2D content of `entities` (images, points, boxes, strips, arrows).
void build_scene2d(const RecordingQuery& query, const std::vector<EntityPath>& entities,
                   ImageCache& images, Scene2D& scene);

// Pixels of an Image/DepthImage row as RGBA8. Depth values are mapped through a turbo-like
// colour map over their own min..max. Returns false (and leaves `out` empty) for an unsupported
// or inconsistent format.
bool image_to_rgba(std::span<const uint8_t> bytes, uint32_t width, uint32_t height,
                   uint32_t color_model, uint32_t scalar, bool depth, ImageRGBA& out);

}  // namespace rerun::viewer
