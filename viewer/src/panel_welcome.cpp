// Shown while nothing is loaded: how to log to this viewer, how to open files, recent files.
#include <imgui.h>

#include "panels.hpp"

namespace rerun::viewer {

namespace {
constexpr const char* kSnippet =
    R"(#include <rerun.hpp>

int main() {
    const auto rec = rerun::RecordingStream("my_app");
    rec.spawn().exit_on_failure();   // or rec.connect_tcp("127.0.0.1:9876")

    std::vector<rerun::Position3D> points = {{0, 0, 0}, {1, 1, 1}};
    rec.set_time_sequence("frame", 0);
    rec.log("world/points", rerun::Points3D(points).with_radii({0.05f}));
    rec.log("metrics/loss", rerun::Scalars({0.25}));
}
)";
}  // namespace

void draw_welcome(ViewerState& state) {
    const float s = state.scale;
    const float w = std::min(ImGui::GetContentRegionAvail().x, 720 * s);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - w) * 0.5f);
    ImGui::BeginGroup();
    ImGui::Dummy(ImVec2(0, 24 * s));
    ImGui::PushFont(state.fonts.large);
    ImGui::TextUnformatted("Welcome to the Rerun viewer");
    ImGui::PopFont();
    ImGui::Spacing();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    if (!state.options.listen_address.empty()) {
        ImGui::TextWrapped("Waiting for data on %s. Log from C++ with the SDK:",
                           state.options.listen_address.c_str());
    } else {
        ImGui::TextWrapped("Log from C++ with the SDK:");
    }
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    ImGui::PushFont(state.fonts.mono);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.04f, 0.045f, 0.05f, 1));
    const float code_h = ImGui::GetTextLineHeightWithSpacing() * 13.5f;
    ImGui::BeginChild("##snippet", ImVec2(w, code_h), true);
    ImGui::TextUnformatted(kSnippet);
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (ImGui::SmallButton("Copy snippet")) ImGui::SetClipboardText(kSnippet);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    ImGui::TextUnformatted("Open recordings");
    ImGui::BulletText("From the command line: rerun a.rrd b.rrd, or rerun - to read stdin");
    ImGui::BulletText("File > Open (Ctrl+O), or drop .rrd files onto this window");
    if (state.files && ImGui::Button("Open files...")) state.show_file_dialog = true;
    if (!state.recent_files.empty()) {
        ImGui::Spacing();
        ImGui::TextUnformatted("Recent files");
        for (const auto& path : std::vector<std::string>(state.recent_files)) {
            if (ImGui::Selectable(path.c_str(), false, 0, ImVec2(w, 0))) state.open_file(path);
        }
    }
    ImGui::EndGroup();
}

}  // namespace rerun::viewer
