// Internal: the rrd commands and what they share.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "io.hpp"
#include "rerun/rrd/rrd_command.hpp"

namespace rerun::rrd {

// args[0] is the command name.
int cmd_merge(const std::vector<std::string>& args, bool compact);
int cmd_print(const std::vector<std::string>& args);
int cmd_stats(const std::vector<std::string>& args);
int cmd_verify(const std::vector<std::string>& args);
int cmd_recover(const std::vector<std::string>& args);
int cmd_route(const std::vector<std::string>& args);
int cmd_filter(const std::vector<std::string>& args);

// Prints "rerun rrd CMD: MESSAGE" and a hint to --help; returns kExitUsage.
int usage_error(const std::string& command, const std::string& message);
// Opens -o/--output (or stdout); prints the error and returns nullopt on failure.
std::optional<Output> open_output(const ParsedArgs& parsed);
// Human-readable sizes and times for print and stats.
std::string format_bytes(uint64_t bytes);
std::string format_time(core::TimeType type, core::TimeInt value);

}  // namespace rerun::rrd
