// Time panel: timeline selector, play/pause/step/speed/loop/follow, the time axis with the cursor
// (click or drag to scrub, wheel to zoom, right-drag to pan) and a density strip per entity.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "density.hpp"
#include "format.hpp"
#include "panels.hpp"

namespace rerun::viewer {

namespace {

constexpr int kBins = 400;

// Where data exists, per entity, over the whole timeline. Recomputed at most once a second while
// data streams in (range queries over everything are not free).
struct DensityCache {
    uint64_t store = 0;  // RecordingStore::instance()
    std::string timeline;
    uint64_t generation = ~uint64_t(0);
    std::chrono::steady_clock::time_point computed{};
    TimeInt min = 0, max = 0;
    std::vector<std::pair<EntityPath, std::vector<uint32_t>>> rows;
    uint32_t peak = 1;
};
DensityCache g_density;

void update_density(ViewerState& state) {
    auto& d = g_density;
    const auto now = std::chrono::steady_clock::now();
    const uint64_t gen = state.store->generation();
    const bool same_target =
        d.store == state.store->instance() && d.timeline == state.time.timeline();
    if (same_target && d.generation == gen) return;
    // Counting rows exactly costs ~32 B and a few ns per row (entities above 1M rows are
    // counted by chunk, see density_bins): the strips are refreshed at most once a second, less
    // often when many rows are counted exactly (plus 1 s per 2M rows).
    uint64_t rows = 0;
    for (const auto& e : state.entities)
        rows += std::min<uint64_t>(e.rows, 1'000'000);
    const auto interval = std::chrono::milliseconds(1000 + rows / 2000);
    if (same_target && now - d.computed < interval) {
        state.request_redraw = true;  // come back when the throttle allows
        return;
    }
    d.store = state.store->instance();
    d.timeline = state.time.timeline();
    d.generation = gen;
    d.computed = now;
    d.min = state.time.min();
    d.max = state.time.max();
    d.rows.clear();
    d.peak = 1;
    for (const auto& e : state.entities) {
        std::vector<uint32_t> bins(kBins, 0);
        // One component per entity is enough to show where rows are: the one with most rows.
        const ingest::ComponentInfo* best = nullptr;
        for (const auto& c : e.components) {
            if (!best || c.rows > best->rows) best = &c;
        }
        if (best) {
            bins = density_bins(*state.store, e.path, d.timeline, best->descriptor.component, d.min,
                                d.max, kBins, best->rows);
            for (const uint32_t n : bins)
                d.peak = std::max(d.peak, n);
        }
        d.rows.emplace_back(e.path, std::move(bins));
    }
}

void handle_keys(ViewerState& state) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) state.time.toggle_play();
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) state.time.step(-1);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) state.time.step(+1);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home)))
        state.time.set_time(state.time.min());
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End))) {
        state.time.set_time(state.time.max());
        state.time.follow = true;
    }
}

}  // namespace

void draw_time_panel(ViewerState& state) {
    auto& tc = state.time;
    handle_keys(state);
    if (!tc.has_timeline()) {
        ImGui::TextDisabled("Only static data: no timeline to scrub.");
        return;
    }
    const float s = state.scale;
    // ---- controls -------------------------------------------------------------------------
    ImGui::SetNextItemWidth(150 * s);
    if (ImGui::BeginCombo("##timeline", tc.timeline().c_str())) {
        for (const auto& t : tc.timelines()) {
            const std::string label =
                t.timeline.name + "  (" + std::string(core::time_type_name(t.timeline.type)) + ")";
            if (ImGui::Selectable(label.c_str(), t.timeline.name == tc.timeline()))
                tc.select_timeline(t.timeline.name);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (icon_button("##start", Icon::ToStart, "To the start (Home)")) tc.set_time(tc.min());
    ImGui::SameLine();
    if (icon_button("##back", Icon::StepBack, "Step back (Left)")) tc.step(-1);
    ImGui::SameLine();
    if (icon_button("##play", tc.playing ? Icon::Pause : Icon::Play,
                    tc.playing ? "Pause (Space)" : "Play (Space)")) {
        tc.toggle_play();
    }
    ImGui::SameLine();
    if (icon_button("##forward", Icon::StepForward, "Step forward (Right)")) tc.step(+1);
    ImGui::SameLine();
    if (icon_button("##end", Icon::ToEnd, "To the end, following live data (End)")) {
        tc.set_time(tc.max());
        tc.follow = true;
    }
    ImGui::SameLine();
    ImGui::Checkbox("Loop", &tc.loop);
    ImGui::SameLine();
    ImGui::Checkbox("Follow live", &tc.follow);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * s);
    float speed = float(tc.speed);
    if (ImGui::DragFloat("##speed", &speed, 0.05f, 0.05f, 100.0f, "%.2fx")) tc.speed = speed;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed (drag)");
    ImGui::SameLine();
    ImGui::Text("%s", format_time(tc.type(), tc.time()).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("of %s .. %s", format_time(tc.type(), tc.min()).c_str(),
                        format_time(tc.type(), tc.max()).c_str());
    if (tc.follow) tc.set_time(tc.max());

    // ---- axis and density strips ----------------------------------------------------------
    update_density(state);
    const float name_w = 220 * s;
    const float row_h = ImGui::GetTextLineHeight() + 2 * s;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float axis_x0 = origin.x + name_w, axis_x1 = origin.x + avail_w - 8 * s;
    const float axis_w = std::max(axis_x1 - axis_x0, 10.0f);
    const float axis_h = ImGui::GetTextLineHeight() + 6 * s;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const double v0 = tc.view_min(), v1 = std::max(tc.view_max(), tc.view_min() + 1.0);
    auto to_x = [&](double t) { return float(axis_x0 + (t - v0) / (v1 - v0) * axis_w); };
    auto to_t = [&](float x) { return v0 + double(x - axis_x0) / axis_w * (v1 - v0); };

    // Interaction over the whole time area (axis + strips).
    ImGui::SetCursorScreenPos(ImVec2(axis_x0, origin.y));
    ImGui::InvisibleButton("##timearea", ImVec2(axis_w, std::max(avail_h, axis_h)),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        tc.set_time(TimeInt(std::llround(to_t(io.MousePos.x))));
        tc.follow = false;
    }
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {
        const double dt = double(io.MouseDelta.x) / axis_w * (v1 - v0);
        tc.set_view(v0 - dt, v1 - dt);
    }
    if (ImGui::IsItemHovered() && io.MouseWheel != 0) {
        tc.zoom_view(std::pow(0.85, double(io.MouseWheel)), to_t(io.MousePos.x));
    }
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
        tc.reset_view();

    // Axis with ticks.
    dl->AddRectFilled(ImVec2(axis_x0, origin.y), ImVec2(axis_x1, origin.y + axis_h),
                      IM_COL32(30, 34, 40, 255));
    // Ticks far enough apart for their labels ("2026-12-07 19:53:49.763" is wider than a
    // sequence number), with a gap.
    const float label_w =
        std::max(ImGui::CalcTextSize(format_time(tc.type(), TimeInt(std::llround(v0))).c_str()).x,
                 ImGui::CalcTextSize(format_time(tc.type(), TimeInt(std::llround(v1))).c_str()).x);
    const float min_tick_px = std::max(110 * s, label_w + 24 * s);
    for (const TimeInt tick : axis_ticks(v0, v1, axis_w, min_tick_px)) {
        const float x = to_x(double(tick));
        dl->AddLine(ImVec2(x, origin.y + axis_h - 5 * s), ImVec2(x, origin.y + axis_h),
                    IM_COL32(140, 145, 150, 255));
        const std::string label = format_time(tc.type(), TimeInt(tick));
        dl->AddText(ImVec2(x + 3 * s, origin.y + 1 * s), IM_COL32(160, 165, 170, 255),
                    label.c_str());
    }
    // Strips.
    dl->PushClipRect(ImVec2(origin.x, origin.y + axis_h), ImVec2(axis_x1, origin.y + avail_h),
                     true);
    float y = origin.y + axis_h + 3 * s;
    const auto& d = g_density;
    const double dspan = double(d.max - d.min) + 1.0;
    for (const auto& [path, bins] : d.rows) {
        if (y > origin.y + avail_h) break;
        const bool visible = state.is_visible(path);
        dl->AddText(ImVec2(origin.x + 4 * s, y),
                    visible ? IM_COL32(200, 203, 208, 255) : IM_COL32(110, 112, 116, 255),
                    path.to_string().c_str());
        dl->AddRectFilled(ImVec2(axis_x0, y + 2 * s), ImVec2(axis_x1, y + row_h - 2 * s),
                          IM_COL32(24, 27, 32, 255));
        for (int b = 0; b < kBins; ++b) {
            const uint32_t n = bins[size_t(b)];
            if (n == 0) continue;
            const double t0 = double(d.min) + dspan * b / kBins;
            const double t1 = double(d.min) + dspan * (b + 1) / kBins;
            float x0 = to_x(t0), x1 = std::max(to_x(t1), x0 + 2.0f);
            if (x1 < axis_x0 || x0 > axis_x1) continue;
            const float a = 0.35f + 0.65f * std::sqrt(float(n) / float(d.peak));
            dl->AddRectFilled(ImVec2(x0, y + 3 * s), ImVec2(x1, y + row_h - 3 * s),
                              ImGui::GetColorU32(ImVec4(0.35f, 0.6f, 1.0f, a)));
        }
        y += row_h;
    }
    dl->PopClipRect();
    // Cursor.
    const float cx = to_x(double(tc.time()));
    if (cx >= axis_x0 && cx <= axis_x1) {
        dl->AddLine(ImVec2(cx, origin.y), ImVec2(cx, origin.y + avail_h),
                    IM_COL32(255, 200, 60, 255), 2 * s);
        dl->AddTriangleFilled(ImVec2(cx - 6 * s, origin.y), ImVec2(cx + 6 * s, origin.y),
                              ImVec2(cx, origin.y + 8 * s), IM_COL32(255, 200, 60, 255));
    }
}

}  // namespace rerun::viewer
