// The table of `rerun <subcommand>`s. Add new ones here (e.g. `rerun rrd ...`).
#include <array>

#include "cli.hpp"

namespace rerun::app {

namespace {
// Kept non-empty so that the table has a type; a placeholder that documents the dispatch.
int run_help(std::span<const std::string>);

constexpr std::array kSubcommands = {
    Subcommand{"help", "print the usage", &run_help},
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

namespace rerun::app {
namespace {
int run_help(std::span<const std::string>) {
    std::fputs(viewer_usage().c_str(), stdout);
    return 0;
}
}  // namespace
}  // namespace rerun::app
