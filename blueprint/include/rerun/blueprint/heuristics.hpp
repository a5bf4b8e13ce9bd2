// The default layout, from the data present: one view per suitable origin and class, bounded.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "rerun/blueprint/blueprint.hpp"

namespace rerun::blueprint {

// What the heuristics need to know of one entity: its path, the component types it has
// (e.g. "rerun.components.Position3D") and the archetypes that logged them
// (e.g. "rerun.archetypes.TextLog"), where known.
struct EntityInfo {
    core::EntityPath path;
    std::set<std::string> component_types;
    std::set<std::string> archetypes;
};

inline constexpr size_t kMaxDefaultViews = 12;

// A layout with one 3D view for all 3D content, a 2D view per image (or per 2D root), one time
// series view for all scalars, one text log view, and a view per text document; at most
// kMaxDefaultViews, in a grid. Deterministic for the same input. auto_layout is true.
Blueprint default_blueprint(const std::vector<EntityInfo>& entities);

}  // namespace rerun::blueprint
