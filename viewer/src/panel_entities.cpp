// Entity tree of the selected recording: hierarchy, visibility toggles, data presence.
#include <imgui.h>

#include "format.hpp"
#include "panels.hpp"

namespace rerun::viewer {

namespace {

void draw_node(ViewerState& state, const EntityNode& node) {
    ImGui::PushID(node.path.to_string().c_str());
    const bool hidden = state.hidden.count(node.path) > 0;
    // Visibility toggle: a small checkbox before the name.
    bool visible = !hidden;
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(1, 1));
    if (ImGui::Checkbox("##vis", &visible)) {
        if (visible) {
            state.hidden.erase(node.path);
        } else {
            state.hidden.insert(node.path);
        }
        ++state.visibility_generation;
    }
    ImGui::PopStyleVar();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(visible ? "Hide" : "Show");
    ImGui::SameLine();
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAvailWidth | ImGuiTreeNodeFlags_OpenOnArrow;
    if (node.children.empty()) flags |= ImGuiTreeNodeFlags_Leaf;
    if (state.selection.valid && state.selection.entity == node.path)
        flags |= ImGuiTreeNodeFlags_Selected;
    ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    if (!state.is_visible(node.path))
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    const bool open = ImGui::TreeNodeEx(node.name.c_str(), flags);
    if (!state.is_visible(node.path)) ImGui::PopStyleColor();
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) {
        state.selection = {node.path, std::nullopt, true};
    }
    if (node.has_data) {
        ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("00000k").x);
        ImGui::TextDisabled("%s", format_count(node.rows).c_str());
    }
    if (open) {
        for (const auto& c : node.children)
            draw_node(state, c);
        ImGui::TreePop();
    }
    ImGui::PopID();
}

}  // namespace

void draw_entities_panel(ViewerState& state) {
    if (!state.store) {
        ImGui::TextDisabled("Select a recording.");
        return;
    }
    if (state.entity_tree.children.empty()) {
        ImGui::TextDisabled("No entities yet.");
        return;
    }
    for (const auto& c : state.entity_tree.children)
        draw_node(state, c);
}

}  // namespace rerun::viewer
