#include "rerun/blueprint/blueprint.hpp"

#include <algorithm>
#include <random>

namespace rerun::blueprint {

NodeId new_node_id() {
    thread_local std::mt19937_64 rng{std::random_device{}() ^
                                     (uint64_t(std::random_device{}()) << 32)};
    NodeId id = 0;
    while (id == 0)
        id = rng();
    return id;
}

std::string_view view_class_name(ViewClass cls) {
    switch (cls) {
        case ViewClass::Spatial3D:
            return "Spatial3D";
        case ViewClass::Spatial2D:
            return "Spatial2D";
        case ViewClass::TimeSeries:
            return "TimeSeries";
        case ViewClass::TextLog:
            return "TextLog";
        case ViewClass::TextDocument:
            return "TextDocument";
    }
    return "Unknown";
}

std::optional<ViewClass> view_class_from_name(std::string_view name) {
    for (auto cls : {ViewClass::Spatial3D, ViewClass::Spatial2D, ViewClass::TimeSeries,
                     ViewClass::TextLog, ViewClass::TextDocument}) {
        if (view_class_name(cls) == name) return cls;
    }
    return std::nullopt;
}

std::string_view container_kind_name(ContainerKind kind) {
    switch (kind) {
        case ContainerKind::Horizontal:
            return "Horizontal";
        case ContainerKind::Vertical:
            return "Vertical";
        case ContainerKind::Grid:
            return "Grid";
        case ContainerKind::Tabs:
            return "Tabs";
    }
    return "Unknown";
}

std::optional<ContainerKind> container_kind_from_name(std::string_view name) {
    for (auto kind : {ContainerKind::Horizontal, ContainerKind::Vertical, ContainerKind::Grid,
                      ContainerKind::Tabs}) {
        if (container_kind_name(kind) == name) return kind;
    }
    return std::nullopt;
}

namespace {

Node clone(const Node& node) {
    if (const auto* view = std::get_if<View>(&node)) return *view;
    return std::make_unique<Container>(*std::get<std::unique_ptr<Container>>(node));
}

}  // namespace

Container::Container(const Container& other)
    : id(other.id),
      kind(other.kind),
      name(other.name),
      shares(other.shares),
      active_tab(other.active_tab),
      grid_columns(other.grid_columns) {
    children.reserve(other.children.size());
    for (const auto& child : other.children)
        children.push_back(clone(child));
}

Container& Container::operator=(const Container& other) {
    if (this != &other) *this = Container(other);
    return *this;
}

bool Container::operator==(const Container& other) const {
    if (id != other.id || kind != other.kind || name != other.name || shares != other.shares ||
        active_tab != other.active_tab || grid_columns != other.grid_columns ||
        children.size() != other.children.size()) {
        return false;
    }
    for (size_t i = 0; i < children.size(); ++i) {
        const auto* a = std::get_if<View>(&children[i]);
        const auto* b = std::get_if<View>(&other.children[i]);
        if ((a == nullptr) != (b == nullptr)) return false;
        if (a ? !(*a == *b)
              : !(*std::get<std::unique_ptr<Container>>(children[i]) ==
                  *std::get<std::unique_ptr<Container>>(other.children[i]))) {
            return false;
        }
    }
    return true;
}

NodeId node_id(const Node& node) {
    if (const auto* view = std::get_if<View>(&node)) return view->id;
    return std::get<std::unique_ptr<Container>>(node)->id;
}

Blueprint::Blueprint() {
    root_.id = new_node_id();
}

namespace {

// Finds the container holding node `id` and the index of the node in it.
std::pair<Container*, size_t> find_parent(Container& c, NodeId id) {
    for (size_t i = 0; i < c.children.size(); ++i) {
        if (node_id(c.children[i]) == id) return {&c, i};
        if (auto* sub = std::get_if<std::unique_ptr<Container>>(&c.children[i])) {
            auto found = find_parent(**sub, id);
            if (found.first) return found;
        }
    }
    return {nullptr, 0};
}

Container* find_container_in(Container& c, NodeId id) {
    if (c.id == id) return &c;
    for (auto& child : c.children) {
        if (auto* sub = std::get_if<std::unique_ptr<Container>>(&child)) {
            if (auto* found = find_container_in(**sub, id)) return found;
        }
    }
    return nullptr;
}

void collect_views(const Container& c, std::vector<const View*>& out) {
    for (const auto& child : c.children) {
        if (const auto* view = std::get_if<View>(&child)) {
            out.push_back(view);
        } else {
            collect_views(*std::get<std::unique_ptr<Container>>(child), out);
        }
    }
}

void erase_share(Container& c, size_t index) {
    if (index < c.shares.size()) c.shares.erase(c.shares.begin() + long(index));
    if (c.active_tab >= c.children.size() && c.active_tab > 0)
        c.active_tab = uint32_t(c.children.size() - 1);
}

}  // namespace

View* Blueprint::find_view(NodeId id) {
    auto [parent, index] = find_parent(root_, id);
    return parent ? std::get_if<View>(&parent->children[index]) : nullptr;
}

const View* Blueprint::find_view(NodeId id) const {
    return const_cast<Blueprint*>(this)->find_view(id);
}

Container* Blueprint::find_container(NodeId id) {
    return find_container_in(root_, id);
}

bool Blueprint::remove(NodeId id) {
    auto [parent, index] = find_parent(root_, id);
    if (!parent) return false;
    parent->children.erase(parent->children.begin() + long(index));
    erase_share(*parent, index);
    return true;
}

bool Blueprint::insert(NodeId parent_id, Node node, size_t index) {
    Container* parent = find_container(parent_id);
    if (!parent) return false;
    index = std::min(index, parent->children.size());
    parent->children.insert(parent->children.begin() + long(index), std::move(node));
    if (!parent->shares.empty()) parent->shares.insert(parent->shares.begin() + long(index), 1.0f);
    return true;
}

bool Blueprint::move(NodeId id, NodeId new_parent, size_t index) {
    auto [parent, at] = find_parent(root_, id);
    if (!parent) return false;
    // A container cannot move into itself or its own descendants.
    if (auto* sub = std::get_if<std::unique_ptr<Container>>(&parent->children[at])) {
        if (find_container_in(**sub, new_parent)) return false;
    }
    if (!find_container(new_parent)) return false;
    Node node = std::move(parent->children[at]);
    parent->children.erase(parent->children.begin() + long(at));
    erase_share(*parent, at);
    return insert(new_parent, std::move(node), index);
}

bool Blueprint::split(NodeId id, ContainerKind kind, View new_view) {
    auto [parent, at] = find_parent(root_, id);
    if (!parent || !std::holds_alternative<View>(parent->children[at])) return false;
    auto container = std::make_unique<Container>();
    container->id = new_node_id();
    container->kind = kind;
    container->children.push_back(std::move(parent->children[at]));
    container->children.push_back(std::move(new_view));
    parent->children[at] = std::move(container);
    return true;
}

std::optional<std::pair<NodeId, size_t>> Blueprint::parent_of(NodeId id) const {
    auto [parent, index] = find_parent(const_cast<Container&>(root_), id);
    if (!parent) return std::nullopt;
    return std::pair<NodeId, size_t>{parent->id, index};
}

namespace {

void describe_container(const Container& c, std::string& out) {
    out += container_kind_name(c.kind);
    if (!c.name.empty()) out += " \"" + c.name + "\"";
    out += '[';
    for (size_t i = 0; i < c.children.size(); ++i) {
        if (i > 0) out += ", ";
        if (const auto* view = std::get_if<View>(&c.children[i])) {
            out += view_class_name(view->cls);
            out += '(' + view->origin.to_string();
            if (!view->name.empty()) out += " \"" + view->name + "\"";
            if (!(view->contents == EntityQuery::everything_under_origin())) {
                std::string rules = view->contents.to_string();
                std::replace(rules.begin(), rules.end(), '\n', ';');
                out += " {" + rules + "}";
            }
            out += ')';
        } else {
            describe_container(*std::get<std::unique_ptr<Container>>(c.children[i]), out);
        }
    }
    out += ']';
}

}  // namespace

std::string describe(const Blueprint& bp) {
    std::string out;
    describe_container(bp.root(), out);
    return out;
}

std::vector<const View*> Blueprint::views() const {
    std::vector<const View*> out;
    collect_views(root_, out);
    return out;
}

void History::record(const Blueprint& before) {
    undo_.push_back(before);
    if (undo_.size() > limit_) undo_.erase(undo_.begin());
    redo_.clear();
}

std::optional<Blueprint> History::undo(const Blueprint& current) {
    if (undo_.empty()) return std::nullopt;
    Blueprint previous = std::move(undo_.back());
    undo_.pop_back();
    redo_.push_back(current);
    return previous;
}

std::optional<Blueprint> History::redo(const Blueprint& current) {
    if (redo_.empty()) return std::nullopt;
    Blueprint next = std::move(redo_.back());
    redo_.pop_back();
    undo_.push_back(current);
    return next;
}

}  // namespace rerun::blueprint
