#include "layout.hpp"

#include <algorithm>
#include <cmath>

#include "rerun/blueprint/heuristics.hpp"

namespace rerun::viewer {

void layout_container(const blueprint::Container& c, Rect rect, float gap,
                      std::vector<PlacedView>& out, std::vector<PlacedTabs>* tabs,
                      float tab_height) {
    const size_t n = c.children.size();
    if (n == 0) return;
    auto place = [&](const blueprint::Node& node, Rect r) {
        if (const auto* v = std::get_if<blueprint::View>(&node)) {
            out.push_back({v, r});
        } else {
            layout_container(*std::get<std::unique_ptr<blueprint::Container>>(node), r, gap, out,
                             tabs, tab_height);
        }
    };
    if (c.kind == blueprint::ContainerKind::Tabs) {
        if (tabs && rect.h > 2 * tab_height) {
            tabs->push_back({&c, {rect.x, rect.y, rect.w, tab_height}});
            rect.y += tab_height;
            rect.h -= tab_height;
        }
        place(c.children[std::min<size_t>(c.active_tab, n - 1)], rect);
        return;
    }
    if (c.kind == blueprint::ContainerKind::Grid) {
        size_t cols = c.grid_columns;
        if (cols == 0) {
            // Roughly square cells for the window's aspect.
            cols = size_t(std::ceil(std::sqrt(double(n) * rect.w / std::max(rect.h, 1.0f))));
            cols = std::clamp<size_t>(cols, 1, n);
        }
        const size_t rows = (n + cols - 1) / cols;
        const float cw = (rect.w - gap * float(cols - 1)) / float(cols);
        const float ch = (rect.h - gap * float(rows - 1)) / float(rows);
        for (size_t i = 0; i < n; ++i) {
            const size_t row = i / cols, col = i % cols;
            // The last row's cells stretch to fill the width.
            const size_t in_row = row + 1 == rows ? n - row * cols : cols;
            const float w = (rect.w - gap * float(in_row - 1)) / float(in_row);
            place(c.children[i], {rect.x + float(col) * (w + gap), rect.y + float(row) * (ch + gap),
                                  in_row == cols ? cw : w, ch});
        }
        return;
    }
    const bool horizontal = c.kind == blueprint::ContainerKind::Horizontal;
    float total = 0;
    std::vector<float> shares(n, 1.0f);
    if (c.shares.size() == n) shares = c.shares;
    for (float s : shares)
        total += std::max(s, 0.01f);
    const float avail = (horizontal ? rect.w : rect.h) - gap * float(n - 1);
    float pos = horizontal ? rect.x : rect.y;
    for (size_t i = 0; i < n; ++i) {
        const float size = avail * std::max(shares[i], 0.01f) / total;
        Rect r = rect;
        if (horizontal) {
            r.x = pos;
            r.w = size;
        } else {
            r.y = pos;
            r.h = size;
        }
        place(c.children[i], r);
        pos += size + gap;
    }
}

std::string view_key(const blueprint::View& view) {
    return std::string(blueprint::view_class_name(view.cls)) + "|" + view.origin.to_string();
}

blueprint::Blueprint default_layout(const std::vector<ingest::EntityInfo>& entities) {
    std::vector<blueprint::EntityInfo> infos;
    infos.reserve(entities.size());
    for (const auto& e : entities) {
        blueprint::EntityInfo info;
        info.path = e.path;
        for (auto& t : component_types_of(e))
            info.component_types.insert(std::move(t));
        for (const auto& c : e.components) {
            if (!c.descriptor.archetype.empty()) info.archetypes.insert(c.descriptor.archetype);
        }
        infos.push_back(std::move(info));
    }
    return blueprint::default_blueprint(infos);
}

std::vector<EntityPath> view_entities(const blueprint::View& view,
                                      const std::vector<EntityPath>& all) {
    return view.contents.matching(all, view.origin);
}

}  // namespace rerun::viewer
