// Embedded fonts (fonts_embedded.cpp) and their loading into ImGui (ui_style.cpp).
#pragma once

#include <span>

struct ImFont;

namespace rerun::viewer {

std::span<const unsigned char> font_sans();
std::span<const unsigned char> font_mono();

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* mono = nullptr;
    ImFont* large = nullptr;
};

// Loads the fonts at `scale` (monitor content scale x user scale) and applies the dark style.
Fonts setup_fonts_and_style(float scale);

}  // namespace rerun::viewer
