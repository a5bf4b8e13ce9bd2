// Blueprint panel: the container/view tree of the active blueprint, with add, remove, move
// (buttons, context menu, drag and drop), split, undo/redo and reset. The selected node's
// properties (name, origin, contents query, kind, ...) are edited in the selection panel
// (draw_blueprint_selection). Every change goes through ViewerState::edit_layout(), so it is
// undoable and saved after a delay.
#include <imgui.h>

#include <cstring>
#include <string>

#include "panels.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace bp = blueprint;

namespace {

constexpr const char* kDragPayload = "RERUN_BP_NODE";

const char* view_title(bp::ViewClass cls) {
    for (const auto& info : view_classes()) {
        if (info.cls == cls) return info.title;
    }
    return "View";
}

std::string node_label(const bp::View& v) {
    return (v.name.empty() ? std::string(view_title(v.cls)) : v.name) + "  " + v.origin.to_string();
}

std::string node_label(const bp::Container& c) {
    const std::string kind(bp::container_kind_name(c.kind));
    return c.name.empty() ? kind : c.name + " (" + kind + ")";
}

// A new view of `cls` at the root entity, named after its class.
bp::View new_view(bp::ViewClass cls, const EntityPath& origin = EntityPath()) {
    bp::View v;
    v.id = bp::new_node_id();
    v.cls = cls;
    v.origin = origin;
    return v;
}

// One panel frame's worth of edits: at most one, applied after the tree has been drawn (the
// tree iterates the active blueprint, which an edit replaces).
struct Pending {
    std::optional<bp::Blueprint> next;
    bp::Blueprint& start(const bp::Blueprint& current) {
        if (!next) next = current;
        return *next;
    }
};

// The container a new node goes into: the selected container, the parent of the selected view,
// else the root.
bp::NodeId insertion_parent(ViewerState& state) {
    const auto& layout = state.layout();
    const bp::NodeId sel = state.blueprint_selection;
    if (sel != 0) {
        if (const_cast<bp::Blueprint&>(layout).find_container(sel)) return sel;
        if (auto parent = layout.parent_of(sel)) return parent->first;
    }
    return layout.root().id;
}

void add_menu_items(ViewerState& state, Pending& pending, bp::NodeId parent) {
    if (ImGui::BeginMenu("Add view")) {
        for (const auto& info : view_classes()) {
            if (ImGui::MenuItem(info.title)) {
                auto view = new_view(info.cls);
                const bp::NodeId id = view.id;
                pending.start(state.layout()).insert(parent, std::move(view));
                state.blueprint_selection = id;
            }
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Add container")) {
        for (auto kind : {bp::ContainerKind::Horizontal, bp::ContainerKind::Vertical,
                          bp::ContainerKind::Grid, bp::ContainerKind::Tabs}) {
            if (ImGui::MenuItem(std::string(bp::container_kind_name(kind)).c_str())) {
                auto c = std::make_unique<bp::Container>();
                c->id = bp::new_node_id();
                c->kind = kind;
                const bp::NodeId id = c->id;
                pending.start(state.layout()).insert(parent, std::move(c));
                state.blueprint_selection = id;
            }
        }
        ImGui::EndMenu();
    }
}

// Context menu items shared by views and containers (not the root).
void move_items(ViewerState& state, Pending& pending, bp::NodeId id) {
    const auto parent = state.layout().parent_of(id);
    if (!parent) return;
    const auto* container =
        const_cast<bp::Blueprint&>(state.layout()).find_container(parent->first);
    const size_t count = container ? container->children.size() : 0;
    if (ImGui::MenuItem("Move up", nullptr, false, parent->second > 0))
        pending.start(state.layout()).move(id, parent->first, parent->second - 1);
    if (ImGui::MenuItem("Move down", nullptr, false, parent->second + 1 < count))
        pending.start(state.layout()).move(id, parent->first, parent->second + 1);
    // Out of the parent, next to it in the grandparent.
    if (const auto grand = state.layout().parent_of(parent->first)) {
        if (ImGui::MenuItem("Move out of the container"))
            pending.start(state.layout()).move(id, grand->first, grand->second + 1);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Remove", "Del")) {
        pending.start(state.layout()).remove(id);
        if (state.blueprint_selection == id) state.blueprint_selection = 0;
    }
}

void drag_source(bp::NodeId id, const std::string& label) {
    if (ImGui::BeginDragDropSource()) {
        ImGui::SetDragDropPayload(kDragPayload, &id, sizeof id);
        ImGui::TextUnformatted(label.c_str());
        ImGui::EndDragDropSource();
    }
}

// Dropping on a container appends to it; dropping on a view puts the node before that view.
void drop_target(ViewerState& state, Pending& pending, bp::NodeId target, bool is_container) {
    if (!ImGui::BeginDragDropTarget()) return;
    if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload(kDragPayload)) {
        bp::NodeId dragged = 0;
        std::memcpy(&dragged, payload->Data, sizeof dragged);
        if (dragged != target) {
            if (is_container) {
                pending.start(state.layout()).move(dragged, target);
            } else if (const auto parent = state.layout().parent_of(target)) {
                // Moving within the same container shifts indices after the removal.
                const auto from = state.layout().parent_of(dragged);
                size_t index = parent->second;
                if (from && from->first == parent->first && from->second < index) --index;
                pending.start(state.layout()).move(dragged, parent->first, index);
            }
        }
    }
    ImGui::EndDragDropTarget();
}

void select_node(ViewerState& state, bp::NodeId id) {
    state.blueprint_selection = id;
    state.selection.valid = false;
}

void draw_container(ViewerState& state, Pending& pending, const bp::Container& c, bool is_root);

void draw_view_node(ViewerState& state, Pending& pending, const bp::View& v) {
    ImGui::PushID(static_cast<const void*>(&v));
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen |
                               ImGuiTreeNodeFlags_SpanAvailWidth;
    if (state.blueprint_selection == v.id && !state.selection.valid)
        flags |= ImGuiTreeNodeFlags_Selected;
    const std::string label = node_label(v);
    ImGui::TreeNodeEx("##view", flags, "%s", label.c_str());
    if (ImGui::IsItemClicked()) select_node(state, v.id);
    drag_source(v.id, label);
    drop_target(state, pending, v.id, false);
    if (ImGui::BeginPopupContextItem("##menu")) {
        select_node(state, v.id);
        if (ImGui::MenuItem("Split horizontally"))
            pending.start(state.layout())
                .split(v.id, bp::ContainerKind::Horizontal, new_view(v.cls, v.origin));
        if (ImGui::MenuItem("Split vertically"))
            pending.start(state.layout())
                .split(v.id, bp::ContainerKind::Vertical, new_view(v.cls, v.origin));
        if (ImGui::MenuItem("Duplicate")) {
            bp::View copy = v;
            copy.id = bp::new_node_id();
            if (const auto parent = state.layout().parent_of(v.id))
                pending.start(state.layout())
                    .insert(parent->first, std::move(copy), parent->second + 1);
        }
        move_items(state, pending, v.id);
        ImGui::EndPopup();
    }
    ImGui::PopID();
}

void draw_container(ViewerState& state, Pending& pending, const bp::Container& c, bool is_root) {
    ImGui::PushID(static_cast<const void*>(&c));
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_OpenOnArrow | ImGuiTreeNodeFlags_DefaultOpen |
                               ImGuiTreeNodeFlags_SpanAvailWidth;
    if (state.blueprint_selection == c.id && !state.selection.valid)
        flags |= ImGuiTreeNodeFlags_Selected;
    const std::string label = node_label(c) + (is_root ? "  (root)" : "");
    const bool open = ImGui::TreeNodeEx("##container", flags, "%s", label.c_str());
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) select_node(state, c.id);
    if (!is_root) drag_source(c.id, label);
    drop_target(state, pending, c.id, true);
    if (ImGui::BeginPopupContextItem("##menu")) {
        select_node(state, c.id);
        add_menu_items(state, pending, c.id);
        if (ImGui::BeginMenu("Change kind")) {
            for (auto kind : {bp::ContainerKind::Horizontal, bp::ContainerKind::Vertical,
                              bp::ContainerKind::Grid, bp::ContainerKind::Tabs}) {
                if (ImGui::MenuItem(std::string(bp::container_kind_name(kind)).c_str(), nullptr,
                                    kind == c.kind)) {
                    if (auto* edited = pending.start(state.layout()).find_container(c.id))
                        edited->kind = kind;
                }
            }
            ImGui::EndMenu();
        }
        if (!is_root) {
            ImGui::Separator();
            move_items(state, pending, c.id);
        }
        ImGui::EndPopup();
    }
    if (open) {
        for (const auto& child : c.children) {
            if (const auto* v = std::get_if<bp::View>(&child)) {
                draw_view_node(state, pending, *v);
            } else {
                draw_container(state, pending, *std::get<std::unique_ptr<bp::Container>>(child),
                               false);
            }
        }
        ImGui::TreePop();
    }
    ImGui::PopID();
}

}  // namespace

void draw_blueprint_panel(ViewerState& state) {
    if (!state.store) {
        ImGui::TextDisabled("Select a recording.");
        return;
    }
    AppBlueprint& app = state.app_blueprint();
    Pending pending;

    // Toolbar.
    ImGui::BeginDisabled(!app.history.can_undo());
    if (ImGui::SmallButton("Undo")) state.blueprints.undo(state.app_id);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!app.history.can_redo());
    if (ImGui::SmallButton("Redo")) state.blueprints.redo(state.app_id);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::SmallButton("+ Add")) ImGui::OpenPopup("##add");
    if (ImGui::BeginPopup("##add")) {
        add_menu_items(state, pending, insertion_parent(state));
        ImGui::EndPopup();
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("Reset")) state.reset_layout();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Back to the default layout (forgets the saved blueprint)");
    ImGui::TextDisabled("%s%s", app.source.c_str(),
                        app.dirty ? " (unsaved)" : (app.user_owned ? " (saved)" : ""));
    if (ImGui::IsItemHovered() && state.blueprints.persistent())
        ImGui::SetTooltip("%s", state.blueprints.path_for(state.app_id).c_str());
    ImGui::Separator();

    // The tree (drawn from the active blueprint; edits apply below).
    ImGui::BeginChild("##bp_tree");
    draw_container(state, pending, app.active.root(), true);
    ImGui::EndChild();

    // Delete removes the selected node while the panel has focus.
    const bp::NodeId sel = state.blueprint_selection;
    if (sel != 0 && ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
        !ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete))) {
        if (pending.start(app.active).remove(sel)) state.blueprint_selection = 0;
    }
    if (pending.next) state.edit_layout(std::move(*pending.next));
}

}  // namespace rerun::viewer
