// Synthetic recordings for the viewer tests and the demo: chunks built with core types only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rerun/core/chunk.hpp"
#include "rerun/core/component_types.hpp"
#include "rerun/ingest/store_hub.hpp"

namespace rerun::viewer::testing {

// Builds one chunk of an entity, row by row or column by column.
class ChunkBuilder {
  public:
    // Temporal chunk on `timeline` with the given times (one row each); static when empty.
    ChunkBuilder(const std::string& entity, const std::string& timeline, std::vector<int64_t> times,
                 core::TimeType type = core::TimeType::Sequence);
    static ChunkBuilder static_chunk(const std::string& entity, uint64_t rows = 1);

    // Fixed-width component: `per_row[r]` holds the scalars of row r (instances x width).
    template <class T>
    ChunkBuilder& fixed(const std::string& archetype, const std::string& field,
                        const core::ComponentTypeInfo& type,
                        const std::vector<std::vector<T>>& per_row);
    // One instance per row, all rows' scalars in one array (big columns without per-row vectors).
    template <class T>
    ChunkBuilder& fixed_flat(const std::string& archetype, const std::string& field,
                             const core::ComponentTypeInfo& type, std::vector<T> values);
    // Utf8 component, one string per row.
    ChunkBuilder& text(const std::string& archetype, const std::string& field,
                       const core::ComponentTypeInfo& type,
                       const std::vector<std::string>& per_row);
    // List component: per row, a list of instances, each a list of scalars.
    template <class T>
    ChunkBuilder& list(const std::string& archetype, const std::string& field,
                       const core::ComponentTypeInfo& type,
                       const std::vector<std::vector<std::vector<T>>>& per_row);

    core::ChunkPtr build();

  private:
    ChunkBuilder() = default;
    std::shared_ptr<core::Chunk> chunk_;
};

// Puts a whole demo recording into the hub: points, boxes, strips, arrows, a mesh, an image, a
// depth image with 2D overlays, scalar series, text logs and a markdown document.
void fill_demo_recording(ingest::StoreHub& hub, const std::string& recording_id,
                         const std::string& app_id, int frames = 100);
// A recording with just one red point cloud at the origin on a black background
// (for pixel checks) and a green scalar series.
void fill_pixel_test_recording(ingest::StoreHub& hub, const std::string& recording_id);
// `points` random points in one chunk (benchmarks).
void fill_big_points(ingest::StoreHub& hub, const std::string& recording_id, size_t points);
// One scalar series of `samples` rows (benchmarks).
void fill_big_series(ingest::StoreHub& hub, const std::string& recording_id, size_t samples);

core::StoreInfo store_info(const std::string& recording_id, const std::string& app_id);

}  // namespace rerun::viewer::testing
