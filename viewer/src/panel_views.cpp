// Places the views of the current layout and draws each in its own fixed window.
#include <imgui.h>

#include <algorithm>
#include <optional>
#include <set>

#include "panels.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

std::string child_title(const blueprint::Node& node) {
    if (const auto* v = std::get_if<blueprint::View>(&node)) {
        if (!v->name.empty()) return v->name;
        for (const auto& info : view_classes()) {
            if (info.cls == v->cls) return info.title;
        }
        return "View";
    }
    const auto& c = *std::get<std::unique_ptr<blueprint::Container>>(node);
    return c.name.empty() ? std::string(blueprint::container_kind_name(c.kind)) : c.name;
}

// The tab strip of a Tabs container; clicking a tab makes it the active one (a layout edit).
void draw_tab_strip(ViewerState& state, const PlacedTabs& strip) {
    const auto& c = *strip.container;
    ImGui::SetNextWindowPos(ImVec2(strip.rect.x, strip.rect.y));
    ImGui::SetNextWindowSize(ImVec2(strip.rect.w, strip.rect.h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(4, 2));
    const std::string id = "##tabs." + std::to_string(c.id);
    if (ImGui::Begin(id.c_str(), nullptr,
                     ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoScrollbar)) {
        const size_t active = std::min<size_t>(c.active_tab, c.children.size() - 1);
        std::optional<uint32_t> clicked;
        for (size_t i = 0; i < c.children.size(); ++i) {
            if (i > 0) ImGui::SameLine();
            ImGui::PushID(int(i));
            if (i == active)
                ImGui::PushStyleColor(ImGuiCol_Button,
                                      ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
            if (ImGui::SmallButton(child_title(c.children[i]).c_str())) clicked = uint32_t(i);
            if (i == active) ImGui::PopStyleColor();
            ImGui::PopID();
        }
        if (clicked && *clicked != active) {
            blueprint::Blueprint next = state.layout();
            if (auto* e = next.find_container(c.id)) e->active_tab = *clicked;
            state.edit_layout(std::move(next));
        }
    }
    ImGui::End();
    ImGui::PopStyleVar();
}

}  // namespace

void draw_views(ViewerState& state, Rect area) {
    std::vector<PlacedView> placed;
    std::vector<PlacedTabs> tabs;
    const float tab_height = ImGui::GetFrameHeight() + 4.0f;
    layout_container(state.layout().root(), area, 0.0f, placed, &tabs, tab_height);
    // Tab strips first: a click there replaces the layout, which `placed` and `tabs` point into,
    // so the placement is redone before any view is drawn.
    const uint64_t revision = state.app_blueprint().revision;
    for (const auto& strip : tabs) {
        draw_tab_strip(state, strip);
        if (state.app_blueprint().revision != revision) break;
    }
    if (state.app_blueprint().revision != revision) {
        placed.clear();
        tabs.clear();
        layout_container(state.layout().root(), area, 0.0f, placed, &tabs, tab_height);
    }
    std::set<std::string> alive;
    for (const auto& pv : placed) {
        const auto& view = *pv.view;
        std::string key = view_key(view);
        // Two views of one class at one origin (a split, a duplicate): the second gets its id.
        if (alive.count(key)) {
            key += '#';
            key += std::to_string(view.id);
        }
        alive.insert(key);
        auto& instance = state.views[key];
        if (!instance) instance = make_view(view.cls, key);
        if (!instance) continue;
        std::string title = view.name;
        if (title.empty()) {
            for (const auto& info : view_classes()) {
                if (info.cls == view.cls) title = info.title;
            }
        }
        title += "###view." + key;
        ImGui::SetNextWindowPos(ImVec2(pv.rect.x, pv.rect.y));
        ImGui::SetNextWindowSize(ImVec2(pv.rect.w, pv.rect.h));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(2, 2));
        const bool open =
            ImGui::Begin(title.c_str(), nullptr,
                         ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                             ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        ImGui::PopStyleVar();
        if (open) {
            std::vector<EntityPath> entities;
            for (auto& e : view_entities(view, state.entity_paths)) {
                if (state.is_visible(e)) entities.push_back(std::move(e));
            }
            instance->draw(state, view, entities);
        }
        ImGui::End();
    }
    // Views that left the layout free their GPU resources.
    for (auto it = state.views.begin(); it != state.views.end();) {
        if (!alive.count(it->first)) {
            it->second->release(*state.renderer);
            it = state.views.erase(it);
        } else {
            ++it;
        }
    }
}

}  // namespace rerun::viewer
