// Saved blueprints, one per Application ID, in $XDG_DATA_HOME/rerun/blueprints/<name>.rbl
// (default ~/.local/share/rerun/blueprints). Written atomically (temporary file + rename).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "rerun/blueprint/blueprint.hpp"

namespace rerun::blueprint {

// The data folder for blueprints: $XDG_DATA_HOME/rerun/blueprints, else $HOME/.local/share/...
std::filesystem::path default_blueprint_dir();

// A file name (without extension) for an application id that stays inside the folder: only
// [A-Za-z0-9._-], no leading '.', at most 120 characters, and a 16-hex-digit hash suffix whenever
// anything was replaced or cut, so two different ids never share a file.
std::string blueprint_file_stem(const std::string& application_id);

class BlueprintStorage {
  public:
    explicit BlueprintStorage(std::filesystem::path dir = default_blueprint_dir())
        : dir_(std::move(dir)) {}

    std::filesystem::path path_for(const std::string& application_id) const;

    // Saves atomically; false with *error (e.g. disk full: the previous file stays intact).
    bool save(const std::string& application_id, const Blueprint& bp, std::string* error) const;

    // nullopt when there is none. A corrupt or newer-version file is moved aside to
    // <name>.rbl.bad-<unix time> (never overwritten silently) and *warning says so.
    std::optional<Blueprint> load(const std::string& application_id, std::string* warning) const;

    // Forgets every saved blueprint; returns how many were removed.
    size_t reset() const;

    const std::filesystem::path& dir() const { return dir_; }

  private:
    std::filesystem::path dir_;
};

}  // namespace rerun::blueprint
