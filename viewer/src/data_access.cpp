#include "data_access.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "rerun/ingest/rrd_writer.hpp"

namespace rerun::viewer {

std::vector<RecordingEntry> DataAccess::recordings() const {
    std::vector<RecordingEntry> out;
    for (auto& store : hub_.stores()) {
        if (store->id().kind != core::StoreKind::Recording) continue;
        RecordingEntry e;
        e.store = store;
        e.id = store->id();
        e.stats = store->stats();
        e.application_id = e.stats.application_id;
        for (const auto& s : e.stats.sources) {
            // Files and stdin end by themselves; a TCP sender is live until it says goodbye.
            if (!s.ended && s.name.rfind("tcp", 0) == 0) e.live = true;
        }
        out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const RecordingEntry& a, const RecordingEntry& b) {
        if (a.application_id != b.application_id) return a.application_id < b.application_id;
        if (a.stats.started_ns != b.stats.started_ns)
            return a.stats.started_ns < b.stats.started_ns;
        return a.id.id < b.id.id;
    });
    return out;
}

namespace {
ComponentRow to_row(const ingest::RowRef& ref) {
    ComponentRow row;
    row.chunk = ref.chunk;
    row.column = ref.column;
    row.time = ref.time;
    row.is_static = ref.is_static;
    if (ref.column->is_present(ref.row)) {
        const auto [b, e] = ref.column->instance_range(ref.row);
        row.begin = b;
        row.end = e;
    }
    return row;
}
}  // namespace

std::optional<ComponentRow> RecordingQuery::latest(const EntityPath& entity,
                                                   std::string_view component,
                                                   const core::ComponentTypeInfo* expected) const {
    if (!store_) return std::nullopt;
    std::optional<ingest::RowRef> ref;
    if (timeline_.empty()) {
        ref = store_->latest_static(entity, component);
    } else {
        ref = store_->latest_at(entity, timeline_, time_, component);
    }
    if (!ref || ref->column == nullptr) return std::nullopt;
    if (expected && !(ref->column->type == expected->type)) return std::nullopt;
    return to_row(*ref);
}

ingest::RangeResult RecordingQuery::range(const EntityPath& entity, std::string_view component,
                                          TimeInt t0, TimeInt t1) const {
    if (!store_) return {};
    return store_->range(entity, timeline_, t0, t1, component);
}

uint64_t RecordingQuery::latest_signature(const std::vector<ingest::EntityInfo>& infos,
                                          const std::vector<EntityPath>& entities) const {
    if (!store_) return 0;
    std::set<EntityPath> paths;
    for (const auto& e : entities) {
        for (EntityPath p = e;; p = p.parent()) {
            if (!paths.insert(p).second) break;  // this ancestor chain is already in
            if (p.is_root()) break;
        }
    }
    uint64_t h = 1469598103934665603ull;
    auto mix = [&h](uint64_t v) { h = (h ^ v) * 1099511628211ull; };
    for (const auto& p : paths) {
        const auto it = std::lower_bound(infos.begin(), infos.end(), p,
                                         [](const ingest::EntityInfo& info,
                                            const EntityPath& path) { return info.path < path; });
        if (it == infos.end() || !(it->path == p)) continue;
        mix(p.hash());
        for (const auto& c : it->components) {
            const auto ref = timeline_.empty()
                                 ? store_->latest_static(p, c.descriptor.component)
                                 : store_->latest_at(p, timeline_, time_, c.descriptor.component);
            if (!ref) {
                mix(0x5bd1e995);
                continue;
            }
            mix(ref->chunk->id.time_ns);
            mix(ref->chunk->id.inc);
            mix(ref->row);
        }
    }
    return h;
}

ComponentRow range_row(const ingest::RangeResult& result, const ingest::RangeResult::Hit& hit) {
    ingest::RowRef ref;
    ref.chunk = result.chunks[hit.chunk];
    ref.column = result.columns[hit.chunk];
    ref.row = hit.row;
    ref.time = hit.time;
    ref.is_static = result.is_static;
    return to_row(ref);
}

namespace {
EntityNode* child_named(EntityNode& node, const std::string& name) {
    for (auto& c : node.children) {
        if (c.name == name) return &c;
    }
    return nullptr;
}
void sort_tree(EntityNode& node) {
    std::sort(node.children.begin(), node.children.end(),
              [](const EntityNode& a, const EntityNode& b) { return a.name < b.name; });
    for (auto& c : node.children)
        sort_tree(c);
}
}  // namespace

EntityNode build_entity_tree(const std::vector<ingest::EntityInfo>& entities) {
    EntityNode root;
    root.name = "/";
    for (const auto& e : entities) {
        EntityNode* node = &root;
        std::vector<std::string> parts;
        for (const auto& part : e.path.parts()) {
            parts.push_back(part);
            EntityNode* next = child_named(*node, part);
            if (!next) {
                EntityNode n;
                n.name = part;
                n.path = EntityPath(parts);
                node->children.push_back(std::move(n));
                next = &node->children.back();
            }
            node = next;
        }
        node->has_data = true;
        node->rows += e.rows;
    }
    sort_tree(root);
    return root;
}

std::vector<std::string> component_types_of(const ingest::EntityInfo& entity) {
    std::vector<std::string> out;
    for (const auto& c : entity.components) {
        if (!c.descriptor.component_type.empty()) out.push_back(c.descriptor.component_type);
    }
    return out;
}

std::string save_recording(const ingest::RecordingStore& store, const std::string& path) {
    std::string error;
    auto writer = ingest::RrdWriter::create(path, &error);
    if (!writer) return error;
    const auto stats = store.stats();
    core::StoreInfo info;
    info.store = store.id();
    info.application_id = stats.application_id;
    info.started_ns = stats.started_ns;
    info.source.language = "file";
    info.source.detail = "saved by the viewer";
    writer->write(info);
    // The store has no chunk iterator: collect every chunk reachable through range queries on
    // every timeline (temporal data) and latest_static (static data), once per chunk id.
    std::set<core::Tuid> seen;
    const auto timelines = store.timelines();
    auto emit = [&](const core::ChunkPtr& chunk) {
        if (!chunk || !seen.insert(chunk->id).second) return;
        writer->write(core::ChunkMessage{store.id(), chunk});
    };
    for (const auto& entity : store.entities()) {
        for (const auto& comp : entity.components) {
            if (auto s = store.latest_static(entity.path, comp.descriptor.component))
                emit(s->chunk);
            for (const auto& tl : timelines) {
                const auto r = store.range(entity.path, tl.timeline.name, core::kTimeMin,
                                           core::kTimeMax, comp.descriptor.component);
                for (const auto& c : r.chunks)
                    emit(c);
            }
        }
    }
    writer->flush();
    return writer->error();
}

}  // namespace rerun::viewer
