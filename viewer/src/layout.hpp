// The view layout: until the blueprint panel lands (issue 6), the heuristic default blueprint of
// rerun_blueprint, recomputed as entities appear, cut into rectangles here.
#pragma once

#include <string>
#include <vector>

#include "data_access.hpp"
#include "rerun/blueprint/blueprint.hpp"

namespace rerun::viewer {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
};

struct PlacedView {
    const blueprint::View* view = nullptr;
    Rect rect;
};

// Splits `rect` among the container's children (shares, grid columns; tabs show the active one).
void layout_container(const blueprint::Container& container, Rect rect, float gap,
                      std::vector<PlacedView>& out);

// A key that survives recomputing the default blueprint (its node ids are random):
// "Spatial3D|/world". Used for ImGui ids and per-view state.
std::string view_key(const blueprint::View& view);

// The heuristic default layout for a recording's entities.
blueprint::Blueprint default_layout(const std::vector<ingest::EntityInfo>& entities);

// The entities a view shows, in order.
std::vector<EntityPath> view_entities(const blueprint::View& view,
                                      const std::vector<EntityPath>& all);

}  // namespace rerun::viewer
