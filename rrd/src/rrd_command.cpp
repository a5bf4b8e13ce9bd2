#include <cmath>
#include <cstdio>
#include <ctime>

#include "commands.hpp"

namespace rerun::rrd {

std::string rrd_usage() {
    return R"(usage: rerun rrd <command> [options] [FILE...]

Tools on recording files. Each reads the FILEs given (or stdin when none, or "-"), and the commands
that write .rrd data write to -o FILE or to stdout (never to a terminal). A file is written under a
temporary name and renamed when complete, so a failed command never leaves a half-written file.

commands:
  merge   -o OUT FILE...      all recordings of all inputs in one file; chunks with the same
                              Recording ID become one recording; a chunk present twice is kept once
  compact -o OUT FILE...      merge, and join runs of small chunks of one entity into larger ones
          [--max-rows N]      rows per joined chunk (default $RERUN_CHUNK_MAX_ROWS or 4096)
          [--max-bytes SIZE]  bytes per joined chunk (default $RERUN_CHUNK_MAX_BYTES or 384KiB)
  print   [-v|-vv] FILE...    a summary per recording: ids, timelines, entities, components, rows;
                              -v adds components per entity, -vv every chunk
  stats   [--no-decode] FILE...  sizes, counts and compression ratio, per entity and component;
                              --no-decode reads frame headers only (fast)
  verify  FILE...             decodes everything and checks checksums and structure
  recover -o OUT FILE         keeps every good frame of a damaged or truncated file
  route   -o OUT [--recording-id ID] [--application-id ID] FILE...
                              rewrites the Recording ID and/or Application ID of recordings
  filter  -o OUT [--drop-entity PATH]... [--drop-timeline NAME]... FILE...
                              drops entities (PATH/** drops a subtree) and timelines

options common to merge, compact, route and filter:
  --continue-on-error         write what could be decoded even when inputs are damaged

exit codes:
  0  success (verify: no problem found; recover: nothing was lost)
  1  failure: an error, damaged inputs, nothing recovered, or verify found a problem
  2  bad arguments
  3  recover: a file was written, but some data could not be recovered
)";
}

int usage_error(const std::string& command, const std::string& message) {
    std::fprintf(stderr, "rerun rrd %s: %s\n(see `rerun rrd --help`)\n", command.c_str(),
                 message.c_str());
    return kExitUsage;
}

std::optional<Output> open_output(const ParsedArgs& parsed) {
    std::string path = parsed.value("-o").value_or(parsed.value("--output").value_or(""));
    std::string error;
    auto out = Output::open(path, &error);
    if (!out) std::fprintf(stderr, "rerun rrd: %s\n", error.c_str());
    return out;
}

std::string format_bytes(uint64_t bytes) {
    char text[32];
    if (bytes < 1024) {
        std::snprintf(text, sizeof text, "%llu B", static_cast<unsigned long long>(bytes));
    } else if (bytes < (1u << 20)) {
        std::snprintf(text, sizeof text, "%.1f KiB", bytes / 1024.0);
    } else if (bytes < (1u << 30)) {
        std::snprintf(text, sizeof text, "%.1f MiB", bytes / 1048576.0);
    } else {
        std::snprintf(text, sizeof text, "%.2f GiB", bytes / 1073741824.0);
    }
    return text;
}

std::string format_time(core::TimeType type, core::TimeInt value) {
    char text[64];
    switch (type) {
        case core::TimeType::Sequence:
            std::snprintf(text, sizeof text, "#%lld", static_cast<long long>(value));
            return text;
        case core::TimeType::Duration:
            std::snprintf(text, sizeof text, "%.9gs", double(value) / 1e9);
            return text;
        case core::TimeType::Timestamp: {
            const std::time_t secs = std::time_t(value / 1'000'000'000);
            const long long nanos = value % 1'000'000'000;
            std::tm tm{};
            gmtime_r(&secs, &tm);
            char date[40];
            std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
            std::snprintf(text, sizeof text, "%s.%09lldZ", date, nanos < 0 ? -nanos : nanos);
            return text;
        }
    }
    return std::to_string(value);
}

int run_rrd_command(const std::vector<std::string>& args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(rrd_usage().c_str(), args.empty() ? stderr : stdout);
        return args.empty() ? kExitUsage : kExitOk;
    }
    for (const auto& a : args) {
        if (a == "--help" || a == "-h") {
            std::fputs(rrd_usage().c_str(), stdout);
            return kExitOk;
        }
    }
    const std::string& command = args[0];
    if (command == "merge") return cmd_merge(args, false);
    if (command == "compact") return cmd_merge(args, true);
    if (command == "print") return cmd_print(args);
    if (command == "stats") return cmd_stats(args);
    if (command == "verify") return cmd_verify(args);
    if (command == "recover") return cmd_recover(args);
    if (command == "route") return cmd_route(args);
    if (command == "filter") return cmd_filter(args);
    std::fprintf(stderr,
                 "rerun rrd: unknown command \"%s\"; commands are merge, compact, print, stats, "
                 "verify, recover, route, filter (see `rerun rrd --help`)\n",
                 command.c_str());
    return kExitUsage;
}

}  // namespace rerun::rrd
