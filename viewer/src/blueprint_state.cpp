#include "blueprint_state.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "layout.hpp"
#include "rerun/blueprint/blueprint_store.hpp"
#include "rerun/ingest/log.hpp"

namespace rerun::viewer {

namespace fs = std::filesystem;

namespace {

std::string entities_signature(const std::vector<ingest::EntityInfo>& entities) {
    std::string signature;
    for (const auto& e : entities) {
        signature += e.path.to_string();
        for (const auto& t : component_types_of(e)) {
            signature += '|';
            signature += t;
        }
        signature += '\n';
    }
    return signature;
}

// Views of a recomputed heuristic layout keep the ids of the previous one (same class and
// origin), so a selection in the blueprint panel survives new entities.
void keep_view_ids(const blueprint::Blueprint& before, blueprint::Container& c) {
    for (auto& child : c.children) {
        if (auto* view = std::get_if<blueprint::View>(&child)) {
            for (const auto* old : before.views()) {
                if (old->cls == view->cls && old->origin == view->origin) view->id = old->id;
            }
        } else {
            keep_view_ids(before, *std::get<std::unique_ptr<blueprint::Container>>(child));
        }
    }
}

}  // namespace

BlueprintSet::BlueprintSet(fs::path dir) {
    if (!dir.empty()) storage_.emplace(std::move(dir));
}

std::string BlueprintSet::path_for(const std::string& app_id) const {
    return storage_ ? storage_->path_for(app_id).string() : std::string();
}

AppBlueprint& BlueprintSet::get(const std::string& app_id) {
    auto it = apps_.find(app_id);
    if (it != apps_.end()) return it->second;
    AppBlueprint& app = apps_[app_id];
    app.source = "default layout";
    if (storage_) {
        std::string warning;
        if (auto saved = storage_->load(app_id, &warning)) {
            app.active = std::move(*saved);
            app.active.auto_layout = false;
            app.user_owned = true;
            app.source = "restored from " + storage_->path_for(app_id).string();
            messages_.emplace_back(1, "blueprint of \"" + app_id + "\" " + app.source);
        } else if (!warning.empty()) {
            messages_.emplace_back(2, warning);
        }
    }
    return app;
}

bool BlueprintSet::update_default(const std::string& app_id,
                                  const std::vector<ingest::EntityInfo>& entities) {
    AppBlueprint& app = get(app_id);
    if (!app.active.auto_layout) return false;
    std::string signature = entities_signature(entities);
    if (signature == app.default_signature) return false;
    app.default_signature = std::move(signature);
    blueprint::Blueprint next = default_layout(entities);
    keep_view_ids(app.active, next.root());
    app.active = std::move(next);
    ++app.revision;
    return true;
}

void BlueprintSet::changed(AppBlueprint& app, bool user_owned) {
    ++app.revision;
    app.user_owned = user_owned;
    app.dirty = user_owned && storage_.has_value();
    app.changed_at = Clock::now();
}

void BlueprintSet::forget_saved(const std::string& app_id) {
    if (!storage_) return;
    std::error_code ec;
    if (fs::remove(storage_->path_for(app_id), ec)) {
        messages_.emplace_back(1, "forgot the saved blueprint of \"" + app_id + "\"");
    }
}

void BlueprintSet::edit(const std::string& app_id, blueprint::Blueprint next) {
    AppBlueprint& app = get(app_id);
    if (next == app.active) return;
    app.history.record(app.active);
    next.auto_layout = false;
    app.active = std::move(next);
    app.source = "edited";
    changed(app, true);
}

bool BlueprintSet::undo(const std::string& app_id) {
    AppBlueprint& app = get(app_id);
    auto previous = app.history.undo(app.active);
    if (!previous) return false;
    app.active = std::move(*previous);
    app.source = app.active.auto_layout ? "default layout" : "edited";
    // Back at the heuristic layout: recompute it from the entities present, and forget the file.
    if (app.active.auto_layout) {
        app.default_signature.clear();
        forget_saved(app_id);
    }
    changed(app, !app.active.auto_layout);
    return true;
}

bool BlueprintSet::redo(const std::string& app_id) {
    AppBlueprint& app = get(app_id);
    auto next = app.history.redo(app.active);
    if (!next) return false;
    app.active = std::move(*next);
    app.source = app.active.auto_layout ? "default layout" : "edited";
    if (app.active.auto_layout) {
        app.default_signature.clear();
        forget_saved(app_id);
    }
    changed(app, !app.active.auto_layout);
    return true;
}

void BlueprintSet::reset(const std::string& app_id,
                         const std::vector<ingest::EntityInfo>& entities) {
    AppBlueprint& app = get(app_id);
    app.history.record(app.active);
    if (app.producer_default) {
        app.active = *app.producer_default;
        app.active.auto_layout = false;
        app.source = "default sent by a producer";
    } else {
        app.active = default_layout(entities);
        app.default_signature = entities_signature(entities);
        app.source = "default layout";
    }
    forget_saved(app_id);
    changed(app, false);
}

void BlueprintSet::apply(const std::string& app_id, blueprint::Blueprint bp, bool make_active,
                         bool make_default, const std::string& source) {
    AppBlueprint& app = get(app_id);
    bp.auto_layout = false;
    if (make_default) app.producer_default = bp;
    if (make_active) {
        app.history.record(app.active);
        app.active = std::move(bp);
        app.source = source;
        changed(app, true);
        messages_.emplace_back(1, "blueprint of \"" + app_id + "\" " + source);
    } else if (make_default && !app.user_owned) {
        app.history.record(app.active);
        app.active = std::move(bp);
        app.source = "default " + source;
        changed(app, false);
        messages_.emplace_back(1, "blueprint of \"" + app_id + "\": default " + source);
    } else if (make_default) {
        messages_.emplace_back(1, "blueprint of \"" + app_id + "\": a default " + source +
                                      " is kept for reset (the user's own blueprint stays)");
    }
}

bool BlueprintSet::save(const std::string& app_id, AppBlueprint& app) {
    std::string error;
    if (!storage_->save(app_id, app.active, &error)) {
        messages_.emplace_back(2, "cannot save the blueprint of \"" + app_id + "\": " + error);
        app.changed_at = Clock::now();  // retried after another delay
        return false;
    }
    app.dirty = false;
    return true;
}

void BlueprintSet::save_due(Clock::time_point now, std::chrono::milliseconds delay) {
    if (!storage_) return;
    for (auto& [app_id, app] : apps_) {
        if (app.dirty && now - app.changed_at >= delay) save(app_id, app);
    }
}

void BlueprintSet::save_all() {
    if (!storage_) return;
    for (auto& [app_id, app] : apps_) {
        if (app.dirty) save(app_id, app);
    }
}

std::vector<std::pair<int, std::string>> BlueprintSet::take_messages() {
    return std::exchange(messages_, {});
}

std::optional<blueprint::Blueprint> read_blueprint_store(const ingest::RecordingStore& store,
                                                         std::string* error) {
    // Every node is a static one-row chunk; the latest static row of each component is the
    // current version of that node's field.
    std::vector<core::ChunkPtr> chunks;
    std::set<core::Tuid> seen;
    for (const auto& entity : store.entities()) {
        for (const auto& component : entity.components) {
            auto row = store.latest_static(entity.path, component.descriptor.component);
            if (row && seen.insert(row->chunk->id).second) chunks.push_back(row->chunk);
        }
    }
    return blueprint::blueprint_from_chunks(chunks, error);
}

void apply_activations(BlueprintSet& set, DataAccess& data, size_t* seen) {
    // The activations not seen before. The hub keeps the last 1024: more than that in one
    // frame's time is a flood, and then an application whose last activation came before the
    // last 1024 keeps the blueprint it had.
    size_t next = *seen;
    const auto activations = data.hub().blueprint_activations(*seen, &next);
    // Of the new activations, only the last that makes a blueprint active and the last that makes
    // one the default (per application) have a lasting effect; the others are skipped, so that a
    // sender repeating activations does not make this thread read a blueprint store for each.
    struct Target {
        std::shared_ptr<ingest::RecordingStore> store;
        std::string app_id;
    };
    std::vector<std::optional<Target>> targets(activations.size());
    std::map<std::string, size_t> last_active, last_default, last_other;
    for (size_t i = 0; i < activations.size(); ++i) {
        const auto& activation = activations[i];
        auto store = data.find(activation.blueprint);
        if (!store || activation.blueprint.kind != core::StoreKind::Blueprint) {
            ingest::log_warn("ignoring the activation of blueprint \"" + activation.blueprint.id +
                             "\": no blueprint store has that id");
            continue;
        }
        const std::string app_id = store->application_id();
        if (activation.make_active) last_active[app_id] = i;
        if (activation.make_default) last_default[app_id] = i;
        if (!activation.make_active && !activation.make_default) last_other[app_id] = i;
        targets[i] = Target{std::move(store), app_id};
    }
    const auto is_last = [](const std::map<std::string, size_t>& last, const std::string& app,
                            size_t i) {
        const auto it = last.find(app);
        return it != last.end() && it->second == i;
    };
    *seen = next;
    for (size_t i = 0; i < activations.size(); ++i) {
        if (!targets[i]) continue;
        const auto& [store, app_id] = *targets[i];
        const bool make_active = is_last(last_active, app_id, i);
        const bool make_default = is_last(last_default, app_id, i);
        if (!make_active && !make_default && !is_last(last_other, app_id, i)) continue;
        const std::string what = "blueprint \"" + activations[i].blueprint.id + "\"";
        std::string error;
        auto bp = read_blueprint_store(*store, &error);
        if (!bp) {
            ingest::log_warn("ignoring " + what + ": " + error);
            continue;
        }
        std::string source = "sent by a producer";
        const auto stats = store->stats();
        if (!stats.sources.empty() && stats.sources.back().name.rfind("file ", 0) == 0) {
            source = "loaded from " + stats.sources.back().name.substr(5);
        }
        set.apply(app_id, std::move(*bp), make_active, make_default, source);
    }
}

bool write_blueprint_stats(const BlueprintSet& set, const std::string& path) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [app_id, app] : set.apps()) {
        list.push_back({{"application_id", app_id},
                        {"layout", blueprint::describe(app.active)},
                        {"views", app.active.view_count()},
                        {"source", app.source},
                        {"user_owned", app.user_owned},
                        {"saved_to", app.user_owned ? set.path_for(app_id) : std::string()}});
    }
    std::ofstream out(path, std::ios::trunc);
    out << nlohmann::json{{"blueprints", list}}.dump(2) << "\n";
    return bool(out);
}

}  // namespace rerun::viewer
