#include "app_state.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "view.hpp"

namespace rerun::viewer {

void UiLog::add(int level, std::string text) {
    std::lock_guard lock(mutex);
    if (level >= 2) ++warnings;
    lines.push_back({level, std::move(text)});
    while (lines.size() > 500)
        lines.pop_front();
}

UiLog& ui_log() {
    static UiLog log;
    return log;
}

void RateMeter::sample(uint64_t rows, uint64_t bytes) {
    const auto now = std::chrono::steady_clock::now();
    if (last.time_since_epoch().count() == 0) {
        last = now;
        last_rows = rows;
        last_bytes = bytes;
        return;
    }
    const double dt = std::chrono::duration<double>(now - last).count();
    if (dt < 1.0) return;
    rows_per_s = double(rows - std::min(rows, last_rows)) / dt;
    bytes_per_s = double(bytes - std::min(bytes, last_bytes)) / dt;
    last = now;
    last_rows = rows;
    last_bytes = bytes;
}

ViewerState::ViewerState(const ViewerOptions& o, ingest::StoreHub& hub)
    : options(o), data(hub), blueprints(o.blueprint_dir) {}
ViewerState::~ViewerState() = default;

RecordingQuery ViewerState::query() const {
    return RecordingQuery(store, time.timeline(), time.time());
}

bool ViewerState::is_visible(const EntityPath& path) const {
    if (hidden.empty()) return true;
    // Hiding a parent hides its subtree.
    EntityPath p = path;
    for (;;) {
        if (hidden.count(p)) return false;
        if (p.is_root()) return true;
        p = p.parent();
    }
}

void ViewerState::select_recording(const core::StoreId& id) {
    if (selected_recording && *selected_recording == id) return;
    selected_recording = id;
    store = data.find(id);
    selection = {};
    hidden.clear();
    ++visibility_generation;
    time = TimeControl{};
    blueprint_selection = 0;
    seen_generation = ~uint64_t(0);  // refresh entities and timelines now
}

namespace {
void add_recent(std::vector<std::string>& recent, const std::string& path) {
    std::error_code ec;
    std::string full = std::filesystem::absolute(path, ec).lexically_normal().string();
    if (ec) full = path;
    recent.erase(std::remove(recent.begin(), recent.end(), full), recent.end());
    recent.insert(recent.begin(), full);
    if (recent.size() > 10) recent.resize(10);
}
}  // namespace

void ViewerState::open_file(const std::string& path) {
    if (!files) {
        log.add(2, "cannot open " + path + ": this viewer has no file loader");
        return;
    }
    if (files->open(path)) add_recent(recent_files, path);
}

void ViewerState::note_loaded_files() {
    if (!files) return;
    for (const auto& p : files->progress()) {
        if (!p.done || p.failed || p.path == "-" || files_noted.count(p.path)) continue;
        files_noted.insert(p.path);
        add_recent(recent_files, p.path);
    }
}

void ViewerState::close_recording(const core::StoreId& id) {
    const auto closing = data.find(id);
    if (!closing) return;
    std::vector<std::string> file_sources;
    for (const auto& source : closing->stats().sources) {
        if (source.name.starts_with("file ")) file_sources.push_back(source.name.substr(5));
    }
    if (selected_recording && *selected_recording == id) {
        selected_recording.reset();
        store.reset();
        selection = {};
        // The views' caches hold the recording's chunks: drop them (rebuilt for the next one).
        for (auto& [key, view] : views) {
            if (renderer) view->release(*renderer);
        }
        views.clear();
    }
    data.hub().close(id);
    if (files) {
        for (const auto& path : file_sources)
            files->forget(path);
    }
    seen_generation = ~uint64_t(0);
}

void ViewerState::refresh() {
    const uint64_t gen = data.generation();
    if (gen == seen_generation) return;
    seen_generation = gen;
    apply_activations(blueprints, data, &seen_activations);
    recordings = data.recordings();
    const auto hs = data.hub_stats();
    uint64_t rows = 0;
    for (const auto& r : recordings)
        rows += r.stats.rows_total;
    rate.sample(rows, hs.bytes);

    // Keep the selection while it exists; else the newest recording (live data shows at once).
    bool found = false;
    if (selected_recording) {
        for (const auto& r : recordings)
            found = found || r.id == *selected_recording;
    }
    if (!found) {
        if (recordings.empty()) {
            selected_recording.reset();
            store.reset();
        } else {
            const auto newest =
                std::max_element(recordings.begin(), recordings.end(),
                                 [](const RecordingEntry& a, const RecordingEntry& b) {
                                     return a.stats.started_ns < b.stats.started_ns;
                                 });
            selected_recording.reset();
            select_recording(newest->id);
            seen_generation = gen;
        }
    }
    app_id.clear();
    for (const auto& r : recordings) {
        if (selected_recording && r.id == *selected_recording) app_id = r.application_id;
    }
    if (!store) {
        entities.clear();
        entity_paths.clear();
        entity_tree = {};
        time.set_timelines({});
        return;
    }
    entities = store->entities();
    entity_paths.clear();
    for (const auto& e : entities)
        entity_paths.push_back(e.path);
    entity_tree = build_entity_tree(entities);
    time.set_timelines(store->timelines(), options.initial_timeline);

    // The heuristic layout follows the entities until the user edits it.
    blueprints.update_default(app_id, entities);
}

void ViewerState::tick_blueprints() {
    blueprints.save_due(std::chrono::steady_clock::now());
    for (auto& [level, text] : blueprints.take_messages()) {
        std::fprintf(stderr, "rerun: %s\n", text.c_str());
        log.add(level, std::move(text));
    }
}

}  // namespace rerun::viewer
