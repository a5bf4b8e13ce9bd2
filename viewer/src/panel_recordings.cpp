// Recordings panel: every data store grouped by application id, with sources, rows and live
// state; select, close (hide), save as .rrd. Files still loading show a progress bar.
#include <imgui.h>

#include <cstring>

#include "format.hpp"
#include "panels.hpp"
#include "rerun/ingest/file_loader.hpp"

namespace rerun::viewer {

namespace {

std::string short_sources(const ingest::StoreStats& st) {
    std::string out;
    for (const auto& s : st.sources) {
        if (!out.empty()) out += ", ";
        out += s.name;
        if (out.size() > 120) {
            out += ", ...";
            break;
        }
    }
    return out.empty() ? "(no source)" : out;
}

}  // namespace

void draw_recordings_panel(ViewerState& state) {
    if (state.files) {
        for (const auto& p : state.files->progress()) {
            if (p.done && !p.failed) continue;
            if (p.failed) {
                ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s: %s", p.path.c_str(),
                                   p.error.c_str());
                continue;
            }
            const float frac =
                p.total_bytes ? float(double(p.bytes_read) / double(p.total_bytes)) : 0.0f;
            const std::string overlay = p.path + "  " + format_bytes(p.bytes_read);
            ImGui::ProgressBar(
                p.total_bytes ? frac : float(ImGui::GetTime() * 0.5 - int(ImGui::GetTime() * 0.5)),
                ImVec2(-1, 0), overlay.c_str());
        }
    }
    if (state.recordings.empty()) {
        ImGui::TextDisabled("No recordings yet.");
        return;
    }
    static char save_path[1024] = "";
    static core::StoreId save_id;
    bool open_save = false;
    std::string current_app = "\x01";
    bool app_open = false;
    for (const auto& rec : state.recordings) {
        if (rec.application_id != current_app) {
            if (app_open) ImGui::TreePop();
            current_app = rec.application_id;
            const std::string label =
                (current_app.empty() ? std::string("(no application id)") : current_app) +
                "###app." + current_app;
            ImGui::SetNextItemOpen(true, ImGuiCond_Once);
            app_open = ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_SpanAvailWidth);
        }
        if (!app_open) continue;
        const bool selected = state.selected_recording && *state.selected_recording == rec.id;
        ImGui::PushID(rec.id.id.c_str());
        std::string label = rec.id.id.size() > 20 ? rec.id.id.substr(0, 20) + "..." : rec.id.id;
        if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_AllowItemOverlap)) {
            state.select_recording(rec.id);
        }
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            ImGui::Text("Recording ID: %s", rec.id.id.c_str());
            ImGui::Text("Application: %s", rec.application_id.c_str());
            ImGui::Text("Rows: %s stored, %s received", format_count(rec.stats.rows).c_str(),
                        format_count(rec.stats.rows_total).c_str());
            ImGui::Text("Memory: %s", format_bytes(rec.stats.bytes).c_str());
            ImGui::Text("Sources: %s", short_sources(rec.stats).c_str());
            if (rec.stats.dropped_rows)
                ImGui::Text("Dropped by the memory limit: %s rows",
                            format_count(rec.stats.dropped_rows).c_str());
            for (const auto& c : rec.stats.conflicts)
                ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s", c.c_str());
            ImGui::EndTooltip();
        }
        if (ImGui::BeginPopupContextItem("##ctx")) {
            if (ImGui::MenuItem("Save as .rrd...")) {
                save_id = rec.id;
                std::snprintf(save_path, sizeof save_path, "%s.rrd", rec.id.id.c_str());
                open_save = true;
            }
            if (ImGui::MenuItem("Close")) {
                state.close_recording(rec.id);
            }
            ImGui::EndPopup();
        }
        ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("live 00000k").x);
        if (rec.live) {
            ImGui::TextColored(ImVec4(0.35f, 0.85f, 0.45f, 1), "live");
        } else {
            ImGui::TextDisabled("    ");
        }
        ImGui::SameLine();
        ImGui::TextDisabled("%s", format_count(rec.stats.rows).c_str());
        ImGui::Indent();
        ImGui::TextDisabled("%s", short_sources(rec.stats).c_str());
        ImGui::Unindent();
        ImGui::PopID();
    }
    if (app_open) ImGui::TreePop();

    if (open_save) ImGui::OpenPopup("Save recording###dialog.save");
    if (ImGui::BeginPopupModal("Save recording###dialog.save", nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize)) {
        ImGui::Text("Save %s as", save_id.id.c_str());
        ImGui::SetNextItemWidth(400 * state.scale);
        ImGui::InputText("##savepath", save_path, sizeof save_path);
        if (ImGui::Button("Save")) {
            if (auto store = state.data.find(save_id)) {
                const std::string err = save_recording(*store, save_path);
                state.log.add(err.empty() ? 1 : 3, err.empty() ? std::string("saved ") + save_path
                                                               : "save failed: " + err);
            }
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace rerun::viewer
