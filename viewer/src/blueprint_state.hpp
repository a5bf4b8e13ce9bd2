// The viewer's blueprints, one per Application ID: which layout is active, where it came from,
// its undo history, and when it is due to be saved. No ImGui, no GL (unit-tested in
// tests/viewer/test_logic.cpp).
//
// Rules (issue 6):
// - The first time an application id is used (a recording of it is shown, or a blueprint for it
//   arrives), its saved blueprint is restored. A corrupt or newer file gives a warning
//   (take_messages()), is moved aside by BlueprintStorage, and the default is used.
// - Without a saved one, the default is the producer's make_default blueprint if one arrived,
//   else the heuristic layout, recomputed (update_default) as entities arrive until the first edit.
// - A producer's blueprint with make_active replaces the active one (undoable, saved). One with
//   make_default becomes the template for reset, and the active one too when the user has no
//   blueprint of their own for that id (none saved, no edit, no make_active).
// - Blueprints of the user's (restored, edited, make_active, loaded from a file) are saved
//   atomically kDefaultSaveDelay after their last change (save_due) and on exit (save_all).
//   Defaults (heuristic or make_default) are not saved: they come back by themselves; resetting
//   to the default removes the saved file.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data_access.hpp"
#include "rerun/blueprint/blueprint.hpp"
#include "rerun/blueprint/persistence.hpp"

namespace rerun::viewer {

inline constexpr std::chrono::milliseconds kDefaultSaveDelay{1000};

struct AppBlueprint {
    blueprint::Blueprint active;
    std::optional<blueprint::Blueprint> producer_default;  // make_default from a producer
    blueprint::History history{100};
    // Where `active` came from, for people: "default layout", "restored from <file>", "edited",
    // "sent by a producer", "default sent by a producer", "loaded from <file>".
    std::string source;
    bool user_owned = false;  // restored, edited or made active: saved, and make_default waits
    bool dirty = false;       // user_owned and changed since the last save
    std::chrono::steady_clock::time_point changed_at{};
    uint64_t revision = 0;          // bumped on every change of `active`
    std::string default_signature;  // entities the heuristic layout was computed from
};

class BlueprintSet {
  public:
    using Clock = std::chrono::steady_clock;

    // `dir` empty: nothing is restored or saved (viewer_demo, tests of other parts).
    explicit BlueprintSet(std::filesystem::path dir = {});

    // The state of `app_id`, restoring its saved blueprint on first use.
    AppBlueprint& get(const std::string& app_id);
    const std::map<std::string, AppBlueprint>& apps() const { return apps_; }
    bool persistent() const { return storage_.has_value(); }
    // Where `app_id`'s blueprint is saved ("" when not persistent).
    std::string path_for(const std::string& app_id) const;

    // Recomputes the heuristic layout from `entities` while `app_id` still uses it and the
    // entities or their types changed. Returns true when the layout changed.
    bool update_default(const std::string& app_id, const std::vector<ingest::EntityInfo>& entities);
    // A user edit: `next` replaces the active blueprint (undoable; auto_layout is cleared).
    void edit(const std::string& app_id, blueprint::Blueprint next);
    bool undo(const std::string& app_id);
    bool redo(const std::string& app_id);
    // Back to the default (the producer's make_default, else the heuristic layout from
    // `entities`); the saved file is removed. Undoable.
    void reset(const std::string& app_id, const std::vector<ingest::EntityInfo>& entities);
    // A blueprint from a producer or a file (see the rules above). `source` is for people.
    void apply(const std::string& app_id, blueprint::Blueprint bp, bool make_active,
               bool make_default, const std::string& source);

    // Saves user blueprints changed at least `delay` before `now`; save_all() saves every dirty
    // one. Failures become warnings (take_messages()); the blueprint stays dirty and is retried
    // after another delay.
    void save_due(Clock::time_point now, std::chrono::milliseconds delay = kDefaultSaveDelay);
    void save_all();

    // Warnings and notes for the log since the last call: (level, text), level as ingest's
    // LogLevel (1 info, 2 warning).
    std::vector<std::pair<int, std::string>> take_messages();

  private:
    void changed(AppBlueprint& app, bool user_owned);
    void forget_saved(const std::string& app_id);
    bool save(const std::string& app_id, AppBlueprint& app);

    std::optional<blueprint::BlueprintStorage> storage_;
    std::map<std::string, AppBlueprint> apps_;
    std::vector<std::pair<int, std::string>> messages_;
};

// Applies the blueprint activations the hub received since `*seen` (an index into
// StoreHub::blueprint_activations()): decodes each blueprint store and hands it to `set`.
// Undecodable blueprints are reported through the set's messages.
void apply_activations(BlueprintSet& set, DataAccess& data, size_t* seen);

// Writes {"blueprints": [{"application_id", "layout" (blueprint::describe), "views", "source",
// "user_owned", "saved_to"}, ...]} to `path` (the viewer's --stats-json). False when it cannot.
bool write_blueprint_stats(const BlueprintSet& set, const std::string& path);

// Decodes the blueprint held by a store of kind blueprint (its latest version of every node).
std::optional<blueprint::Blueprint> read_blueprint_store(const ingest::RecordingStore& store,
                                                         std::string* error);

}  // namespace rerun::viewer
