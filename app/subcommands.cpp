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
    Subcommand{"reset", "forget saved blueprints (layouts per application id)", &run_reset},
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

#include "rerun/blueprint/persistence.hpp"
#include "rerun/rrd/rrd_command.hpp"

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
    if (!args.empty() && (args.front() == "--help" || args.front() == "-h")) {
        std::puts(
            "usage: rerun reset\n  Forgets every saved blueprint (the layouts kept per application "
            "id).");
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
    return 0;
}
}  // namespace
}  // namespace rerun::app
