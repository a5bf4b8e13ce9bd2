// Text log view: a table of time, entity, level and text, up to the time cursor; filter by level
// and by text; click a row to move the time cursor there.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "format.hpp"
#include "panels.hpp"
#include "properties.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

namespace ct = core::component_types;

struct LogRow {
    TimeInt time = 0;
    EntityPath entity;
    std::string level;
    std::string text;
    uint32_t color = 0;
};

constexpr const char* kLevels[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"};

ImVec4 level_color(const std::string& level) {
    if (level == "CRITICAL" || level == "ERROR") return ImVec4(1.0f, 0.42f, 0.38f, 1);
    if (level == "WARN") return ImVec4(1.0f, 0.75f, 0.3f, 1);
    if (level == "INFO") return ImVec4(0.55f, 0.8f, 1.0f, 1);
    return ImVec4(0.6f, 0.62f, 0.65f, 1);
}

bool contains_ci(const std::string& hay, const std::string& needle) {
    if (needle.empty()) return true;
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
               return std::tolower(uint8_t(a)) == std::tolower(uint8_t(b));
           }) != hay.end();
}

class TextLogView final : public ViewBase {
  public:
    using ViewBase::ViewBase;

    void draw(ViewerState& state, const blueprint::View& view,
              const std::vector<EntityPath>& entities) override {
        rebuild(state, view.properties, entities);
        // Filters: a text search and a level menu, on one line whatever the view's width.
        int shown = 0;
        for (bool b : show_level_)
            shown += b ? 1 : 0;
        const std::string levels_label =
            shown == 6 ? std::string("All levels") : std::to_string(shown) + " of 6 levels";
        ImGui::SetNextItemWidth(130 * state.scale);
        if (ImGui::BeginCombo("##levels", levels_label.c_str())) {
            for (int i = 0; i < 6; ++i) {
                ImGui::PushStyleColor(ImGuiCol_Text, level_color(kLevels[i]));
                ImGui::Checkbox(kLevels[i], &show_level_[i]);
                ImGui::PopStyleColor();
            }
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x, 60.0f));
        ImGui::InputTextWithHint("##search", "search text or entity", search_, sizeof search_);

        filtered_.clear();
        const TimeInt now = state.time.time();
        const std::string needle = search_;
        for (size_t i = 0; i < rows_.size(); ++i) {
            const auto& r = rows_[i];
            if (state.time.has_timeline() && r.time > now) break;  // rows are sorted by time
            if (!level_shown(r.level)) continue;
            if (!contains_ci(r.text, needle) && !contains_ci(r.entity.to_string(), needle))
                continue;
            filtered_.push_back(i);
        }
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                      ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                                      ImGuiTableFlags_SizingFixedFit;
        if (!ImGui::BeginTable("##log", 4, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Time", ImGuiTableColumnFlags_WidthFixed, 64 * state.scale);
        ImGui::TableSetupColumn("Entity", ImGuiTableColumnFlags_WidthFixed, 90 * state.scale);
        ImGui::TableSetupColumn("Level", ImGuiTableColumnFlags_WidthFixed, 56 * state.scale);
        ImGui::TableSetupColumn("Text", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(int(filtered_.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& r = rows_[filtered_[size_t(i)]];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                const std::string t = format_time(state.time.type(), r.time);
                if (ImGui::Selectable(t.c_str(), r.time == now,
                                      ImGuiSelectableFlags_SpanAllColumns)) {
                    state.time.set_time(r.time);
                    state.time.follow = false;
                    state.selection = {r.entity, std::nullopt, true};
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(r.entity.to_string().c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(level_color(r.level), "%s", r.level.c_str());
                ImGui::TableNextColumn();
                if (r.color) {
                    ImGui::PushStyleColor(ImGuiCol_Text,
                                          ImGui::ColorConvertU32ToFloat4(im_color(r.color)));
                    ImGui::TextUnformatted(r.text.c_str());
                    ImGui::PopStyleColor();
                } else {
                    ImGui::TextUnformatted(r.text.c_str());
                }
            }
        }
        // Stay at the bottom while new lines arrive, unless the user scrolled up.
        if (filtered_.size() != last_count_ && ImGui::GetScrollY() >= last_max_scroll_ - 2.0f)
            ImGui::SetScrollHereY(1.0f);
        last_count_ = filtered_.size();
        last_max_scroll_ = ImGui::GetScrollMaxY();
        ImGui::EndTable();
    }

  private:
    bool level_shown(const std::string& level) const {
        for (int i = 0; i < 6; ++i) {
            if (level == kLevels[i]) return show_level_[i];
        }
        return true;  // unknown or empty levels are always shown
    }

    // Rows of the view's visible time range (blueprint property; all rows without one).
    void rebuild(ViewerState& state, const blueprint::ViewProperties& properties,
                 const std::vector<EntityPath>& entities) {
        InputsKey key = inputs_key(state, entities, false);
        key.content = query_properties_hash(properties);
        if (key == built_) return;
        // A rebuild copies every row: while rows stream in (only the store's generation
        // changed) it runs at most once per ten times its own duration, so a big log that
        // keeps growing costs the UI at most ~10% of its time.
        InputsKey same_but_data = key;
        same_but_data.generation = built_.generation;
        const auto now = std::chrono::steady_clock::now();
        const bool screenshot = !state.options.screenshot_to.empty();  // shows every row
        if (same_but_data == built_ && now < next_rebuild_ && !screenshot) {
            state.request_redraw = true;  // come back for the rows that arrived
            return;
        }
        built_ = key;
        rows_.clear();
        const auto q = state.query();
        const auto [t_lo, t_hi] = visible_time_bounds(properties);
        for (const auto& e : entities) {
            const auto r = q.range(e, "TextLog:text", t_lo, t_hi);
            for (const auto& h : r.hits) {
                const auto text = range_row(r, h);
                if (text.empty() || !(text.type() == ct::Text.type)) continue;
                LogRow row;
                row.time = h.time;
                row.entity = e;
                row.text = std::string(text.string(0));
                // Level and colour usually sit in the same row of the same chunk.
                const auto& chunk = *r.chunks[h.chunk];
                if (const auto* lv = chunk.find_component("TextLog:level");
                    lv && lv->type == ct::TextLogLevel.type && lv->is_present(h.row)) {
                    const auto [b, en] = lv->instance_range(h.row);
                    if (en > b) row.level = std::string(lv->string_at(b));
                }
                if (const auto* c = chunk.find_component("TextLog:color");
                    c && c->type == ct::Color.type && c->is_present(h.row)) {
                    const auto [b, en] = c->instance_range(h.row);
                    if (en > b) row.color = c->values_as<uint32_t>()[b];
                }
                rows_.push_back(std::move(row));
            }
        }
        std::stable_sort(rows_.begin(), rows_.end(),
                         [](const LogRow& a, const LogRow& b) { return a.time < b.time; });
        next_rebuild_ = now + (std::chrono::steady_clock::now() - now) * 10;
    }

    InputsKey built_;
    std::chrono::steady_clock::time_point next_rebuild_{};
    std::vector<LogRow> rows_;
    std::vector<size_t> filtered_;
    bool show_level_[6] = {true, true, true, true, true, true};
    char search_[256] = "";
    size_t last_count_ = 0;
    float last_max_scroll_ = 0;
};

}  // namespace

std::unique_ptr<ViewBase> make_text_log_view(const std::string& key) {
    return std::make_unique<TextLogView>(key);
}

}  // namespace rerun::viewer
