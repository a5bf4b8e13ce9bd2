// Places the views of the current layout and draws each in its own fixed window.
#include <imgui.h>

#include <set>

#include "panels.hpp"
#include "view.hpp"

namespace rerun::viewer {

void draw_views(ViewerState& state, Rect area) {
    std::vector<PlacedView> placed;
    layout_container(state.layout.root(), area, 0.0f, placed);
    std::set<std::string> alive;
    for (const auto& pv : placed) {
        const auto& view = *pv.view;
        const std::string key = view_key(view);
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
