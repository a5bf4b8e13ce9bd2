// State shared by the panels and views of one viewer window. Owned by the frame loop
// (app_main.cpp); everything here lives on the UI thread.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "blueprint_state.hpp"
#include "data_access.hpp"
#include "layout.hpp"
#include "rerun/viewer/viewer_app.hpp"
#include "scene.hpp"
#include "time_control.hpp"
#include "ui_fonts.hpp"

namespace rerun::viewer {

class ViewBase;

struct Selection {
    EntityPath entity;
    std::optional<uint32_t> instance;  // a point, a box, ... of that entity
    bool valid = false;
};

// Log lines of the ingest library and the viewer, for the status bar and the log window.
struct UiLog {
    struct Line {
        int level = 1;  // ingest::LogLevel
        std::string text;
    };
    std::mutex mutex;
    std::deque<Line> lines;
    uint64_t warnings = 0;
    void add(int level, std::string text);
};
// The process-wide log (ingest threads write to it through install_viewer_hooks()).
UiLog& ui_log();

// Incoming data rate, from the hub's counters sampled once a second.
struct RateMeter {
    std::chrono::steady_clock::time_point last{};
    uint64_t last_rows = 0, last_bytes = 0;
    double rows_per_s = 0, bytes_per_s = 0;
    void sample(uint64_t rows, uint64_t bytes);
};

struct ViewerState {
    ViewerOptions options;
    DataAccess data;
    ingest::TcpServer* server = nullptr;
    ingest::FileLoader* files = nullptr;
    Fonts fonts;
    float scale = 1.0f;
    std::unique_ptr<Renderer> renderer;

    // Refreshed when the hub's generation changes.
    uint64_t seen_generation = ~uint64_t(0);
    std::vector<RecordingEntry> recordings;
    std::optional<core::StoreId> selected_recording;
    std::shared_ptr<ingest::RecordingStore> store;  // the selected one
    std::vector<ingest::EntityInfo> entities;       // of the selected recording
    std::vector<EntityPath> entity_paths;
    EntityNode entity_tree;
    std::set<EntityPath> hidden;  // entity visibility toggles
    uint64_t visibility_generation = 0;

    TimeControl time;
    Selection selection;
    Selection hovered;  // this frame's hover, from any view

    // Blueprints per application id; the selected recording's is the layout shown.
    BlueprintSet blueprints;
    std::string app_id;                         // of the selected recording
    size_t seen_activations = 0;                // StoreHub::blueprint_activations() applied so far
    blueprint::NodeId blueprint_selection = 0;  // a node selected in the blueprint panel, or 0
    std::map<std::string, std::unique_ptr<ViewBase>> views;  // by view_key()

    UiLog& log = ui_log();
    RateMeter rate;
    std::vector<std::string> recent_files;
    std::set<std::string> files_noted;  // loader paths already added to recent_files
    bool show_file_dialog = false;
    enum class BlueprintDialog { None, Save, Load } blueprint_dialog = BlueprintDialog::None;
    bool request_redraw = false;  // a view wants more frames (animation, pending upload)
    bool quit = false;

    ViewerState(const ViewerOptions& o, ingest::StoreHub& hub);
    ~ViewerState();

    // The query for the current recording, timeline and time.
    RecordingQuery query() const;
    bool is_visible(const EntityPath& path) const;
    void select_recording(const core::StoreId& id);
    void open_file(const std::string& path);
    // Drops a recording from the hub (its memory is freed) and lets the files it came from be
    // opened again. Data still arriving for it starts it anew.
    void close_recording(const core::StoreId& id);
    // Adds every file the loader has read successfully (command line, launcher, drag and drop,
    // files handed over by another `rerun`) to recent_files, as absolute paths. Every frame.
    void note_loaded_files();
    // Pulls new stores/entities/timelines from the hub when its generation moved, applies
    // blueprint activations and keeps the heuristic layout up to date.
    void refresh();

    // The layout shown: the active blueprint of the selected recording's application id.
    const blueprint::Blueprint& layout() { return blueprints.get(app_id).active; }
    AppBlueprint& app_blueprint() { return blueprints.get(app_id); }
    // A user edit of the layout (undoable, saved after a delay).
    void edit_layout(blueprint::Blueprint next) { blueprints.edit(app_id, std::move(next)); }
    void reset_layout() { blueprints.reset(app_id, entities); }
    // Saves blueprints that are due and moves the blueprint set's messages into the log.
    void tick_blueprints();
};

}  // namespace rerun::viewer
