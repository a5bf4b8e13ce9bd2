// The menu bar and File > Open: a small ImGui file browser with multi-select of .rrd files.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "panels.hpp"

namespace rerun::viewer {

namespace fs = std::filesystem;

void draw_menu_bar(ViewerState& state) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open...", "Ctrl+O", false, state.files != nullptr))
            state.show_file_dialog = true;
        if (ImGui::BeginMenu("Open recent", !state.recent_files.empty() && state.files)) {
            for (const auto& path : std::vector<std::string>(state.recent_files)) {
                if (ImGui::MenuItem(path.c_str())) state.open_file(path);
            }
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Save blueprint...", nullptr, false, state.store != nullptr))
            state.blueprint_dialog = ViewerState::BlueprintDialog::Save;
        if (ImGui::MenuItem("Load blueprint...", nullptr, false, state.store != nullptr))
            state.blueprint_dialog = ViewerState::BlueprintDialog::Load;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit", state.store != nullptr)) {
        const auto& app = state.app_blueprint();
        if (ImGui::MenuItem("Undo layout change", "Ctrl+Z", false, app.history.can_undo()))
            state.blueprints.undo(state.app_id);
        if (ImGui::MenuItem("Redo layout change", "Ctrl+Y", false, app.history.can_redo()))
            state.blueprints.redo(state.app_id);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Reset layout", nullptr, false, state.store != nullptr))
            state.reset_layout();
        if (ImGui::MenuItem("Show all entities", nullptr, false, !state.hidden.empty())) {
            state.hidden.clear();
            ++state.visibility_generation;
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        ImGui::TextUnformatted("Space: play/pause   Left/Right: step   Home/End: first/last");
        ImGui::TextUnformatted(
            "3D: left drag orbit, right/middle drag pan, wheel zoom, double-click reset");
        ImGui::TextUnformatted("2D, plots: drag pan, wheel zoom, double-click reset");
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();

    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyCtrl && ImGui::IsKeyPressed('O') && state.files) state.show_file_dialog = true;
    if (io.KeyCtrl && ImGui::IsKeyPressed('Q')) state.quit = true;
    // Layout undo/redo, unless a text field has the keyboard (it has its own undo).
    if (state.store && io.KeyCtrl && !io.WantTextInput) {
        if (ImGui::IsKeyPressed('Z') && !io.KeyShift) state.blueprints.undo(state.app_id);
        if (ImGui::IsKeyPressed('Y') || (ImGui::IsKeyPressed('Z') && io.KeyShift))
            state.blueprints.redo(state.app_id);
    }
}

void draw_file_dialog(ViewerState& state) {
    static std::string dir = fs::current_path().string();
    static std::set<std::string> chosen;
    static char path_buf[1024] = "";
    ImGui::OpenPopup("Open recordings###dialog.open");
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.6f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal("Open recordings###dialog.open", &state.show_file_dialog)) return;
    ImGui::TextUnformatted(dir.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Up")) {
        dir = fs::path(dir).parent_path().string();
        chosen.clear();
    }
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2.2f;
    ImGui::BeginChild("##files", ImVec2(0, -footer), true);
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    for (const auto& e :
         fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec))
        entries.push_back(e);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        if (a.is_directory() != b.is_directory()) return a.is_directory();
        return a.path().filename() < b.path().filename();
    });
    for (const auto& e : entries) {
        const std::string name = e.path().filename().string();
        if (!name.empty() && name[0] == '.') continue;
        if (e.is_directory()) {
            if (ImGui::Selectable(("[dir] " + name).c_str(), false,
                                  ImGuiSelectableFlags_AllowDoubleClick) &&
                ImGui::IsMouseDoubleClicked(0)) {
                dir = e.path().string();
                chosen.clear();
            }
            continue;
        }
        const std::string ext = e.path().extension().string();
        if (ext != ".rrd" && ext != ".rbl") continue;
        const std::string full = e.path().string();
        const bool selected = chosen.count(full) > 0;
        // Click toggles (multi-select); double-click opens just that file.
        if (ImGui::Selectable(name.c_str(), selected, ImGuiSelectableFlags_AllowDoubleClick)) {
            if (ImGui::IsMouseDoubleClicked(0)) {
                state.open_file(full);
                chosen.clear();
                state.show_file_dialog = false;
            } else if (selected) {
                chosen.erase(full);
            } else {
                chosen.insert(full);
            }
        }
    }
    ImGui::EndChild();
    ImGui::SetNextItemWidth(-220);
    ImGui::InputTextWithHint("##path", "or type a path / glob-free file name", path_buf,
                             sizeof path_buf);
    ImGui::SameLine();
    const bool can_open = !chosen.empty() || path_buf[0] != '\0';
    if (ImGui::Button("Open", ImVec2(100, 0)) && can_open) {
        for (const auto& p : chosen)
            state.open_file(p);
        if (path_buf[0]) state.open_file(path_buf);
        chosen.clear();
        path_buf[0] = '\0';
        state.show_file_dialog = false;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(100, 0))) state.show_file_dialog = false;
    ImGui::Text("%zu selected", chosen.size());
    if (!state.show_file_dialog) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

}  // namespace rerun::viewer
