// The UI fonts, compiled into the binary so the viewer runs from anywhere without asset files.
// DejaVu Sans / Sans Mono (Bitstream Vera licence, see assets/fonts/DejaVu-LICENSE.txt).
#include "ui_fonts.hpp"

// The paths come from CMake (RERUN_FONT_SANS, RERUN_FONT_MONO).
__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    "rerun_font_sans_begin:\n"
    ".incbin \"" RERUN_FONT_SANS
    "\"\n"
    "rerun_font_sans_end:\n"
    ".balign 16\n"
    "rerun_font_mono_begin:\n"
    ".incbin \"" RERUN_FONT_MONO
    "\"\n"
    "rerun_font_mono_end:\n"
    ".previous\n");

extern "C" const unsigned char rerun_font_sans_begin[], rerun_font_sans_end[];
extern "C" const unsigned char rerun_font_mono_begin[], rerun_font_mono_end[];

namespace rerun::viewer {

std::span<const unsigned char> font_sans() {
    return {rerun_font_sans_begin, size_t(rerun_font_sans_end - rerun_font_sans_begin)};
}
std::span<const unsigned char> font_mono() {
    return {rerun_font_mono_begin, size_t(rerun_font_mono_end - rerun_font_mono_begin)};
}

}  // namespace rerun::viewer
