// Blueprints are recordings too: a store of kind Blueprint, carried by the same frames as data,
// so a blueprint can be streamed, saved (.rbl) and loaded like data.
//
// Encoding (format version 1), all static chunks:
//   /viewport                 Viewport:version (u32), Viewport:root (u64 node id),
//                             Viewport:auto_layout (u8)
//   /container/<16 hex id>    Container:kind (utf8), Container:name (utf8),
//                             Container:children (list<u64>), Container:shares (list<f32>),
//                             Container:active_tab (u32), Container:grid_columns (u32)
//   /view/<16 hex id>         View:class (utf8), View:name (utf8), View:origin (utf8 path),
//                             View:contents (utf8 query), and when set View:background (u32),
//                             View:time_range (i64x2), View:x_range (f64x2), View:y_range (f64x2)
// The tree is rebuilt from /viewport by following children; nodes not reachable are ignored. For
// each entity the row with the greatest row id wins, so a store may hold successive versions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rerun/blueprint/blueprint.hpp"
#include "rerun/core/codec.hpp"

namespace rerun::blueprint {

inline constexpr uint32_t kBlueprintFormatVersion = 1;

// The chunks that describe `bp` (one static chunk per node plus /viewport).
std::vector<core::ChunkPtr> blueprint_to_chunks(const Blueprint& bp);

// Messages for a whole blueprint store: StoreInfo, the chunks, and optionally an activation.
std::vector<core::Message> blueprint_to_messages(const Blueprint& bp,
                                                 const std::string& blueprint_id,
                                                 const std::string& application_id,
                                                 bool make_active, bool make_default);

// Rebuilds a blueprint from the chunks of a blueprint store. nullopt with *error when the store
// has no viewport, a newer version, or a broken tree.
std::optional<Blueprint> blueprint_from_chunks(const std::vector<core::ChunkPtr>& chunks,
                                               std::string* error);

// .rbl files: a file header and the messages above, ending with an activation (make_active,
// not make_default), so that `rerun data.rrd layout.rbl` shows the layout. decode_rbl ignores
// activations.
core::Bytes encode_rbl(const Blueprint& bp, const std::string& application_id);
std::optional<Blueprint> decode_rbl(std::span<const uint8_t> bytes, std::string* error);

}  // namespace rerun::blueprint
