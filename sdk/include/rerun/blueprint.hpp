// Blueprints from code: describe the viewer's layout (containers of views) and send it with
// RecordingStream::send_blueprint(). Upstream's C++ SDK has no blueprint API; the names follow
// upstream's Python one (rerun.blueprint):
//
//   using namespace rerun::blueprint;
//   const auto bp = Blueprint(Horizontal(
//       Spatial3DView("/world").with_name("3D"),
//       Vertical(TimeSeriesView("/metrics"), TextLogView("/logs")).with_row_shares({2, 1})));
//   rec.send_blueprint(bp);                       // make_active and make_default
//   bp.save("my_app", "layout.rbl").exit_on_failure();   // `rerun data.rrd layout.rbl`
//
// What travels: a store of kind blueprint (its own random id, the stream's application id) with
// one static chunk per node, then a BlueprintActivation. The encoding is specified in
// docs/format.md ("Blueprint stores"); the viewer decodes it with rerun_blueprint.
//
// make_active: the viewer shows this layout now (replacing the user's, undoably) and saves it
// as the application's blueprint. make_default: it becomes what "reset" returns to, and the
// layout shown when the user has no blueprint of their own for the application.
//
// These classes live in the inline namespace rerun::blueprint::api, so a program may link the
// viewer's own blueprint model (also in rerun::blueprint) without a clash of symbols.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "rerun/components.hpp"
#include "rerun/error.hpp"

namespace rerun::blueprint {
inline namespace api {

// A view: its class ("Spatial3D", "Spatial2D", "TimeSeries", "TextLog", "TextDocument"), the
// entity it is rooted at, which entities it shows and its properties. Built through the class
// helpers below (Spatial3DView(...), ...); the with_* methods return a modified copy.
class ViewBlueprint {
  public:
    // `contents`: query rules separated by newlines or ';' ("+ /world/**; - /world/noise"),
    // $origin standing for the origin; empty: "$origin/**". `name` empty: the viewer's default.
    ViewBlueprint(std::string_view view_class, std::string_view origin,
                  std::string_view contents = {}, std::string_view name = {});

    ViewBlueprint with_name(std::string_view name) const;
    ViewBlueprint with_origin(std::string_view origin) const;
    ViewBlueprint with_contents(std::string_view query) const;
    ViewBlueprint with_contents(const std::vector<std::string>& rules) const;
    // Spatial views: the background colour.
    ViewBlueprint with_background(Color color) const;
    // Time series and text logs: the visible time range, in the timeline's units.
    ViewBlueprint with_time_range(int64_t min, int64_t max) const;
    // Time series and 2D views: fixed axis ranges (absent: automatic).
    ViewBlueprint with_x_range(double min, double max) const;
    ViewBlueprint with_y_range(double min, double max) const;

    const std::string& view_class() const { return class_; }
    const std::string& origin() const { return origin_; }
    const std::string& contents() const { return contents_; }  // one rule per line
    const std::string& name() const { return name_; }
    const std::optional<Color>& background() const { return background_; }
    const std::optional<std::pair<int64_t, int64_t>>& time_range() const { return time_range_; }
    const std::optional<std::pair<double, double>>& x_range() const { return x_range_; }
    const std::optional<std::pair<double, double>>& y_range() const { return y_range_; }

  private:
    std::string class_, origin_, contents_, name_;
    std::optional<Color> background_;
    std::optional<std::pair<int64_t, int64_t>> time_range_;
    std::optional<std::pair<double, double>> x_range_, y_range_;
};

struct Spatial3DView : ViewBlueprint {
    explicit Spatial3DView(std::string_view origin = "/", std::string_view contents = {},
                           std::string_view name = {})
        : ViewBlueprint("Spatial3D", origin, contents, name) {}
};
struct Spatial2DView : ViewBlueprint {
    explicit Spatial2DView(std::string_view origin = "/", std::string_view contents = {},
                           std::string_view name = {})
        : ViewBlueprint("Spatial2D", origin, contents, name) {}
};
struct TimeSeriesView : ViewBlueprint {
    explicit TimeSeriesView(std::string_view origin = "/", std::string_view contents = {},
                            std::string_view name = {})
        : ViewBlueprint("TimeSeries", origin, contents, name) {}
};
struct TextLogView : ViewBlueprint {
    explicit TextLogView(std::string_view origin = "/", std::string_view contents = {},
                         std::string_view name = {})
        : ViewBlueprint("TextLog", origin, contents, name) {}
};
struct TextDocumentView : ViewBlueprint {
    explicit TextDocumentView(std::string_view origin = "/", std::string_view contents = {},
                              std::string_view name = {})
        : ViewBlueprint("TextDocument", origin, contents, name) {}
};

class BlueprintPart;

// A container: "Horizontal", "Vertical", "Grid" or "Tabs", holding views and containers.
class ContainerBlueprint {
  public:
    ContainerBlueprint(std::string_view kind, std::vector<BlueprintPart> children);

    ContainerBlueprint with_name(std::string_view name) const;
    // Relative sizes of the children along the container's axis (one per child):
    // column shares of a Horizontal, row shares of a Vertical. Ignored by Grid and Tabs.
    ContainerBlueprint with_column_shares(std::vector<float> shares) const;
    ContainerBlueprint with_row_shares(std::vector<float> shares) const;
    // Tabs: the tab shown (0-based).
    ContainerBlueprint with_active_tab(uint32_t index) const;
    // Grid: the number of columns (0: chosen from the window's aspect).
    ContainerBlueprint with_grid_columns(uint32_t columns) const;

    const std::string& kind() const { return kind_; }
    const std::string& name() const { return name_; }
    const std::vector<BlueprintPart>& children() const { return children_; }
    const std::vector<float>& shares() const { return shares_; }
    uint32_t active_tab() const { return active_tab_; }
    uint32_t grid_columns() const { return grid_columns_; }

  private:
    std::string kind_, name_;
    std::vector<BlueprintPart> children_;
    std::vector<float> shares_;
    uint32_t active_tab_ = 0, grid_columns_ = 0;
};

// A view or a container (what containers hold).
class BlueprintPart {
  public:
    BlueprintPart(ViewBlueprint view) : part_(std::move(view)) {}
    BlueprintPart(ContainerBlueprint container) : part_(std::move(container)) {}

    const ViewBlueprint* view() const { return std::get_if<ViewBlueprint>(&part_); }
    const ContainerBlueprint* container() const { return std::get_if<ContainerBlueprint>(&part_); }

  private:
    std::variant<ViewBlueprint, ContainerBlueprint> part_;
};

// Arguments that make children of a `Self` container: views and containers, but not a lone
// `Self` (that is a copy).
template <class Self, class... Parts>
concept ChildrenOf = (std::is_constructible_v<BlueprintPart, Parts> && ...) &&
                     !(sizeof...(Parts) == 1 &&
                       (std::is_same_v<std::remove_cvref_t<Parts>, Self> && ...));

struct Horizontal : ContainerBlueprint {
    template <class... Parts>
    requires ChildrenOf<Horizontal, Parts...>
    explicit Horizontal(Parts&&... parts)
        : ContainerBlueprint("Horizontal", {BlueprintPart(std::forward<Parts>(parts))...}) {}
    explicit Horizontal(std::vector<BlueprintPart> parts)
        : ContainerBlueprint("Horizontal", std::move(parts)) {}
};
struct Vertical : ContainerBlueprint {
    template <class... Parts>
    requires ChildrenOf<Vertical, Parts...>
    explicit Vertical(Parts&&... parts)
        : ContainerBlueprint("Vertical", {BlueprintPart(std::forward<Parts>(parts))...}) {}
    explicit Vertical(std::vector<BlueprintPart> parts)
        : ContainerBlueprint("Vertical", std::move(parts)) {}
};
struct Grid : ContainerBlueprint {
    template <class... Parts>
    requires ChildrenOf<Grid, Parts...>
    explicit Grid(Parts&&... parts)
        : ContainerBlueprint("Grid", {BlueprintPart(std::forward<Parts>(parts))...}) {}
    explicit Grid(std::vector<BlueprintPart> parts)
        : ContainerBlueprint("Grid", std::move(parts)) {}
};
struct Tabs : ContainerBlueprint {
    template <class... Parts>
    requires ChildrenOf<Tabs, Parts...>
    explicit Tabs(Parts&&... parts)
        : ContainerBlueprint("Tabs", {BlueprintPart(std::forward<Parts>(parts))...}) {}
    explicit Tabs(std::vector<BlueprintPart> parts)
        : ContainerBlueprint("Tabs", std::move(parts)) {}
};

// A whole layout. One container given: it is the root. Otherwise (views, or several parts)
// they are laid out in a Grid root, as upstream does.
class Blueprint {
  public:
    template <class... Parts>
    requires ChildrenOf<Blueprint, Parts...>
    explicit Blueprint(Parts&&... parts)
        : Blueprint(std::vector<BlueprintPart>{BlueprintPart(std::forward<Parts>(parts))...}) {}
    explicit Blueprint(std::vector<BlueprintPart> parts);

    const ContainerBlueprint& root() const { return root_; }

    // Writes the blueprint as a .rbl file for `application_id` (opening it in the viewer, or
    // `rerun data.rrd layout.rbl`, makes it the active layout of that application).
    Error save(std::string_view application_id, std::string_view path) const;

  private:
    ContainerBlueprint root_;
};

}  // namespace api
}  // namespace rerun::blueprint
