#include "cli.hpp"
#include <algorithm>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "rerun/ingest/memory_limit.hpp"

namespace rerun::app {

std::string viewer_usage() {
    std::string text =
        "Usage: rerun [OPTIONS] [FILE.rrd ... | -]\n"
        "       rerun <SUBCOMMAND> ...\n"
        "\n"
        "The Rerun viewer: listens for SDK connections on TCP and opens .rrd files ('-' reads\n"
        "stdin). Data with the same Recording ID is shown as one recording.\n"
        "\n"
        "Options:\n"
        "  -h, --help                 print this help\n"
        "  -V, --version              print the version\n"
        "  --port N                   TCP port to listen on (default 9876; 0 picks a free one)\n"
        "  --bind ADDR                address to listen on (default 127.0.0.1; 0.0.0.0 exposes\n"
        "                             the port to the network)\n"
        "  --no-listen                do not listen on TCP; with files, exit once they are read\n"
        "  --new                      do not hand FILES to a viewer already running on the port;\n"
        "                             listen on a free port instead\n"
        "  --follow                   keep reading FILES as they grow (like tail -f), for a\n"
        "                             recording another process is still writing (read by\n"
        "                             this process, not handed to a running viewer)\n"
        "  --memory-limit LIMIT       e.g. 2GB, 512MiB or 50% (of RAM): beyond it the oldest\n"
        "                             rows are dropped (never static data or latest values);\n"
        "                             default 75% of RAM; 0 or none: no limit\n"
        "  --headless                 run without a window (endpoint, files and stores only)\n"
        "  --hide-welcome-screen      until data arrives, show no welcome screen\n"
        "  --window-size WxH          initial window size (default 1600x900)\n"
        "  --screenshot-to OUT.png    load the files (and wait --screenshot-after SECONDS for\n"
        "                             live data), save a PNG of the window and exit\n"
        "  --screenshot-after SECS    with --screenshot-to: wait this long for live data\n"
        "  --screenshot-when-rows N   with --screenshot-to: wait until N rows of data have\n"
        "                             arrived (all recordings together), then save the PNG\n"
        "  --benchmark-frames N       draw N frames back to back, print frame times, exit\n"
        "  --save PATH                stream everything that arrives into PATH (.rrd)\n"
        "  --stats-json PATH          on exit (SIGINT/SIGTERM, or --no-listen done) write a\n"
        "                             summary per recording to PATH\n"
        "  --quiet                    log warnings and errors only\n"
        "\n"
        "Limits (mostly for tests):\n"
        "  --handshake-timeout DUR    a peer must say hello within DUR (default 10s)\n"
        "  --idle-timeout DUR         close connections silent for DUR (default 0 = never)\n"
        "  --frame-timeout DUR        close connections whose frame stalls for DUR (default 10s)\n"
        "  --max-connections N        concurrent connections (default 1024)\n"
        "  --evict-idle-after DUR     when full, a connection silent for DUR makes room for a\n"
        "                             new one (default 60s; 0 = refuse the new one)\n"
        "  --max-frame-bytes SIZE     largest accepted frame (default 2GiB)\n"
        "  --max-inflight-bytes SIZE  frames being received, all connections together\n"
        "                             (default 1GiB; also N% of RAM; 0 = no bound): beyond\n"
        "                             it connections wait (TCP back-pressure)\n"
        "  --io-threads N             network threads (default: up to 4)\n"
        "\n"
        "DUR: 10s, 500ms, or seconds as a number.\n";
    std::string subs;
    for (const auto& s : subcommands()) {
        subs += "  " + std::string(s.name);
        subs += std::string(s.name.size() < 25 ? 25 - s.name.size() : 1, ' ');
        subs += std::string(s.summary) + "\n";
    }
    if (!subs.empty()) text += "\nSubcommands:\n" + subs;
    return text;
}

uint64_t effective_memory_limit(const ViewerOptions& options) {
    if (options.memory_limit) return *options.memory_limit;
    return ingest::parse_memory_limit("75%").value_or(0);
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    double scale = 1000.0;
    if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
        scale = 1.0;
        text.remove_suffix(2);
    } else if (!text.empty() && text.back() == 's') {
        text.remove_suffix(1);
    }
    if (text.empty()) return std::nullopt;
    const std::string number(text);
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(v) || v < 0 || v > 1e9) {
        return std::nullopt;
    }
    return std::chrono::milliseconds(int64_t(std::llround(v * scale)));
}

namespace {

// " (did you mean --headless?)" for a near miss of a known option, else "".
std::string suggest_option(std::string_view unknown) {
    static constexpr std::string_view kOptions[] = {"--help",
                                                    "--version",
                                                    "--port",
                                                    "--bind",
                                                    "--no-listen",
                                                    "--new",
                                                    "--follow",
                                                    "--memory-limit",
                                                    "--headless",
                                                    "--hide-welcome-screen",
                                                    "--window-size",
                                                    "--screenshot-to",
                                                    "--screenshot-after",
                                                    "--screenshot-when-rows",
                                                    "--benchmark-frames",
                                                    "--save",
                                                    "--stats-json",
                                                    "--quiet",
                                                    "--handshake-timeout",
                                                    "--idle-timeout",
                                                    "--frame-timeout",
                                                    "--max-connections",
                                                    "--evict-idle-after",
                                                    "--max-frame-bytes",
                                                    "--max-inflight-bytes",
                                                    "--io-threads"};
    auto distance = [](std::string_view a, std::string_view b) {
        std::vector<size_t> row(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j)
            row[j] = j;
        for (size_t i = 1; i <= a.size(); ++i) {
            size_t diagonal = row[0];
            row[0] = i;
            for (size_t j = 1; j <= b.size(); ++j) {
                const size_t next =
                    std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
                diagonal = row[j];
                row[j] = next;
            }
        }
        return row[b.size()];
    };
    const std::string_view name = unknown.substr(0, unknown.find('='));
    std::string_view best;
    size_t best_distance = 4;
    for (auto option : kOptions) {
        const size_t d = distance(name, option);
        if (d < best_distance || (option.starts_with(name) && name.size() >= 4 && best.empty())) {
            best = option;
            best_distance = std::min(d, best_distance);
        }
    }
    return best.empty() ? "" : " (did you mean " + std::string(best) + "?)";
}

template <class T>
bool parse_uint(std::string_view text, T max, T* out) {
    uint64_t v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || p != end || v > uint64_t(max)) return false;
    *out = T(v);
    return true;
}

}  // namespace

ParseResult parse_viewer_args(std::span<const std::string> args) {
    ParseResult result;
    ViewerOptions& o = result.options;
    bool only_inputs = false;
    bool port_given = false;

    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (only_inputs || arg == "-" || arg.empty() || arg[0] != '-') {
            o.inputs.push_back(arg);
            continue;
        }
        if (arg == "--") {
            only_inputs = true;
            continue;
        }
        // --flag=value is the same as --flag value.
        std::optional<std::string> inline_value;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        auto value = [&](std::string* out) -> bool {
            if (inline_value) {
                *out = *inline_value;
                return true;
            }
            if (i + 1 >= args.size()) {
                result.error = arg + " needs a value";
                return false;
            }
            *out = args[++i];
            return true;
        };
        auto no_value = [&]() -> bool {
            if (inline_value) {
                result.error = arg + " takes no value";
                return false;
            }
            return true;
        };
        auto duration = [&](std::chrono::milliseconds* out) -> bool {
            std::string v;
            if (!value(&v)) return false;
            auto d = parse_duration(v);
            if (!d) {
                result.error = arg + ": invalid duration \"" + v + "\" (e.g. 10s, 500ms)";
                return false;
            }
            *out = *d;
            return true;
        };
        std::string v;

        if (arg == "-h" || arg == "--help") {
            if (!no_value()) return result;
            o.help = true;
        } else if (arg == "-V" || arg == "--version") {
            if (!no_value()) return result;
            o.version = true;
        } else if (arg == "--port") {
            if (!value(&v)) return result;
            if (!parse_uint<uint16_t>(v, 65535, &o.port)) {
                result.error = "--port: \"" + v + "\" is not a port number (0-65535)";
                return result;
            }
            port_given = true;
        } else if (arg == "--bind") {
            if (!value(&o.bind)) return result;
            if (o.bind.empty()) {
                result.error = "--bind needs an address";
                return result;
            }
        } else if (arg == "--no-listen") {
            if (!no_value()) return result;
            o.no_listen = true;
        } else if (arg == "--hide-welcome-screen") {
            if (!no_value()) return result;
            o.hide_welcome_screen = true;
        } else if (arg == "--follow") {
            if (!no_value()) return result;
            o.follow = true;
        } else if (arg == "--new") {
            if (!no_value()) return result;
            o.new_viewer = true;
        } else if (arg == "--memory-limit") {
            if (!value(&v)) return result;
            std::string error;
            // 0 (or none): no limit at all, instead of the default of 75% of RAM.
            o.memory_limit = v == "0" || v == "none" ? std::optional<uint64_t>(0)
                                                     : ingest::parse_memory_limit(v, &error);
            if (!o.memory_limit) {
                result.error = "--memory-limit: " + error;
                return result;
            }
            o.memory_limit_text = v;
        } else if (arg == "--headless") {
            if (!no_value()) return result;
            o.headless = true;
        } else if (arg == "--window-size") {
            if (!value(&v)) return result;
            const auto x = v.find('x');
            if (x == std::string::npos ||
                !parse_uint<int>(v.substr(0, x), 16384, &o.window_width) ||
                !parse_uint<int>(v.substr(x + 1), 16384, &o.window_height) || o.window_width < 64 ||
                o.window_height < 64) {
                result.error = "--window-size: \"" + v + "\" is not WIDTHxHEIGHT (e.g. 1600x900)";
                return result;
            }
        } else if (arg == "--screenshot-to") {
            if (!value(&o.screenshot_to)) return result;
        } else if (arg == "--screenshot-after") {
            if (!value(&v)) return result;
            const auto d = parse_duration(v);
            if (!d) {
                result.error =
                    "--screenshot-after: \"" + v + "\" is not a duration (e.g. 2 or 500ms)";
                return result;
            }
            o.screenshot_after = double(d->count()) / 1000.0;
        } else if (arg == "--screenshot-when-rows") {
            if (!value(&v)) return result;
            if (!parse_uint<uint64_t>(v, uint64_t(1) << 48, &o.screenshot_min_rows) ||
                o.screenshot_min_rows == 0) {
                result.error = "--screenshot-when-rows: \"" + v + "\" is not a positive count";
                return result;
            }
        } else if (arg == "--benchmark-frames") {
            if (!value(&v)) return result;
            if (!parse_uint<int>(v, 1'000'000, &o.benchmark_frames) || o.benchmark_frames == 0) {
                result.error = "--benchmark-frames: \"" + v + "\" is not a positive count";
                return result;
            }
        } else if (arg == "--save") {
            if (!value(&o.save_path)) return result;
        } else if (arg == "--stats-json") {
            if (!value(&o.stats_json_path)) return result;
        } else if (arg == "--quiet" || arg == "-q") {
            if (!no_value()) return result;
            o.quiet = true;
        } else if (arg == "--handshake-timeout") {
            if (!duration(&o.handshake_timeout)) return result;
            if (o.handshake_timeout.count() == 0) {
                result.error = "--handshake-timeout must be positive";
                return result;
            }
        } else if (arg == "--evict-idle-after") {
            if (!duration(&o.evict_idle_after)) return result;
        } else if (arg == "--idle-timeout") {
            if (!duration(&o.idle_timeout)) return result;
        } else if (arg == "--frame-timeout") {
            if (!duration(&o.frame_timeout)) return result;
            if (o.frame_timeout.count() == 0) {
                result.error = "--frame-timeout must be positive";
                return result;
            }
        } else if (arg == "--max-connections") {
            if (!value(&v)) return result;
            if (!parse_uint<size_t>(v, 1'000'000, &o.max_connections) || o.max_connections == 0) {
                result.error = "--max-connections: \"" + v + "\" is not a positive count";
                return result;
            }
        } else if (arg == "--max-frame-bytes") {
            if (!value(&v)) return result;
            std::string error;
            auto bytes = ingest::parse_memory_limit(v, &error);
            if (!bytes || v.find('%') != std::string::npos) {
                result.error = "--max-frame-bytes: \"" + v + "\" is not a size (e.g. 64MiB)";
                return result;
            }
            o.max_frame_bytes = *bytes;
        } else if (arg == "--max-inflight-bytes") {
            if (!value(&v)) return result;
            if (v == "0") {
                o.max_inflight_bytes = 0;
            } else {
                std::string error;
                o.max_inflight_bytes = ingest::parse_memory_limit(v, &error);
                if (!o.max_inflight_bytes) {
                    result.error = "--max-inflight-bytes: \"" + v +
                                   "\" is not a size (e.g. 512MiB, 25%, or 0 for no bound)";
                    return result;
                }
            }
        } else if (arg == "--io-threads") {
            if (!value(&v)) return result;
            if (!parse_uint<unsigned>(v, 256, &o.io_threads) || o.io_threads == 0) {
                result.error = "--io-threads: \"" + v + "\" is not a count from 1 to 256";
                return result;
            }
        } else {
            result.error = "unknown option " + arg + suggest_option(arg);
            return result;
        }
    }
    if (o.new_viewer && !port_given) o.port = 0;
    if (o.no_listen && o.inputs.empty() && !o.help && !o.version) {
        result.error = "--no-listen needs files (or '-') to read";
    }
    return result;
}

}  // namespace rerun::app
