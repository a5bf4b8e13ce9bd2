#include <cmath>
#include <cstdio>
#include <ctime>

#include "commands.hpp"

namespace rerun::rrd {

namespace {

// One entry per command: its synopsis line(s) for `rerun rrd --help`, and the text that
// `rerun rrd COMMAND --help` adds below its own usage line.
struct CommandHelp {
    const char* name;
    const char* usage;    // after "rerun rrd "
    const char* summary;  // one or two lines for the overview
    const char* details;  // options and exit codes of this command
};

constexpr const char* kCommonWriteOptions =
    R"(  -o, --output FILE     write FILE (under a temporary name, renamed when complete); without it
                        the .rrd data goes to stdout, which must not be a terminal
  --continue-on-error   write what could be decoded even when inputs are damaged
)";

const CommandHelp kCommands[] = {
    {"merge", "merge [-o OUT] [--continue-on-error] [FILE...]",
     "all recordings of all inputs in one file; chunks with the same\n"
     "                              Recording ID become one recording; a chunk present twice is "
     "kept once",
     R"(All recordings of all inputs in one file. Chunks with the same Recording ID from different inputs
become one recording, a chunk present twice (same chunk id) is kept once, and the output depends
only on the inputs and their order.

options:
%COMMON%
exit codes: 0 written; 1 an input is damaged or unreadable (nothing written), or writing failed;
2 bad arguments
)"},
    {"compact", "compact [-o OUT] [--max-rows N] [--max-bytes SIZE] [FILE...]",
     "merge, and join runs of small chunks of one entity into larger ones",
     R"(merge, and join runs of small chunks of the same entity and schema into larger ones, so files
written row by row load fast.

options:
  --max-rows N          rows per joined chunk (default $RERUN_CHUNK_MAX_ROWS or 4096)
  --max-bytes SIZE      bytes per joined chunk, e.g. 1048576 or 1MB (default
                        $RERUN_CHUNK_MAX_BYTES or 384KiB)
%COMMON%
exit codes: 0 written; 1 an input is damaged or unreadable (nothing written), or writing failed;
2 bad arguments
)"},
    {"print", "print [-v|-vv] [FILE...]",
     "a summary per recording: ids, timelines, entities, rows; -v adds\n"
     "                              components per entity, -vv every chunk",
     R"(A summary per recording: ids, producers, files, timelines with their ranges, entities and rows.

options:
  -v, --verbose         also the components of each entity (rows, instances, types)
  -vv                   also every chunk (id, entity, rows, time ranges, components)

exit codes: 0 printed; 1 an input is damaged, unreadable or not an .rrd file; 2 bad arguments
)"},
    {"stats", "stats [--no-decode] [FILE...]",
     "sizes, counts and compression ratio, per entity and component;\n"
     "                              --no-decode reads frame headers only (fast)",
     R"(Sizes, counts and compression ratio, per recording, entity and component.

options:
  --no-decode           read frame headers only and skip the payloads (fast; no per-entity figures)

exit codes: 0 printed; 1 an input is damaged, unreadable or not an .rrd file; 2 bad arguments
)"},
    {"verify", "verify [FILE...]", "decodes everything and checks checksums and structure",
     R"(Decodes every frame of every input and checks checksums and structure.

exit codes: 0 no problem found; 1 a problem was found (listed on stderr); 2 bad arguments
)"},
    {"recover", "recover [-o OUT] [FILE]", "keeps every good frame of a damaged or truncated file",
     R"(Keeps every good frame of a damaged or truncated file (or of stdin), in order, resynchronising
after damage, and says what was lost. The output is decoded again before success is reported:
a file is read back from disk; data written to stdout is checked in memory as it is written.

options:
  -o, --output FILE     write FILE; without it the .rrd data goes to stdout (not a terminal)

exit codes: 0 nothing was lost; 3 written, but some data could not be recovered; 1 nothing could
be recovered, or an error; 2 bad arguments
)"},
    {"route", "route [-o OUT] [--recording-id ID] [--application-id ID] [FILE...]",
     "rewrites the Recording ID and/or Application ID of recordings",
     R"(Rewrites the Recording ID and/or the Application ID of every recording, e.g. to combine
recordings made with different ids. Frames that do not change are copied byte for byte.

options:
  --recording-id ID     the new Recording ID
  --application-id ID   the new Application ID
%COMMON%
exit codes: 0 written; 1 an input is damaged or unreadable (nothing written), or writing failed;
2 bad arguments (at least one of the ids is required)
)"},
    {"filter", "filter [-o OUT] [--drop-entity PATH]... [--drop-timeline NAME]... [FILE...]",
     "drops entities (PATH/** drops a subtree) and timelines",
     R"(Drops entities and timelines. Chunks left without any timeline are dropped (and counted).

options:
  --drop-entity PATH    drop this entity; PATH/** drops the subtree (repeatable)
  --drop-timeline NAME  drop this timeline from every chunk (repeatable)
%COMMON%
exit codes: 0 written; 1 an input is damaged or unreadable (nothing written), or writing failed;
2 bad arguments
)"},
};

const CommandHelp* find_command(const std::string& name) {
    for (const auto& c : kCommands) {
        if (name == c.name) return &c;
    }
    return nullptr;
}

std::string replace_common(std::string text) {
    const std::string key = "%COMMON%";
    if (auto at = text.find(key); at != std::string::npos)
        text.replace(at, key.size(), kCommonWriteOptions);
    return text;
}

}  // namespace

std::string rrd_usage() {
    std::string text = R"(usage: rerun rrd <command> [options] [FILE...]
       rerun rrd <command> --help

Tools on recording files. Each reads the FILEs given (or stdin when none, or "-"), and the commands
that write .rrd data write to -o FILE or to stdout (never to a terminal). A file is written under a
temporary name and renamed when complete, so a failed command never leaves a half-written file.

commands:
)";
    for (const auto& c : kCommands) {
        std::string line = std::string("  ") + c.name;
        line.resize(10, ' ');
        text += line + std::string(c.usage).substr(std::string(c.name).size() + 1) + "\n";
        text += std::string(30, ' ') + c.summary + "\n";
    }
    text += R"(
exit codes:
  0  success (verify: no problem found; recover: nothing was lost)
  1  failure: an error, damaged inputs, nothing recovered, or verify found a problem
  2  bad arguments
  3  recover: a file was written, but some data could not be recovered
)";
    return text;
}

std::string rrd_command_usage(const std::string& command) {
    const CommandHelp* c = find_command(command);
    if (!c) return {};
    return std::string("usage: rerun rrd ") + c->usage + "\n\n" + replace_common(c->details);
}

int usage_error(const std::string& command, const std::string& message) {
    std::fprintf(stderr, "rerun rrd %s: %s\n(see `rerun rrd %s --help`)\n", command.c_str(),
                 message.c_str(), command.c_str());
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
    if (args.empty()) {
        std::fputs(rrd_usage().c_str(), stderr);
        return kExitUsage;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        // `rerun rrd help merge` is `rerun rrd merge --help`.
        const std::string topic = args[0] == "help" && args.size() > 1 ? args[1] : "";
        if (!topic.empty() && !find_command(topic)) {
            std::fprintf(stderr,
                         "rerun rrd help: unknown command \"%s\" (see `rerun rrd --help`)\n",
                         topic.c_str());
            return kExitUsage;
        }
        std::fputs((topic.empty() ? rrd_usage() : rrd_command_usage(topic)).c_str(), stdout);
        return kExitOk;
    }
    const std::string& command = args[0];
    if (!find_command(command)) {
        std::fprintf(stderr,
                     "rerun rrd: unknown command \"%s\"; commands are merge, compact, print, "
                     "stats, verify, recover, route, filter (see `rerun rrd --help`)\n",
                     command.c_str());
        return kExitUsage;
    }
    // --help anywhere before "--" asks for the help of the command.
    for (const auto& a : args) {
        if (a == "--") break;
        if (a == "--help" || a == "-h") {
            std::fputs(rrd_command_usage(command).c_str(), stdout);
            return kExitOk;
        }
    }
    if (command == "merge") return cmd_merge(args, false);
    if (command == "compact") return cmd_merge(args, true);
    if (command == "print") return cmd_print(args);
    if (command == "stats") return cmd_stats(args);
    if (command == "verify") return cmd_verify(args);
    if (command == "recover") return cmd_recover(args);
    if (command == "route") return cmd_route(args);
    return cmd_filter(args);
}

}  // namespace rerun::rrd
