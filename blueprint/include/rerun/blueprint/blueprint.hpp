// The layout model: a tree of containers whose leaves are views. Every node has an id that stays
// the same across edits and sessions (ImGui window ids and saved layouts use it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "rerun/blueprint/query.hpp"
#include "rerun/core/entity_path.hpp"

namespace rerun::blueprint {

using NodeId = uint64_t;
// A new random non-zero id.
NodeId new_node_id();

enum class ViewClass : uint8_t {
    Spatial3D = 1,
    Spatial2D = 2,
    TimeSeries = 3,
    TextLog = 4,
    TextDocument = 5
};
std::string_view view_class_name(ViewClass cls);  // "Spatial3D", ...
std::optional<ViewClass> view_class_from_name(std::string_view name);

enum class ContainerKind : uint8_t { Horizontal = 1, Vertical = 2, Grid = 3, Tabs = 4 };
std::string_view container_kind_name(ContainerKind kind);  // "Horizontal", ...
std::optional<ContainerKind> container_kind_from_name(std::string_view name);

struct ViewProperties {
    std::optional<uint32_t> background;  // RGBA 0xRRGGBBAA
    // Visible time range (time-series and text-log views), in the timeline's units; absent: all.
    std::optional<std::pair<int64_t, int64_t>> time_range;
    std::optional<std::pair<double, double>> x_range;  // axis ranges; absent: automatic
    std::optional<std::pair<double, double>> y_range;

    bool operator==(const ViewProperties&) const = default;
};

struct View {
    NodeId id = 0;
    ViewClass cls = ViewClass::Spatial3D;
    std::string name;
    core::EntityPath origin;
    EntityQuery contents = EntityQuery::everything_under_origin();
    ViewProperties properties;

    bool operator==(const View&) const = default;
};

struct Container;
using Node = std::variant<View, std::unique_ptr<Container>>;

struct Container {
    NodeId id = 0;
    ContainerKind kind = ContainerKind::Horizontal;
    std::string name;
    std::vector<Node> children;
    std::vector<float> shares;  // one per child, or empty for equal shares
    uint32_t active_tab = 0;    // Tabs
    uint32_t grid_columns = 0;  // Grid; 0 = automatic

    Container() = default;
    Container(const Container& other);
    Container& operator=(const Container& other);
    Container(Container&&) = default;
    Container& operator=(Container&&) = default;
    bool operator==(const Container& other) const;
};

NodeId node_id(const Node& node);

class Blueprint {
  public:
    Blueprint();  // an empty horizontal root

    Container& root() { return root_; }
    const Container& root() const { return root_; }
    // True while the layout is the heuristic default; the first user edit clears it.
    bool auto_layout = true;

    // Lookups and edits by id. Each returns false when the id is not found or the edit is not
    // possible (e.g. removing the root, moving a container into itself).
    View* find_view(NodeId id);
    const View* find_view(NodeId id) const;
    Container* find_container(NodeId id);
    bool remove(NodeId id);
    // Adds `node` to container `parent` at `index` (clamped to the end).
    bool insert(NodeId parent, Node node, size_t index = SIZE_MAX);
    bool move(NodeId id, NodeId new_parent, size_t index = SIZE_MAX);
    // Replaces view `id` by a container of `kind` holding the view and `new_view`.
    bool split(NodeId id, ContainerKind kind, View new_view);
    // The container holding node `id` and the node's index in it; nullopt for the root or an
    // unknown id.
    std::optional<std::pair<NodeId, size_t>> parent_of(NodeId id) const;
    std::vector<const View*> views() const;
    size_t view_count() const { return views().size(); }

    bool operator==(const Blueprint& other) const {
        return auto_layout == other.auto_layout && root_ == other.root_;
    }

  private:
    Container root_;
};

// A one-line description of the tree, for logs, tests and --stats-json, e.g.
//   Horizontal[Spatial3D(/world "3D"), Vertical[TimeSeries(/metrics), TextLog(/logs)]]
// A view's contents appear in braces when they are not the default "+ $origin/**".
std::string describe(const Blueprint& bp);

// Undo/redo over whole snapshots (blueprints are small).
class History {
  public:
    explicit History(size_t limit = 100) : limit_(limit) {}
    void record(const Blueprint& before);  // call before applying an edit
    std::optional<Blueprint> undo(const Blueprint& current);
    std::optional<Blueprint> redo(const Blueprint& current);
    bool can_undo() const { return !undo_.empty(); }
    bool can_redo() const { return !redo_.empty(); }

  private:
    size_t limit_;
    std::vector<Blueprint> undo_, redo_;
};

}  // namespace rerun::blueprint
