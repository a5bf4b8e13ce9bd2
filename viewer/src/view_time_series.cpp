// Time series view: Scalars over time with SeriesLines / SeriesPoints styles, many series, a
// legend (click to hide a series), zoom and pan on both axes, the time cursor, hover values.
// Drawing cost depends on the plot's width, not the number of samples (decimation.hpp).
//
// The series live in a SeriesCache (decimation.hpp): built from the store in windows, spread
// over frames (at most kBuildBudget of work a frame; the plot fills in), then updated with only
// the rows that arrived and the rows the store evicted, so a sender streaming at full speed
// costs each frame what arrived since the last one. Memory: ~18 bytes per sample shown plus
// 16 bytes per store chunk, and one window's range result (a few MB) while reading; no full
// copy of the range exists at any time.
#include <imgui.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "decimation.hpp"
#include "format.hpp"
#include "panels.hpp"
#include "properties.hpp"
#include "scene_builder.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

// Work on the series per frame; a screenshot waits for the whole build instead.
constexpr std::chrono::milliseconds kBuildBudget{15};

double nice_step(double span, double pixels, double min_px) {
    const double raw = span / std::max(pixels / min_px, 1.0);
    const double p = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-300))));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (p * m >= raw) return p * m;
    }
    return p * 10;
}

class TimeSeriesView final : public ViewBase {
  public:
    using ViewBase::ViewBase;

    void draw(ViewerState& state, const blueprint::View& view,
              const std::vector<EntityPath>& entities) override {
        rebuild_if_needed(state, view.properties, entities);
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const ImVec2 size = ImGui::GetContentRegionAvail();
        if (size.x < 40 || size.y < 40) return;
        const float s = state.scale;
        const float left = 64 * s, bottom = ImGui::GetTextLineHeight() + 8 * s;
        const ImVec2 p0(pos.x + left, pos.y + 4 * s);
        const ImVec2 p1(pos.x + size.x - 8 * s, pos.y + size.y - bottom);
        const float pw = p1.x - p0.x, ph = p1.y - p0.y;
        if (pw < 10 || ph < 10) return;

        // X: the blueprint's x range or time range, else all data, unless the user zoomed.
        // Y: the blueprint's y range, else fitted to what is visible, unless the user zoomed.
        const auto home_x = [&] {
            const auto [lo, hi] = time_series_home_x(view.properties, data_x0_ + double(t_origin_),
                                                     data_x1_ + double(t_origin_));
            x0_ = lo - double(t_origin_);
            x1_ = hi - double(t_origin_);
        };
        if (!x_user_) home_x();
        ImGui::InvisibleButton(
            "##plot", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
        const ImGuiIO& io = ImGui::GetIO();
        const bool hovered = ImGui::IsItemHovered();
        auto x_of = [&](double t) { return float(p0.x + (t - x0_) / (x1_ - x0_) * pw); };
        auto t_of = [&](float x) { return x0_ + double(x - p0.x) / pw * (x1_ - x0_); };
        if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                                      ImGui::IsMouseDragging(ImGuiMouseButton_Right))) {
            const double dt = double(io.MouseDelta.x) / pw * (x1_ - x0_);
            x0_ -= dt;
            x1_ -= dt;
            x_user_ = true;
            if (y_user_) {
                const double dy = double(io.MouseDelta.y) / ph * (y1_ - y0_);
                y0_ += dy;
                y1_ += dy;
            }
        }
        if (hovered && io.MouseWheel != 0) {
            const double f = std::pow(0.85, double(io.MouseWheel));
            if (io.KeyCtrl || io.KeyShift) {
                // Zoom the value axis about the mouse.
                const double yc = y0_ + double(p1.y - io.MousePos.y) / ph * (y1_ - y0_);
                y0_ = yc - (yc - y0_) * f;
                y1_ = yc + (y1_ - yc) * f;
                y_user_ = true;
            } else {
                const double tc = t_of(io.MousePos.x);
                x0_ = tc - (tc - x0_) * f;
                x1_ = tc + (x1_ - tc) * f;
                x_user_ = true;
            }
        }
        if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
            x_user_ = y_user_ = false;
            home_x();
        }
        // A click (no drag) moves the time cursor.
        if (ImGui::IsItemDeactivated() && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).x == 0 &&
            io.MousePos.x >= p0.x && io.MousePos.x <= p1.x && state.time.has_timeline()) {
            state.time.set_time(TimeInt(std::llround(t_of(io.MousePos.x))) + t_origin_);
            state.time.follow = false;
        }

        const int columns = std::max(1, int(pw));
        if (!y_user_) {
            if (const auto fixed = fixed_y_range(view.properties)) {
                y0_ = fixed->first;
                y1_ = fixed->second;
            } else {
                fit_y(columns);
            }
        }

        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(p0, p1, im_color(background_or(view.properties, 0x12151aff)));
        draw_axes(state, dl, p0, p1);
        auto y_of = [&](double v) { return float(p1.y - (v - y0_) / (y1_ - y0_) * ph); };

        dl->PushClipRect(p0, p1, true);
        std::vector<ImVec2> line;
        line.reserve(4096);
        for (const PlotSeries* sp : cache_.series()) {
            const PlotSeries& ser = *sp;
            if (!ser.visible || ser.data.size() == 0) continue;
            ser.data.decimate(x0_, x1_, columns, cols_);
            const ImU32 color = im_color(ser.color);
            if (ser.points) {
                for (int c = 0; c < columns; ++c) {
                    const auto& col = cols_[size_t(c)];
                    if (!col.count) continue;
                    const float x = p0.x + float(c) + 0.5f;
                    if (col.count == 1) {
                        dl->AddCircleFilled(ImVec2(x_of(col.first_t), y_of(col.first)),
                                            ser.marker_size, color, 8);
                    } else {
                        dl->AddLine(ImVec2(x, y_of(col.min)), ImVec2(x, y_of(col.max)), color,
                                    ser.marker_size);
                    }
                }
                continue;
            }
            // One polyline through every column: first -> min/max -> last.
            auto flush = [&] {
                if (line.size() >= 2)
                    dl->AddPolyline(line.data(), int(line.size()), color, 0, ser.width);
                line.clear();
            };
            // The sample just left of the window connects into it.
            const auto [i0, i1] = ser.data.index_range(x0_, x1_);
            if (i0 > 0)
                line.push_back(
                    ImVec2(x_of(ser.data.times()[i0 - 1]), y_of(ser.data.values()[i0 - 1])));
            for (int c = 0; c < columns; ++c) {
                const auto& col = cols_[size_t(c)];
                if (!col.count) continue;
                if (col.count == 1) {
                    line.push_back(ImVec2(x_of(col.first_t), y_of(col.first)));
                } else {
                    const float x = p0.x + float(c) + 0.5f;
                    line.push_back(ImVec2(x, y_of(col.first)));
                    const bool up = col.last >= col.first;
                    line.push_back(ImVec2(x, y_of(up ? col.min : col.max)));
                    line.push_back(ImVec2(x, y_of(up ? col.max : col.min)));
                    line.push_back(ImVec2(x, y_of(col.last)));
                }
                // Keep each draw call well under 16-bit index limits.
                if (line.size() > 2000) {
                    const ImVec2 last = line.back();
                    flush();
                    line.push_back(last);
                }
            }
            if (i1 < ser.data.size())
                line.push_back(ImVec2(x_of(ser.data.times()[i1]), y_of(ser.data.values()[i1])));
            flush();
        }
        // Time cursor.
        if (state.time.has_timeline()) {
            const float cx = x_of(double(state.time.time() - t_origin_));
            dl->AddLine(ImVec2(cx, p0.y), ImVec2(cx, p1.y), IM_COL32(255, 200, 60, 220), 1.5f * s);
        }
        dl->PopClipRect();
        draw_legend(state, dl, p0);
        if (hovered && io.MousePos.x >= p0.x && io.MousePos.x <= p1.x)
            draw_hover(state, dl, p0, p1, t_of(io.MousePos.x));
    }

  private:
    void rebuild_if_needed(ViewerState& state, const blueprint::ViewProperties& properties,
                           const std::vector<EntityPath>& entities) {
        InputsKey key = inputs_key(state, entities, false);
        key.content = query_properties_hash(properties);
        if (key == built_ && !pending_) return;
        built_ = key;
        const auto [t_lo, t_hi] = visible_time_bounds(properties);
        const TimeInt origin = state.time.has_timeline() ? state.time.min() : 0;
        const auto budget = state.options.screenshot_to.empty()
                                ? std::chrono::nanoseconds(kBuildBudget)
                                : std::chrono::nanoseconds(0);
        pending_ = cache_.update(state.query(), entities, t_lo, t_hi, origin, state.scale, budget);
        if (pending_) state.request_redraw = true;  // the build goes on next frame
        t_origin_ = cache_.origin();
        data_x0_ = 1e300;
        data_x1_ = -1e300;
        for (const PlotSeries* ser : cache_.series()) {
            if (ser->data.size() == 0) continue;
            data_x0_ = std::min(data_x0_, ser->data.times().front());
            data_x1_ = std::max(data_x1_, ser->data.times().back());
        }
        if (data_x0_ > data_x1_) data_x0_ = 0, data_x1_ = 1;
    }

    void fit_y(int columns) {
        double lo = INFINITY, hi = -INFINITY;
        for (const PlotSeries* sp : cache_.series()) {
            const PlotSeries& ser = *sp;
            if (!ser.visible) continue;
            const auto [i0, i1] = ser.data.index_range(x0_, x1_ + (x1_ - x0_) / columns);
            const auto [mn, mx] = ser.data.minmax(i0, i1);
            lo = std::min(lo, mn);
            hi = std::max(hi, mx);
        }
        if (!(lo <= hi)) lo = 0, hi = 1;
        if (hi - lo < 1e-12) lo -= 0.5, hi += 0.5;
        const double pad = (hi - lo) * 0.06;
        y0_ = lo - pad;
        y1_ = hi + pad;
    }

    void draw_axes(ViewerState& state, ImDrawList* dl, ImVec2 p0, ImVec2 p1) {
        const float pw = p1.x - p0.x, ph = p1.y - p0.y;
        const ImU32 grid = IM_COL32(40, 45, 52, 255), text = IM_COL32(150, 155, 162, 255);
        const double ys = nice_step(y1_ - y0_, ph, 40 * state.scale);
        // Ticks by count: with large values a small step would not advance `v += step`.
        const int max_y_ticks = int(ph / (40 * state.scale)) + 2;
        for (int k = 0; k <= max_y_ticks; ++k) {
            const double v = std::ceil(y0_ / ys) * ys + double(k) * ys;
            if (v > y1_) break;
            const float y = float(p1.y - (v - y0_) / (y1_ - y0_) * ph);
            dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.6g", std::abs(v) < ys * 1e-6 ? 0.0 : v);
            const ImVec2 ts = ImGui::CalcTextSize(buf);
            dl->AddText(ImVec2(p0.x - ts.x - 6, y - ts.y * 0.5f), text, buf);
        }
        const double xs = nice_step(x1_ - x0_, pw, 120 * state.scale);
        const int max_x_ticks = int(pw / (120 * state.scale)) + 2;
        for (int k = 0; k <= max_x_ticks; ++k) {
            const double t = std::ceil(x0_ / xs) * xs + double(k) * xs;
            if (t > x1_) break;
            const float x = float(p0.x + (t - x0_) / (x1_ - x0_) * pw);
            dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid);
            const std::string label =
                format_time(state.time.type(), TimeInt(std::llround(t)) + t_origin_);
            // A label that would run past the plot's right edge (and be clipped) is left out.
            if (x + 3 + ImGui::CalcTextSize(label.c_str()).x <= p1.x + 6)
                dl->AddText(ImVec2(x + 3, p1.y + 3), text, label.c_str());
        }
        dl->AddRect(p0, p1, IM_COL32(60, 66, 75, 255));
    }

    void draw_legend(ViewerState& state, ImDrawList* dl, ImVec2 p0) {
        const auto& series = cache_.series();
        if (series.empty()) return;
        const float s = state.scale;
        const float lh = ImGui::GetTextLineHeight();
        float w = 0;
        const size_t shown = std::min<size_t>(series.size(), 12);
        for (size_t i = 0; i < shown; ++i)
            w = std::max(w, ImGui::CalcTextSize(series[i]->name.c_str()).x);
        const ImVec2 o(p0.x + 8 * s, p0.y + 6 * s);
        const float box_w = w + 30 * s;
        const float box_h = float(shown) * (lh + 2) + 6 * s + (series.size() > shown ? lh : 0);
        dl->AddRectFilled(o, ImVec2(o.x + box_w, o.y + box_h), IM_COL32(10, 12, 15, 200), 4);
        for (size_t i = 0; i < shown; ++i) {
            PlotSeries& ser = *series[i];
            const ImVec2 r(o.x + 6 * s, o.y + 3 * s + float(i) * (lh + 2));
            dl->AddRectFilled(ImVec2(r.x, r.y + lh * 0.3f), ImVec2(r.x + 14 * s, r.y + lh * 0.7f),
                              ser.visible ? im_color(ser.color) : IM_COL32(80, 80, 80, 255), 2);
            dl->AddText(ImVec2(r.x + 20 * s, r.y),
                        ser.visible ? IM_COL32(225, 228, 232, 255) : IM_COL32(110, 110, 110, 255),
                        ser.name.c_str());
            // Click an entry to hide or show its series.
            const ImVec2 m = ImGui::GetIO().MousePos;
            if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && m.x >= r.x && m.x <= o.x + box_w &&
                m.y >= r.y && m.y < r.y + lh + 2 && ImGui::IsWindowHovered()) {
                ser.visible = !ser.visible;
            }
        }
        if (series.size() > shown) {
            char more[48];
            std::snprintf(more, sizeof more, "... %zu more", series.size() - shown);
            dl->AddText(ImVec2(o.x + 6 * s, o.y + 3 * s + float(shown) * (lh + 2)),
                        IM_COL32(150, 150, 150, 255), more);
        }
    }

    void draw_hover(ViewerState& state, ImDrawList* dl, ImVec2 p0, ImVec2 p1, double t) {
        const float x = ImGui::GetIO().MousePos.x;
        dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), IM_COL32(200, 200, 200, 80));
        ImGui::BeginTooltip();
        ImGui::Text("%s",
                    format_time(state.time.type(), TimeInt(std::llround(t)) + t_origin_).c_str());
        size_t n = 0;
        for (const PlotSeries* sp : cache_.series()) {
            const PlotSeries& ser = *sp;
            if (!ser.visible || ser.data.size() == 0) continue;
            if (++n > 12) {
                ImGui::TextDisabled("...");
                break;
            }
            const size_t i = ser.data.nearest(t);
            color_swatch(ser.color, ImGui::GetTextLineHeight() * 0.7f);
            ImGui::SameLine();
            ImGui::Text("%s: %.6g", ser.name.c_str(), ser.data.values()[i]);
        }
        ImGui::EndTooltip();
    }

    InputsKey built_;
    SeriesCache cache_;
    bool pending_ = false;  // the cache has work left
    std::vector<DecimatedSeries::Column> cols_;
    TimeInt t_origin_ = 0;
    double data_x0_ = 0, data_x1_ = 1;
    double x0_ = 0, x1_ = 1, y0_ = 0, y1_ = 1;
    bool x_user_ = false, y_user_ = false;
};

}  // namespace

std::unique_ptr<ViewBase> make_time_series_view(const std::string& key) {
    return std::make_unique<TimeSeriesView>(key);
}

}  // namespace rerun::viewer
