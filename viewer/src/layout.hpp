// The view layout: the active blueprint (blueprint_state.hpp) cut into rectangles, and the
// heuristic default layout of a recording's entities.
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

// The strip of tab buttons above a Tabs container's active child.
struct PlacedTabs {
    const blueprint::Container* container = nullptr;
    Rect rect;
};

// Splits `rect` among the container's children (shares, grid columns; tabs show the active one).
// With `tabs`, every Tabs container gets a strip `tab_height` high above its active child.
void layout_container(const blueprint::Container& container, Rect rect, float gap,
                      std::vector<PlacedView>& out, std::vector<PlacedTabs>* tabs = nullptr,
                      float tab_height = 0.0f);

// A key that survives recomputing the default blueprint (its node ids are random):
// "Spatial3D|/world". Used for ImGui ids and per-view state.
std::string view_key(const blueprint::View& view);

// The heuristic default layout for a recording's entities.
blueprint::Blueprint default_layout(const std::vector<ingest::EntityInfo>& entities);

// The entities a view shows, in order.
std::vector<EntityPath> view_entities(const blueprint::View& view,
                                      const std::vector<EntityPath>& all);

}  // namespace rerun::viewer
