#include "rerun/blueprint/heuristics.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace rerun::blueprint {

namespace {

bool has_any(const EntityInfo& e, std::initializer_list<const char*> types) {
    for (const char* t : types) {
        if (e.component_types.count(t)) return true;
    }
    return false;
}

bool is_3d(const EntityInfo& e) {
    return has_any(e, {"rerun.components.Position3D", "rerun.components.HalfSize3D",
                       "rerun.components.LineStrip3D", "rerun.components.Vector3D",
                       "rerun.components.TriangleIndices", "rerun.components.PinholeProjection"});
}
bool is_image(const EntityInfo& e) {
    return has_any(e, {"rerun.components.ImageBuffer"});
}
bool is_2d(const EntityInfo& e) {
    return has_any(e, {"rerun.components.Position2D", "rerun.components.HalfSize2D",
                       "rerun.components.LineStrip2D", "rerun.components.Vector2D"});
}
bool is_scalar(const EntityInfo& e) {
    return has_any(e, {"rerun.components.Scalar"});
}
// A TextLog may be logged without a level; its archetype still says what it is.
bool is_text_log(const EntityInfo& e) {
    return has_any(e, {"rerun.components.TextLogLevel"}) ||
           e.archetypes.count("rerun.archetypes.TextLog") != 0;
}
bool is_document(const EntityInfo& e) {
    return has_any(e, {"rerun.components.MediaType"}) ||
           e.archetypes.count("rerun.archetypes.TextDocument") != 0 ||
           (has_any(e, {"rerun.components.Text"}) && !is_text_log(e) && !is_3d(e) && !is_2d(e));
}

View make_view(ViewClass cls, std::string name, core::EntityPath origin) {
    View v;
    v.id = new_node_id();
    v.cls = cls;
    v.name = std::move(name);
    v.origin = std::move(origin);
    return v;
}

std::string display_name(const core::EntityPath& path, std::string_view fallback) {
    return path.is_root() ? std::string(fallback) : path.to_string();
}

}  // namespace

Blueprint default_blueprint(const std::vector<EntityInfo>& input) {
    // Sorted input makes the result independent of arrival order.
    std::vector<EntityInfo> entities = input;
    std::sort(entities.begin(), entities.end(),
              [](const EntityInfo& a, const EntityInfo& b) { return a.path < b.path; });
    std::vector<View> views;
    if (std::any_of(entities.begin(), entities.end(), is_3d)) {
        views.push_back(make_view(ViewClass::Spatial3D, "3D", core::EntityPath()));
    }
    // One 2D view per image, at the image's parent (so overlays next to it show too); 2D data
    // with no image gets one view at the root.
    // Sets, not scans: a recording may hold many thousands of images.
    std::vector<core::EntityPath> image_spaces;  // in order of first appearance
    std::set<core::EntityPath> image_space_set;
    for (const auto& e : entities) {
        if (!is_image(e)) continue;
        auto space = e.path.parent();
        if (image_space_set.insert(space).second) image_spaces.push_back(std::move(space));
    }
    for (const auto& space : image_spaces)
        views.push_back(make_view(ViewClass::Spatial2D, display_name(space, "2D"), space));
    const auto in_image_space = [&](const core::EntityPath& path) {
        const auto& parts = path.parts();
        for (size_t n = 0; n <= parts.size(); ++n) {
            const core::EntityPath prefix(
                std::vector<std::string>(parts.begin(), parts.begin() + ptrdiff_t(n)));
            if (image_space_set.count(prefix) != 0) return true;
        }
        return false;
    };
    const bool loose_2d = std::any_of(entities.begin(), entities.end(), [&](const EntityInfo& e) {
        return is_2d(e) && !in_image_space(e.path);
    });
    if (loose_2d) views.push_back(make_view(ViewClass::Spatial2D, "2D", core::EntityPath()));
    if (std::any_of(entities.begin(), entities.end(), is_scalar)) {
        views.push_back(make_view(ViewClass::TimeSeries, "Time series", core::EntityPath()));
    }
    if (std::any_of(entities.begin(), entities.end(), is_text_log)) {
        views.push_back(make_view(ViewClass::TextLog, "Logs", core::EntityPath()));
    }
    for (const auto& e : entities) {
        if (!is_document(e)) continue;
        View v = make_view(ViewClass::TextDocument, display_name(e.path, "Document"), e.path);
        v.contents = EntityQuery({QueryRule{true, "$origin", false}});
        views.push_back(std::move(v));
    }
    if (views.size() > kMaxDefaultViews) views.resize(kMaxDefaultViews);

    Blueprint bp;
    bp.root().kind = views.size() <= 3 ? ContainerKind::Horizontal : ContainerKind::Grid;
    for (auto& v : views)
        bp.root().children.push_back(std::move(v));
    bp.auto_layout = true;
    return bp;
}

}  // namespace rerun::blueprint
