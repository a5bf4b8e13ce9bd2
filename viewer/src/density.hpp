// Where an entity's rows lie on a timeline: counts per bin, for the time panel's density strips.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "rerun/ingest/store.hpp"

namespace rerun::viewer {

// Rows of `component` of `entity` on `timeline` per bin: `bins` equal bins over [t_min, t_max]
// (rows outside go to the first or last bin). Static data counts nothing.
//
// Up to `exact_rows` rows, each row is counted where it lies (a range query: ~32 bytes a row,
// transient). Above, each stored chunk's rows are spread evenly over its time span: cost and
// memory grow with the number of chunks, not rows, and no compacted chunk is expanded (a range
// query over a 90M-row live recording held ~3 GB of results, every second).
std::vector<uint32_t> density_bins(const ingest::RecordingStore& store,
                                   const core::EntityPath& entity, std::string_view timeline,
                                   std::string_view component, core::TimeInt t_min,
                                   core::TimeInt t_max, int bins, uint64_t entity_rows,
                                   uint64_t exact_rows = 1'000'000);

}  // namespace rerun::viewer
