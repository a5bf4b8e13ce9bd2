// `rerun rrd <command> ...`: tools on recording files (merge, compact, print, stats, verify,
// recover, route, filter). Each reads the files named as arguments, or stdin when none, and writes
// `-o FILE` or stdout (never binary to a terminal).
#pragma once

#include <string>
#include <vector>

namespace rerun::rrd {

// Exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // an error, nothing recovered, or verify found problems
inline constexpr int kExitUsage = 2;    // bad arguments
inline constexpr int kExitLossy = 3;    // recover: output written, but some data was lost

// args: the words after `rrd`, e.g. {"merge", "-o", "out.rrd", "a.rrd"}. Messages go to stderr,
// text output (print, stats) to stdout.
int run_rrd_command(const std::vector<std::string>& args);

// The text of `rerun rrd --help`: every command, and the exit codes.
std::string rrd_usage();

// The text of `rerun rrd COMMAND --help`: its usage, options and exit codes; "" for an unknown
// command.
std::string rrd_command_usage(const std::string& command);

}  // namespace rerun::rrd
