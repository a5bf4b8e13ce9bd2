// Selection panel: the selected entity's components at the current time.
#include <imgui.h>

#include "format.hpp"
#include "panels.hpp"

namespace rerun::viewer {

void draw_selection_panel(ViewerState& state) {
    if (!state.selection.valid && state.blueprint_selection != 0 && state.store) {
        draw_blueprint_selection(state);
        return;
    }
    if (!state.selection.valid || !state.store) {
        ImGui::TextDisabled("Nothing selected.");
        ImGui::Spacing();
        ImGui::TextWrapped("Click an entity in the tree, or a point, box or line in a view.");
        return;
    }
    const auto& path = state.selection.entity;
    ImGui::PushFont(state.fonts.large);
    ImGui::TextUnformatted(path.to_string().c_str());
    ImGui::PopFont();
    if (state.selection.instance) ImGui::Text("Instance #%u", *state.selection.instance);
    if (state.time.has_timeline()) {
        ImGui::TextDisabled("at %s = %s", state.time.timeline().c_str(),
                            format_time(state.time.type(), state.time.time()).c_str());
    }
    ImGui::Separator();
    const auto info = state.store->entity_info(path);
    if (!info) {
        ImGui::TextDisabled("No data logged to this entity itself.");
        return;
    }
    ImGui::Text("%s rows stored", format_count(info->rows).c_str());
    const auto q = state.query();
    if (ImGui::BeginTable("##components", 2,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                              ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("Component", ImGuiTableColumnFlags_WidthStretch, 0.45f);
        ImGui::TableSetupColumn("Value", ImGuiTableColumnFlags_WidthStretch, 0.55f);
        ImGui::TableHeadersRow();
        for (const auto& c : info->components) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.descriptor.component.c_str());
            if (ImGui::IsItemHovered()) {
                ImGui::SetTooltip("%s\n%s\nstored as %s, %s rows%s", c.descriptor.archetype.c_str(),
                                  c.descriptor.component_type.c_str(), c.type.to_string().c_str(),
                                  format_count(c.rows).c_str(), c.has_static ? ", static" : "");
            }
            ImGui::TableNextColumn();
            const auto row = q.latest(path, c.descriptor.component);
            if (!row) {
                ImGui::TextDisabled("-");
                continue;
            }
            std::string text;
            if (state.selection.instance && *state.selection.instance < row->size() &&
                row->size() > 1) {
                ComponentRow one = *row;
                one.begin = row->begin + *state.selection.instance;
                one.end = one.begin + 1;
                text = format_row(one);
            } else {
                text = format_row(*row);
            }
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextUnformatted(text.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTable();
    }
}

}  // namespace rerun::viewer
