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

bool icon_button(const char* id, Icon icon, const char* tooltip) {
    const float h = ImGui::GetFrameHeight();
    const bool pressed = ImGui::Button(id, ImVec2(h * 1.25f, h));
    if (ImGui::IsItemHovered() && tooltip) ImGui::SetTooltip("%s", tooltip);
    // The glyph: drawn in the button's rectangle, in the text colour, sized by the frame height
    // (so it follows the DPI scale like the fonts).
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    const ImVec2 c((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
    const float r = h * 0.26f;  // half the glyph's height
    const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto right = [&](float x) {  // a triangle pointing right, its left edge at x
        dl->AddTriangleFilled(ImVec2(x, c.y - r), ImVec2(x + r * 1.6f, c.y), ImVec2(x, c.y + r),
                              col);
    };
    auto left = [&](float x) {  // pointing left, its right edge at x
        dl->AddTriangleFilled(ImVec2(x, c.y - r), ImVec2(x, c.y + r), ImVec2(x - r * 1.6f, c.y),
                              col);
    };
    auto bar = [&](float x) {
        dl->AddRectFilled(ImVec2(x, c.y - r), ImVec2(x + r * 0.45f, c.y + r), col);
    };
    switch (icon) {
        case Icon::Play:
            right(c.x - r * 0.7f);
            break;
        case Icon::Pause:
            bar(c.x - r * 0.7f);
            bar(c.x + r * 0.25f);
            break;
        case Icon::StepBack:
            left(c.x + r * 0.8f);
            break;
        case Icon::StepForward:
            right(c.x - r * 0.8f);
            break;
        case Icon::ToStart:
            bar(c.x - r * 1.1f);
            left(c.x + r * 1.0f);
            break;
        case Icon::ToEnd:
            right(c.x - r * 1.0f);
            bar(c.x + r * 0.65f);
            break;
    }
    return pressed;
}

}  // namespace rerun::viewer
