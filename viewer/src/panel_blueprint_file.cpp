// File > Save blueprint / Load blueprint: a small dialog with a path and, for loading, the .rbl
// files of the current directory. A loaded blueprint becomes the active one of the current
// recording's application id (undoable), whatever application id the file names.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "panels.hpp"
#include "rerun/blueprint/blueprint_store.hpp"
#include "rerun/blueprint/persistence.hpp"

namespace rerun::viewer {

namespace fs = std::filesystem;

namespace {

std::string save_rbl(const std::string& path, const blueprint::Blueprint& bp,
                     const std::string& app_id) {
    const core::Bytes bytes = blueprint::encode_rbl(bp, app_id);
    const std::string temp = path + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        out.close();
        if (!out) return "cannot write " + temp;
    }
    std::error_code ec;
    fs::rename(temp, path, ec);
    if (ec) return "cannot rename " + temp + " to " + path + ": " + ec.message();
    return {};
}

std::optional<blueprint::Blueprint> load_rbl(const std::string& path, std::string* error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        *error = "cannot open " + path;
        return std::nullopt;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    auto bp = blueprint::decode_rbl({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()},
                                    error);
    if (!bp) *error = path + ": " + *error;
    return bp;
}

}  // namespace

void draw_blueprint_file_dialog(ViewerState& state) {
    using Dialog = ViewerState::BlueprintDialog;
    static char path_buf[1024] = "";
    static Dialog prepared = Dialog::None;
    static std::string error;
    const bool saving = state.blueprint_dialog == Dialog::Save;
    if (prepared != state.blueprint_dialog) {
        prepared = state.blueprint_dialog;
        error.clear();
        const std::string suggestion =
            (fs::current_path() / (blueprint::blueprint_file_stem(state.app_id) + ".rbl")).string();
        std::snprintf(path_buf, sizeof path_buf, "%s", saving ? suggestion.c_str() : "");
    }
    const char* title =
        saving ? "Save blueprint###dialog.blueprint" : "Load blueprint###dialog.blueprint";
    ImGui::OpenPopup("###dialog.blueprint");
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x * 0.45f, vp->Size.y * 0.45f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    bool open = true;
    if (!ImGui::BeginPopupModal(title, &open)) {
        if (!open) state.blueprint_dialog = prepared = Dialog::None;
        return;
    }
    ImGui::TextWrapped("%s the layout of \"%s\" %s a .rbl file.", saving ? "Save" : "Replace",
                       state.app_id.c_str(), saving ? "to" : "with the one in");
    const float footer = ImGui::GetFrameHeightWithSpacing() * 2.6f;
    ImGui::BeginChild("##rbl_files", ImVec2(0, -footer), true);
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(
             fs::current_path(ec), fs::directory_options::skip_permission_denied, ec)) {
        if (e.path().extension() == ".rbl") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) ImGui::TextDisabled("No .rbl files in %s", fs::current_path(ec).c_str());
    for (const auto& f : files) {
        if (ImGui::Selectable(fs::path(f).filename().c_str(), f == path_buf))
            std::snprintf(path_buf, sizeof path_buf, "%s", f.c_str());
    }
    ImGui::EndChild();
    ImGui::SetNextItemWidth(-220);
    ImGui::InputTextWithHint("##rbl_path", "path of a .rbl file", path_buf, sizeof path_buf);
    ImGui::SameLine();
    bool done = false;
    if (ImGui::Button(saving ? "Save" : "Load", ImVec2(100, 0)) && path_buf[0] != '\0') {
        const std::string path = path_buf;
        if (saving) {
            error = save_rbl(path, state.layout(), state.app_id);
            if (error.empty())
                state.log.add(1, "saved the blueprint of \"" + state.app_id + "\" to " + path);
        } else if (auto bp = load_rbl(path, &error)) {
            state.blueprints.apply(state.app_id, std::move(*bp), true, false,
                                   "loaded from " + path);
            error.clear();
        }
        done = error.empty();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(100, 0))) done = true;
    if (!error.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", error.c_str());
    if (done || !open) {
        state.blueprint_dialog = Dialog::None;
        prepared = Dialog::None;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace rerun::viewer
