// The table of `rerun <subcommand>`s. Add new ones here (e.g. `rerun rrd ...`).
#include <array>
#include <string>
#include <vector>

#include "cli.hpp"

namespace rerun::app {

namespace {
int run_help(std::span<const std::string>);
int run_rrd(std::span<const std::string> args);
int run_reset(std::span<const std::string> args);

constexpr std::array kSubcommands = {
    Subcommand{"help", "print the usage", &run_help},
    Subcommand{"rrd",
               "tools on .rrd files: merge, compact, print, stats, verify, recover, route, filter",
               &run_rrd},
    Subcommand{"reset", "forget saved blueprints (layouts per application id) and window state",
               &run_reset},
};
}  // namespace

std::span<const Subcommand> subcommands() {
    return kSubcommands;
}

const Subcommand* find_subcommand(std::string_view name) {
    for (const auto& s : kSubcommands) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

}  // namespace rerun::app

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "rerun/blueprint/persistence.hpp"
#include "rerun/rrd/rrd_command.hpp"
#include "rerun/viewer/viewer_app.hpp"

namespace rerun::app {
namespace {
int run_help(std::span<const std::string>) {
    std::fputs(viewer_usage().c_str(), stdout);
    return 0;
}

int run_rrd(std::span<const std::string> args) {
    return rrd::run_rrd_command(std::vector<std::string>(args.begin(), args.end()));
}

int run_reset(std::span<const std::string> args) {
    const std::string settings = viewer::default_settings_path();
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
        std::printf(
            "usage: rerun reset\n  Forgets every saved blueprint (the layouts kept per application "
            "id, in %s)\n  and the viewer's window state and UI preferences (%s).\n",
            blueprint::default_blueprint_dir().c_str(),
            settings.empty() ? "none: neither XDG_CONFIG_HOME nor HOME is set" : settings.c_str());
        return 0;
    }
    if (!args.empty()) {
        std::fputs("rerun reset: takes no arguments (see `rerun reset --help`)\n", stderr);
        return 2;
    }
    const blueprint::BlueprintStorage storage;
    const size_t removed = storage.reset();
    std::printf("rerun reset: removed %zu saved blueprint(s) from %s\n", removed,
                storage.dir().c_str());
    // The window state (size, position, panels, UI preferences) is one file of the viewer's.
    std::error_code ec;
    if (settings.empty()) {
        std::puts(
            "rerun reset: no window state to forget (neither XDG_CONFIG_HOME nor HOME is set)");
    } else if (std::filesystem::remove(settings, ec)) {
        std::printf("rerun reset: removed the window state %s\n", settings.c_str());
    } else if (ec) {
        std::fprintf(stderr, "rerun reset: cannot remove the window state %s: %s\n",
                     settings.c_str(), ec.message().c_str());
        return 1;
    } else {
        std::printf("rerun reset: no saved window state (%s does not exist)\n", settings.c_str());
    }
    return 0;
}
}  // namespace
}  // namespace rerun::app
