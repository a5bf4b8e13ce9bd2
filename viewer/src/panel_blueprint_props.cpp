// The selection panel's page for a blueprint node (chosen in the blueprint panel): a view's
// name, class, origin, contents query and properties (background, visible time range, axis
// ranges: see properties.hpp for what they do); a container's name, kind, grid columns,
// active tab and shares. Text fields apply when they lose focus (or on Enter), so a rename is
// one undo step, not one per key.
#include <imgui.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "panels.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace bp = blueprint;

namespace {

// Edit buffers of the node being shown; reloaded when the node or the blueprint changes.
struct Buffers {
    bp::NodeId id = 0;
    uint64_t revision = ~uint64_t(0);
    char name[256] = "";
    char origin[1024] = "";
    char contents[4096] = "";
    std::string origin_error, contents_error;
};
Buffers g_buf;

void copy_to(char* dst, size_t size, const std::string& src) {
    const size_t n = std::min(size - 1, src.size());
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

// True when the last item was edited and has just lost focus (or Enter was pressed).
bool committed() {
    return ImGui::IsItemDeactivatedAfterEdit();
}

// `view` and `c` are copies: an edit replaces the blueprint they came from.
void view_page(ViewerState& state, const bp::View view) {
    ImGui::PushFont(state.fonts.large);
    ImGui::TextUnformatted(view.name.empty() ? "View" : view.name.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s view", std::string(bp::view_class_name(view.cls)).c_str());
    ImGui::Separator();

    auto edit = [&](auto&& change) {
        bp::Blueprint next = state.layout();
        if (bp::View* v = next.find_view(view.id)) {
            change(*v);
            state.edit_layout(std::move(next));
        }
    };
    ImGui::TextUnformatted("Name");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##name", g_buf.name, sizeof g_buf.name);
    if (committed()) edit([&](bp::View& v) { v.name = g_buf.name; });

    ImGui::TextUnformatted("Class");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##class", std::string(bp::view_class_name(view.cls)).c_str())) {
        for (const auto& info : view_classes()) {
            if (ImGui::Selectable(std::string(bp::view_class_name(info.cls)).c_str(),
                                  info.cls == view.cls) &&
                info.cls != view.cls) {
                edit([&](bp::View& v) { v.cls = info.cls; });
            }
        }
        ImGui::EndCombo();
    }

    ImGui::TextUnformatted("Origin");
    ImGui::SameLine();
    help_marker("The entity the view is rooted at; $origin in the query stands for it.");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##origin", g_buf.origin, sizeof g_buf.origin);
    if (committed()) {
        std::string error;
        if (auto path = EntityPath::parse(g_buf.origin, &error)) {
            g_buf.origin_error.clear();
            edit([&](bp::View& v) { v.origin = std::move(*path); });
        } else {
            g_buf.origin_error = error;
        }
    }
    if (!g_buf.origin_error.empty())
        ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", g_buf.origin_error.c_str());

    ImGui::TextUnformatted("Contents");
    ImGui::SameLine();
    help_marker(
        "One rule per line: '+ /world/**' includes /world and everything below it, "
        "'- /world/noise' excludes exactly that entity, '$origin' stands for the origin. The "
        "most specific rule wins; exclusion wins a tie.");
    ImGui::InputTextMultiline("##contents", g_buf.contents, sizeof g_buf.contents,
                              ImVec2(-1, ImGui::GetTextLineHeight() * 5));
    if (committed()) {
        std::string error;
        if (auto query = bp::EntityQuery::parse(g_buf.contents, &error)) {
            g_buf.contents_error.clear();
            edit([&](bp::View& v) { v.contents = std::move(*query); });
        } else {
            g_buf.contents_error = error;
        }
    }
    if (!g_buf.contents_error.empty())
        ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", g_buf.contents_error.c_str());
    const auto shown = view_entities(view, state.entity_paths);
    ImGui::TextDisabled("Shows %zu entit%s", shown.size(), shown.size() == 1 ? "y" : "ies");
    if (ImGui::IsItemHovered() && !shown.empty()) {
        ImGui::BeginTooltip();
        for (size_t i = 0; i < shown.size() && i < 30; ++i)
            ImGui::TextUnformatted(shown[i].to_string().c_str());
        if (shown.size() > 30) ImGui::TextDisabled("...");
        ImGui::EndTooltip();
    }

    const bool spatial =
        view.cls == bp::ViewClass::Spatial3D || view.cls == bp::ViewClass::Spatial2D;
    const bool plot = view.cls == bp::ViewClass::TimeSeries;
    if (spatial || plot) {
        bool custom = view.properties.background.has_value();
        if (ImGui::Checkbox("Background colour", &custom)) {
            edit([&](bp::View& v) {
                v.properties.background =
                    custom ? std::optional<uint32_t>(0x202830ff) : std::nullopt;
            });
        }
        if (view.properties.background) {
            const uint32_t c = *view.properties.background;
            float rgb[3] = {float(c >> 24) / 255.0f, float((c >> 16) & 0xff) / 255.0f,
                            float((c >> 8) & 0xff) / 255.0f};
            ImGui::SameLine();
            ImGui::ColorEdit3("##bg", rgb, ImGuiColorEditFlags_NoInputs);
            if (committed()) {
                auto to8 = [](float f) { return uint32_t(std::clamp(f, 0.0f, 1.0f) * 255.0f); };
                edit([&](bp::View& v) {
                    v.properties.background =
                        (to8(rgb[0]) << 24) | (to8(rgb[1]) << 16) | (to8(rgb[2]) << 8) | 0xff;
                });
            }
        }
    }
    if (plot || view.cls == bp::ViewClass::TextLog) {
        // Absolute bounds in the timeline's units (sequence numbers or nanoseconds).
        bool limited = view.properties.time_range.has_value();
        if (ImGui::Checkbox("Visible time range", &limited)) {
            // A pair, not a structured binding: clang 14 cannot capture those in a lambda.
            const auto bounds = state.time.has_timeline()
                                    ? std::pair{state.time.min(), state.time.max()}
                                    : std::pair<TimeInt, TimeInt>{0, 0};
            edit([&](bp::View& v) {
                v.properties.time_range =
                    limited
                        ? std::optional(std::pair<int64_t, int64_t>{bounds.first, bounds.second})
                        : std::nullopt;
            });
        }
        ImGui::SameLine();
        help_marker(
            "Only rows logged in [from, to] are shown (timeline units; static data "
            "always). Without it: every row.");
        if (view.properties.time_range) {
            int64_t range[2] = {view.properties.time_range->first,
                                view.properties.time_range->second};
            ImGui::SetNextItemWidth(-1);
            ImGui::InputScalarN("##time_range", ImGuiDataType_S64, range, 2);
            if (committed()) {
                edit([&](bp::View& v) { v.properties.time_range = std::pair{range[0], range[1]}; });
            }
        }
    }
    if (plot || view.cls == bp::ViewClass::Spatial2D) {
        // Axis ranges: where the view starts and what double-click returns to.
        auto axis = [&](const char* label, const char* id,
                        std::optional<std::pair<double, double>> bp::ViewProperties::*field,
                        std::pair<double, double> initial) {
            const auto& current = view.properties.*field;
            bool fixed = current.has_value();
            if (ImGui::Checkbox(label, &fixed)) {
                edit([&](bp::View& v) {
                    v.properties.*field = fixed ? std::optional(initial) : std::nullopt;
                });
            }
            if (current) {
                double range[2] = {current->first, current->second};
                ImGui::SetNextItemWidth(-1);
                ImGui::InputScalarN(id, ImGuiDataType_Double, range, 2, nullptr, nullptr, "%.6g");
                if (committed()) {
                    edit([&](bp::View& v) { v.properties.*field = std::pair{range[0], range[1]}; });
                }
            }
        };
        // Initial values when a range is switched on: the timeline's extent for a plot's time
        // axis; else a unit range to edit.
        const std::pair<double, double> time_extent =
            state.time.has_timeline()
                ? std::pair{double(state.time.min()), double(state.time.max())}
                : std::pair{0.0, 1.0};
        axis(plot ? "Fixed time axis" : "Fixed x range", "##x_range", &bp::ViewProperties::x_range,
             plot ? time_extent : std::pair{0.0, 1.0});
        axis(plot ? "Fixed value axis" : "Fixed y range", "##y_range", &bp::ViewProperties::y_range,
             {0.0, 1.0});
    }
}

void container_page(ViewerState& state, const bp::Container c, bool is_root) {
    ImGui::PushFont(state.fonts.large);
    ImGui::TextUnformatted(c.name.empty() ? "Container" : c.name.c_str());
    ImGui::PopFont();
    ImGui::TextDisabled("%s container%s, %zu children",
                        std::string(bp::container_kind_name(c.kind)).c_str(),
                        is_root ? " (root)" : "", c.children.size());
    ImGui::Separator();
    auto edit = [&](auto&& change) {
        bp::Blueprint next = state.layout();
        if (bp::Container* e = next.find_container(c.id)) {
            change(*e);
            state.edit_layout(std::move(next));
        }
    };
    ImGui::TextUnformatted("Name");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##name", g_buf.name, sizeof g_buf.name);
    if (committed()) edit([&](bp::Container& e) { e.name = g_buf.name; });

    ImGui::TextUnformatted("Kind");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##kind", std::string(bp::container_kind_name(c.kind)).c_str())) {
        for (auto kind : {bp::ContainerKind::Horizontal, bp::ContainerKind::Vertical,
                          bp::ContainerKind::Grid, bp::ContainerKind::Tabs}) {
            if (ImGui::Selectable(std::string(bp::container_kind_name(kind)).c_str(),
                                  kind == c.kind) &&
                kind != c.kind) {
                edit([&](bp::Container& e) { e.kind = kind; });
            }
        }
        ImGui::EndCombo();
    }
    if (c.kind == bp::ContainerKind::Grid) {
        int columns = int(c.grid_columns);
        ImGui::TextUnformatted("Columns (0: automatic)");
        ImGui::SetNextItemWidth(-1);
        ImGui::InputInt("##columns", &columns);
        if (committed() || (ImGui::IsItemEdited() && !ImGui::IsItemActive()))
            edit([&](bp::Container& e) { e.grid_columns = uint32_t(std::clamp(columns, 0, 64)); });
    }
    if (c.kind == bp::ContainerKind::Tabs && !c.children.empty()) {
        ImGui::TextUnformatted("Active tab");
        ImGui::SetNextItemWidth(-1);
        int tab = int(std::min<size_t>(c.active_tab, c.children.size() - 1));
        if (ImGui::SliderInt("##tab", &tab, 0, int(c.children.size()) - 1))
            edit([&](bp::Container& e) { e.active_tab = uint32_t(tab); });
    }
    if ((c.kind == bp::ContainerKind::Horizontal || c.kind == bp::ContainerKind::Vertical) &&
        c.children.size() > 1) {
        ImGui::TextUnformatted("Shares");
        std::vector<float> shares = c.shares;
        if (shares.size() != c.children.size()) shares.assign(c.children.size(), 1.0f);
        for (size_t i = 0; i < shares.size(); ++i) {
            ImGui::PushID(int(i));
            ImGui::SetNextItemWidth(-1);
            ImGui::DragFloat("##share", &shares[i], 0.02f, 0.05f, 20.0f, "%.2f");
            if (committed()) edit([&](bp::Container& e) { e.shares = shares; });
            ImGui::PopID();
        }
    }
}

}  // namespace

void draw_blueprint_selection(ViewerState& state) {
    const bp::NodeId id = state.blueprint_selection;
    AppBlueprint& app = state.app_blueprint();
    const bp::View* view = app.active.find_view(id);
    const bp::Container* container = app.active.find_container(id);
    if (!view && !container) {
        state.blueprint_selection = 0;
        ImGui::TextDisabled("Nothing selected.");
        return;
    }
    // Reload the text fields when another node is shown or the blueprint changed (undo, a
    // producer), unless the user is typing in one of them.
    if ((g_buf.id != id || g_buf.revision != app.revision) && !ImGui::IsAnyItemActive()) {
        g_buf.id = id;
        g_buf.revision = app.revision;
        g_buf.origin_error.clear();
        g_buf.contents_error.clear();
        copy_to(g_buf.name, sizeof g_buf.name, view ? view->name : container->name);
        copy_to(g_buf.origin, sizeof g_buf.origin, view ? view->origin.to_string() : "");
        copy_to(g_buf.contents, sizeof g_buf.contents, view ? view->contents.to_string() : "");
    }
    ImGui::PushID(static_cast<int>(id & 0x7fffffff));
    if (view) {
        view_page(state, *view);
    } else {
        container_page(state, *container, container == &app.active.root());
    }
    ImGui::PopID();
}

}  // namespace rerun::viewer
