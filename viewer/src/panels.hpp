// The panels around the views. One function per panel, one file each (panel_*.cpp).
#pragma once

#include "app_state.hpp"

namespace rerun::viewer {

void draw_menu_bar(ViewerState& state);
void draw_recordings_panel(ViewerState& state);
void draw_entities_panel(ViewerState& state);
void draw_blueprint_panel(ViewerState& state);
// The selection panel's page for the node selected in the blueprint panel.
void draw_blueprint_selection(ViewerState& state);
// File > Save blueprint / Load blueprint (.rbl).
void draw_blueprint_file_dialog(ViewerState& state);
void draw_time_panel(ViewerState& state);
void draw_selection_panel(ViewerState& state);
void draw_status_bar(ViewerState& state);
void draw_welcome(ViewerState& state);
void draw_file_dialog(ViewerState& state);
// Lays the views of the current layout out in `area` and draws each in its own window.
void draw_views(ViewerState& state, Rect area);

// Small shared widgets (panel_widgets.cpp).
void help_marker(const char* text);
// A colour swatch for 0xRRGGBBAA.
void color_swatch(uint32_t rgba, float size);
unsigned im_color(uint32_t rgba);  // 0xRRGGBBAA -> ImU32
// A square-ish button with a drawn glyph (no icon font needed) and a tooltip. `id` is the
// ImGui id ("##play"); returns true when pressed.
enum class Icon { Play, Pause, StepBack, StepForward, ToStart, ToEnd };
bool icon_button(const char* id, Icon icon, const char* tooltip);

}  // namespace rerun::viewer
