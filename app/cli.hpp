// Command line of the `rerun` executable: the viewer's flags (this file) and subcommands
// (subcommands.cpp). Parsing never exits the process; main() decides what to do.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rerun::app {

struct ViewerOptions {
    bool help = false;
    bool version = false;

    // Where the TCP endpoint listens.
    std::string bind = "127.0.0.1";
    uint16_t port = 9876;
    bool no_listen = false;   // --no-listen: files/stdin only; exits when they are read
    bool new_viewer = false;  // --new: never forward to a running viewer; picks a free port
    bool follow = false;      // --follow: keep reading files as they grow

    std::optional<uint64_t> memory_limit;  // bytes
    std::string memory_limit_text;

    bool headless = false;
    bool hide_welcome_screen = false;  // --hide-welcome-screen

    // The window (ignored with --headless).
    int window_width = 1600;
    int window_height = 900;
    std::string screenshot_to;         // --screenshot-to: render, save a PNG, exit
    double screenshot_after = 0.0;     // --screenshot-after SECONDS (for live data)
    uint64_t screenshot_min_rows = 0;  // --screenshot-when-rows N: wait for N rows of data
    int benchmark_frames = 0;          // --benchmark-frames N: print frame times, exit
    std::string save_path;             // --save
    std::string stats_json_path;       // --stats-json
    bool quiet = false;                // --quiet: warnings and errors only

    // Ingest tuning (mostly for tests).
    std::chrono::milliseconds handshake_timeout{10'000};
    std::chrono::milliseconds idle_timeout{0};
    std::chrono::milliseconds frame_timeout{10'000};
    size_t max_connections = 1024;
    std::chrono::milliseconds evict_idle_after{60'000};
    uint64_t max_frame_bytes = 0;  // 0: the format's default
    // --max-inflight-bytes: unset = ingest::kDefaultMaxInflightBytes (1 GiB); 0 = no bound.
    std::optional<uint64_t> max_inflight_bytes;
    unsigned io_threads = 0;

    std::vector<std::string> inputs;  // .rrd paths, "-" for stdin
};

struct ParseResult {
    ViewerOptions options;
    std::string error;  // non-empty: print it with the usage hint, exit 2
};

// The store memory limit in bytes: --memory-limit, else 75% of physical memory (as upstream's
// viewer); 0 (from --memory-limit 0) means none.
uint64_t effective_memory_limit(const ViewerOptions& options);

ParseResult parse_viewer_args(std::span<const std::string> args);
std::string viewer_usage();

// "2s", "500ms", "1.5" (seconds), "0" (none).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// ---- subcommands (`rerun <name> ...`) -----------------------------------------------------------
struct Subcommand {
    std::string_view name;
    std::string_view summary;
    int (*run)(std::span<const std::string> args);  // args after the name
};
std::span<const Subcommand> subcommands();
const Subcommand* find_subcommand(std::string_view name);

// ---- modes --------------------------------------------------------------------------------------
int run_gui(const ViewerOptions& options);
int run_headless(const ViewerOptions& options);

}  // namespace rerun::app
