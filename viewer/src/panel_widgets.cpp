#include <imgui.h>

#include "panels.hpp"

namespace rerun::viewer {

unsigned im_color(uint32_t rgba) {
    return IM_COL32(rgba >> 24, (rgba >> 16) & 0xff, (rgba >> 8) & 0xff, rgba & 0xff);
}

void help_marker(const char* text) {
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void color_swatch(uint32_t rgba, float size) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float y = p.y + (ImGui::GetTextLineHeight() - size) * 0.5f;
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + size, y + size),
                                              im_color(rgba | 0xff), 2.0f);
    ImGui::Dummy(ImVec2(size, ImGui::GetTextLineHeight()));
}

}  // namespace rerun::viewer
