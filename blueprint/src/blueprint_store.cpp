#include "rerun/blueprint/blueprint_store.hpp"

#include <cstring>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace rerun::blueprint {

namespace {

constexpr const char* kArchetype = "rerun.blueprint.Layout";

std::string hex_id(NodeId id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i)
        out[15 - i] = kHex[(id >> (4 * i)) & 15];
    return out;
}

// Builds one static one-row chunk, column by column.
class RowBuilder {
  public:
    explicit RowBuilder(core::EntityPath path) {
        chunk_ = std::make_shared<core::Chunk>();
        chunk_->id = core::Tuid::make();
        chunk_->entity_path = std::move(path);
        chunk_->is_static = true;
        chunk_->num_rows = 1;
        chunk_->row_ids = core::Buffer::from_vector(std::vector<core::Tuid>{core::Tuid::make()});
    }
    void text(const std::string& component, const std::string& value) {
        auto& c = add(component, {core::ElementKind::Utf8, core::ScalarType::U8, 1});
        c.list_offsets =
            core::Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(value.size())});
        c.values = core::Buffer::copy_of(value.data(), value.size());
    }
    template <class T>
    void fixed(const std::string& component, core::ScalarType scalar, std::vector<T> values) {
        auto& c = add(component, {core::ElementKind::Fixed, scalar, uint16_t(values.size())});
        c.values = core::Buffer::from_vector(std::move(values));
    }
    template <class T>
    void list(const std::string& component, core::ScalarType scalar, std::vector<T> values) {
        auto& c = add(component, {core::ElementKind::List, scalar, 1});
        c.list_offsets =
            core::Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(values.size())});
        c.values = core::Buffer::from_vector(std::move(values));
    }
    core::ChunkPtr finish() { return std::move(chunk_); }

  private:
    core::ComponentColumn& add(const std::string& component, core::ElementType type) {
        core::ComponentColumn c;
        c.descriptor = {kArchetype, component, ""};
        c.type = type;
        c.num_rows = 1;
        chunk_->components.push_back(std::move(c));
        return chunk_->components.back();
    }
    std::shared_ptr<core::Chunk> chunk_;
};

void encode_container(const Container& c, std::vector<core::ChunkPtr>& out) {
    RowBuilder row(core::EntityPath({"container", hex_id(c.id)}));
    row.text("Container:kind", std::string(container_kind_name(c.kind)));
    row.text("Container:name", c.name);
    std::vector<uint64_t> children;
    for (const auto& child : c.children)
        children.push_back(node_id(child));
    row.list("Container:children", core::ScalarType::U64, std::move(children));
    row.list("Container:shares", core::ScalarType::F32, c.shares);
    row.fixed("Container:active_tab", core::ScalarType::U32, std::vector<uint32_t>{c.active_tab});
    row.fixed("Container:grid_columns", core::ScalarType::U32,
              std::vector<uint32_t>{c.grid_columns});
    out.push_back(row.finish());
    for (const auto& child : c.children) {
        if (const auto* view = std::get_if<View>(&child)) {
            RowBuilder v(core::EntityPath({"view", hex_id(view->id)}));
            v.text("View:class", std::string(view_class_name(view->cls)));
            v.text("View:name", view->name);
            v.text("View:origin", view->origin.to_string());
            v.text("View:contents", view->contents.to_string());
            const auto& p = view->properties;
            if (p.background)
                v.fixed("View:background", core::ScalarType::U32,
                        std::vector<uint32_t>{*p.background});
            if (p.time_range) {
                v.fixed("View:time_range", core::ScalarType::I64,
                        std::vector<int64_t>{p.time_range->first, p.time_range->second});
            }
            if (p.x_range)
                v.fixed("View:x_range", core::ScalarType::F64,
                        std::vector<double>{p.x_range->first, p.x_range->second});
            if (p.y_range)
                v.fixed("View:y_range", core::ScalarType::F64,
                        std::vector<double>{p.y_range->first, p.y_range->second});
            out.push_back(v.finish());
        } else {
            encode_container(*std::get<std::unique_ptr<Container>>(child), out);
        }
    }
}

// The latest value of every component of every entity: (entity, component) -> (row id, column,
// row).
struct Cell {
    core::Tuid row_id;
    const core::ComponentColumn* column = nullptr;
    uint64_t row = 0;
};
using Cells = std::map<std::pair<std::string, std::string>, Cell>;

class Reader {
  public:
    Reader(const Cells& cells, std::string entity) : cells_(cells), entity_(std::move(entity)) {}
    bool has(const std::string& component) const { return find(component) != nullptr; }
    std::optional<std::string> text(const std::string& component) const {
        const Cell* cell = find(component);
        if (!cell || cell->column->type.kind != core::ElementKind::Utf8) return std::nullopt;
        const auto [begin, end] = cell->column->instance_range(cell->row);
        if (end != begin + 1) return std::nullopt;
        return std::string(cell->column->string_at(begin));
    }
    // Fixed values (all instances' scalars) or list elements of the cell, as T.
    template <class T>
    std::optional<std::vector<T>> numbers(const std::string& component,
                                          core::ScalarType scalar) const {
        const Cell* cell = find(component);
        if (!cell || cell->column->type.scalar != scalar) return std::nullopt;
        const auto* c = cell->column;
        const auto [begin, end] = c->instance_range(cell->row);
        size_t first = begin, last = end;  // in elements
        if (c->type.kind == core::ElementKind::List) {
            if (end != begin + 1) return std::nullopt;
            std::tie(first, last) = c->list_range(begin);
        }
        const size_t width = c->type.width;
        const auto all = c->values_as<T>();
        if (last * width > all.size()) return std::nullopt;
        return std::vector<T>(all.begin() + long(first * width), all.begin() + long(last * width));
    }

  private:
    const Cell* find(const std::string& component) const {
        auto it = cells_.find({entity_, component});
        return it == cells_.end() ? nullptr : &it->second;
    }
    const Cells& cells_;
    std::string entity_;
};

template <class T>
std::optional<std::pair<T, T>> pair_of(const std::optional<std::vector<T>>& v) {
    if (!v || v->size() != 2) return std::nullopt;
    return std::pair<T, T>{(*v)[0], (*v)[1]};
}

// The nodes of one tree being decoded: each id at most once (a layout is a tree: a node listed
// twice, a cycle included, is refused, or a few KB listing each child twice would expand into
// 2^depth nodes), and at most kMaxNodes of them.
struct DecodedNodes {
    static constexpr size_t kMaxNodes = 100000;
    std::unordered_set<NodeId> seen;
};
std::optional<Node> decode_node(const Cells& cells, NodeId id, int depth, DecodedNodes& nodes,
                                std::string* error);

std::optional<Node> decode_view(const Reader& r, NodeId id, std::string* error) {
    View view;
    view.id = id;
    const auto cls = r.text("View:class");
    const auto parsed_cls = cls ? view_class_from_name(*cls) : std::nullopt;
    if (!parsed_cls) {
        *error = "view " + hex_id(id) + " has an unknown class \"" + cls.value_or("") + "\"";
        return std::nullopt;
    }
    view.cls = *parsed_cls;
    view.name = r.text("View:name").value_or("");
    std::string path_error;
    auto origin = core::EntityPath::parse(r.text("View:origin").value_or("/"), &path_error);
    auto contents =
        EntityQuery::parse(r.text("View:contents").value_or("+ $origin/**"), &path_error);
    if (!origin || !contents) {
        *error = "view " + hex_id(id) + ": " + path_error;
        return std::nullopt;
    }
    view.origin = std::move(*origin);
    view.contents = std::move(*contents);
    if (auto bg = r.numbers<uint32_t>("View:background", core::ScalarType::U32);
        bg && bg->size() == 1) {
        view.properties.background = (*bg)[0];
    }
    view.properties.time_range =
        pair_of(r.numbers<int64_t>("View:time_range", core::ScalarType::I64));
    view.properties.x_range = pair_of(r.numbers<double>("View:x_range", core::ScalarType::F64));
    view.properties.y_range = pair_of(r.numbers<double>("View:y_range", core::ScalarType::F64));
    return Node(std::move(view));
}

std::optional<Node> decode_node(const Cells& cells, NodeId id, int depth, DecodedNodes& nodes,
                                std::string* error) {
    if (depth > 64) {
        *error = "the layout tree is too deep";
        return std::nullopt;
    }
    if (!nodes.seen.insert(id).second) {
        *error = "node " + hex_id(id) + " appears more than once in the layout tree";
        return std::nullopt;
    }
    if (nodes.seen.size() > DecodedNodes::kMaxNodes) {
        *error =
            "the layout tree has more than " + std::to_string(DecodedNodes::kMaxNodes) + " nodes";
        return std::nullopt;
    }
    const Reader as_view(cells, "/view/" + hex_id(id));
    if (as_view.has("View:class")) return decode_view(as_view, id, error);
    const Reader r(cells, "/container/" + hex_id(id));
    const auto kind_name = r.text("Container:kind");
    const auto kind = kind_name ? container_kind_from_name(*kind_name) : std::nullopt;
    if (!kind) {
        *error = "node " + hex_id(id) + " is missing or has an unknown kind";
        return std::nullopt;
    }
    auto c = std::make_unique<Container>();
    c->id = id;
    c->kind = *kind;
    c->name = r.text("Container:name").value_or("");
    c->shares =
        r.numbers<float>("Container:shares", core::ScalarType::F32).value_or(std::vector<float>{});
    const auto tab = r.numbers<uint32_t>("Container:active_tab", core::ScalarType::U32);
    const auto columns = r.numbers<uint32_t>("Container:grid_columns", core::ScalarType::U32);
    c->active_tab = tab && tab->size() == 1 ? (*tab)[0] : 0;
    c->grid_columns = columns && columns->size() == 1 ? (*columns)[0] : 0;
    for (uint64_t child : r.numbers<uint64_t>("Container:children", core::ScalarType::U64)
                              .value_or(std::vector<uint64_t>{})) {
        auto node = decode_node(cells, child, depth + 1, nodes, error);
        if (!node) return std::nullopt;
        c->children.push_back(std::move(*node));
    }
    if (!c->shares.empty() && c->shares.size() != c->children.size()) c->shares.clear();
    return Node(std::move(c));
}

}  // namespace

std::vector<core::ChunkPtr> blueprint_to_chunks(const Blueprint& bp) {
    std::vector<core::ChunkPtr> out;
    RowBuilder viewport(core::EntityPath({"viewport"}));
    viewport.fixed("Viewport:version", core::ScalarType::U32,
                   std::vector<uint32_t>{kBlueprintFormatVersion});
    viewport.fixed("Viewport:root", core::ScalarType::U64, std::vector<uint64_t>{bp.root().id});
    viewport.fixed("Viewport:auto_layout", core::ScalarType::U8,
                   std::vector<uint8_t>{uint8_t(bp.auto_layout)});
    out.push_back(viewport.finish());
    encode_container(bp.root(), out);
    return out;
}

std::vector<core::Message> blueprint_to_messages(const Blueprint& bp,
                                                 const std::string& blueprint_id,
                                                 const std::string& application_id,
                                                 bool make_active, bool make_default) {
    const core::StoreId store{core::StoreKind::Blueprint, blueprint_id};
    std::vector<core::Message> out;
    out.push_back(core::StoreInfo{
        store, application_id, core::now_nanos_since_epoch(), {"cpp", "0.1.0", "blueprint"}});
    for (auto& chunk : blueprint_to_chunks(bp))
        out.push_back(core::ChunkMessage{store, std::move(chunk)});
    if (make_active || make_default)
        out.push_back(core::BlueprintActivation{store, make_active, make_default});
    return out;
}

std::optional<Blueprint> blueprint_from_chunks(const std::vector<core::ChunkPtr>& chunks,
                                               std::string* error) {
    std::string local_error;
    if (!error) error = &local_error;
    Cells cells;
    for (const auto& chunk : chunks) {
        const std::string entity = chunk->entity_path.to_string();
        const auto row_ids = chunk->row_id_values();
        for (const auto& column : chunk->components) {
            Cell* cell = nullptr;  // looked up once per column: the key is two strings
            for (uint64_t row = 0; row < chunk->num_rows; ++row) {
                if (!column.is_present(row)) continue;
                if (!cell) cell = &cells[{entity, column.descriptor.component}];
                if (!cell->column || cell->row_id < row_ids[row])
                    *cell = Cell{row_ids[row], &column, row};
            }
        }
    }
    const Reader viewport(cells, "/viewport");
    const auto version = viewport.numbers<uint32_t>("Viewport:version", core::ScalarType::U32);
    const auto root = viewport.numbers<uint64_t>("Viewport:root", core::ScalarType::U64);
    if (!version || version->size() != 1 || !root || root->size() != 1) {
        *error = "not a blueprint: no /viewport";
        return std::nullopt;
    }
    if ((*version)[0] > kBlueprintFormatVersion) {
        *error = "blueprint format version " + std::to_string((*version)[0]) +
                 " is newer than this build's (" + std::to_string(kBlueprintFormatVersion) + ")";
        return std::nullopt;
    }
    DecodedNodes nodes;
    auto node = decode_node(cells, (*root)[0], 0, nodes, error);
    if (!node) return std::nullopt;
    auto* container = std::get_if<std::unique_ptr<Container>>(&*node);
    if (!container) {
        *error = "the blueprint root is not a container";
        return std::nullopt;
    }
    Blueprint bp;
    bp.root() = std::move(**container);
    const auto auto_layout =
        viewport.numbers<uint8_t>("Viewport:auto_layout", core::ScalarType::U8);
    bp.auto_layout = auto_layout && auto_layout->size() == 1 && (*auto_layout)[0] != 0;
    return bp;
}

core::Bytes encode_rbl(const Blueprint& bp, const std::string& application_id) {
    core::Bytes out;
    core::append_file_header(out);
    // make_active: opening the file in a viewer (or handing it to a running one) applies it.
    for (const auto& m :
         blueprint_to_messages(bp, core::Tuid::make().to_string(), application_id, true, false)) {
        core::append_frame(out, m);
    }
    return out;
}

std::optional<Blueprint> decode_rbl(std::span<const uint8_t> bytes, std::string* error) {
    core::FrameDecoder decoder(core::FrameDecoder::Framing::File);
    decoder.feed(bytes);
    std::vector<core::ChunkPtr> chunks;
    std::string problem;
    while (auto event = decoder.next()) {
        if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
            if (auto* chunk = std::get_if<core::ChunkMessage>(&frame->message)) {
                if (chunk->store.kind == core::StoreKind::Blueprint) chunks.push_back(chunk->chunk);
            }
        } else if (problem.empty()) {
            problem = std::get<core::DecodeIssue>(*event).message;
        }
    }
    if (auto issue = decoder.finish(); issue && problem.empty()) problem = issue->message;
    if (!problem.empty()) {
        if (error) *error = problem;
        return std::nullopt;
    }
    return blueprint_from_chunks(chunks, error);
}

}  // namespace rerun::blueprint
