// Log lines of the ingest library. One line per event, written whole (lines of concurrent
// threads never interleave). The default sink writes "rerun: <text>" to stderr; a GUI installs its
// own sink to show them in a panel.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace rerun::ingest {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };

using LogSink = std::function<void(LogLevel, std::string_view)>;

// Replaces the sink (nullptr restores the default). Not to be called while sources run.
void set_log_sink(LogSink sink);
// Lines below this level are dropped (default Info).
void set_log_level(LogLevel level);
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view text);

inline void log_info(std::string_view text) {
    log(LogLevel::Info, text);
}
inline void log_warn(std::string_view text) {
    log(LogLevel::Warn, text);
}
inline void log_error(std::string_view text) {
    log(LogLevel::Error, text);
}

// "1.5 MB", "312 B": for log lines.
std::string format_bytes(uint64_t bytes);

}  // namespace rerun::ingest
