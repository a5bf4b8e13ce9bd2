// Status bar: listening address, senders, incoming rate, memory used versus the limit, drops,
// the last warning.
#include <imgui.h>

#include "format.hpp"
#include "panels.hpp"
#include "rerun/ingest/tcp_server.hpp"

namespace rerun::viewer {

void draw_status_bar(ViewerState& state) {
    const auto hs = state.data.hub_stats();
    if (!state.options.listen_address.empty()) {
        ImGui::Text("Listening on %s", state.options.listen_address.c_str());
    } else {
        ImGui::TextDisabled("Not listening");
    }
    if (state.server) {
        const auto ss = state.server->stats();
        ImGui::SameLine(0, 24 * state.scale);
        ImGui::Text("%llu sender%s", (unsigned long long)ss.active, ss.active == 1 ? "" : "s");
    }
    ImGui::SameLine(0, 24 * state.scale);
    ImGui::Text("%s  %s", format_rate(state.rate.rows_per_s, "rows").c_str(),
                format_rate(state.rate.bytes_per_s, "B").c_str());
    ImGui::SameLine(0, 24 * state.scale);
    const uint64_t limit = state.data.memory_limit();
    if (limit) {
        const float frac = float(double(hs.bytes) / double(limit));
        ImGui::Text("Memory");
        ImGui::SameLine();
        const std::string overlay = format_bytes(hs.bytes) + " / " + format_bytes(limit);
        ImGui::ProgressBar(std::min(frac, 1.0f), ImVec2(180 * state.scale, 0), overlay.c_str());
    } else {
        ImGui::Text("Memory %s (no limit)", format_bytes(hs.bytes).c_str());
    }
    if (hs.dropped_rows) {
        ImGui::SameLine(0, 24 * state.scale);
        ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "dropped %s rows (%s)",
                           format_count(hs.dropped_rows).c_str(),
                           format_bytes(hs.dropped_bytes).c_str());
    }
    std::string last;
    int level = 0;
    {
        std::lock_guard lock(state.log.mutex);
        if (!state.log.lines.empty()) {
            last = state.log.lines.back().text;
            level = state.log.lines.back().level;
        }
    }
    if (!last.empty()) {
        ImGui::SameLine(0, 24 * state.scale);
        const ImVec4 color = level >= 3   ? ImVec4(1, 0.45f, 0.4f, 1)
                             : level == 2 ? ImVec4(1, 0.7f, 0.3f, 1)
                                          : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
        ImGui::TextColored(color, "%s", last.c_str());
        if (ImGui::IsItemHovered()) {
            ImGui::BeginTooltip();
            std::lock_guard lock(state.log.mutex);
            const size_t n = state.log.lines.size();
            for (size_t i = n > 20 ? n - 20 : 0; i < n; ++i)
                ImGui::TextUnformatted(state.log.lines[i].text.c_str());
            ImGui::EndTooltip();
        }
    }
}

}  // namespace rerun::viewer
