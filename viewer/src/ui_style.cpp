// Fonts and colours: DejaVu Sans at 15 px x the content scale, a dark theme close to upstream's.
#include <imgui.h>

#include "ui_fonts.hpp"

namespace rerun::viewer {

Fonts setup_fonts_and_style(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    // ImGui must not free our embedded (read-only) data.
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    config.OversampleV = 1;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2013, 0x2026, 0x2190, 0x21FF,
                                     0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
    Fonts fonts;
    auto load = [&](std::span<const unsigned char> data, float size) {
        return io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(data.data()),
                                              int(data.size()), size * scale, &config, ranges);
    };
    fonts.regular = load(font_sans(), 15.0f);
    fonts.mono = load(font_mono(), 14.0f);
    fonts.large = load(font_sans(), 22.0f);
    io.FontDefault = fonts.regular;

    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    ImGui::StyleColorsDark(&style);
    style.WindowRounding = 0.0f;
    style.ChildRounding = 2.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.TabRounding = 3.0f;
    style.WindowBorderSize = 1.0f;
    style.FramePadding = ImVec2(6, 3);
    style.ItemSpacing = ImVec2(8, 5);
    style.WindowPadding = ImVec2(8, 6);
    style.ScrollbarSize = 12.0f;
    style.IndentSpacing = 16.0f;
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImVec4(0.075f, 0.082f, 0.094f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.06f, 0.065f, 0.075f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.10f, 0.11f, 0.12f, 0.98f);
    c[ImGuiCol_TitleBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.13f, 0.15f, 0.18f, 1.0f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.10f, 0.11f, 0.12f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.20f, 0.32f, 0.50f, 0.55f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.38f, 0.60f, 0.80f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.42f, 0.66f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(0.20f, 0.22f, 0.25f, 1.0f);
    c[ImGuiCol_FrameBg] = ImVec4(0.14f, 0.15f, 0.17f, 1.0f);
    c[ImGuiCol_Text] = ImVec4(0.86f, 0.87f, 0.89f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.50f, 0.52f, 0.55f, 1.0f);
    style.ScaleAllSizes(scale);
    return fonts;
}

}  // namespace rerun::viewer
