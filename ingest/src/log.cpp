#include "rerun/ingest/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>

namespace rerun::ingest {

namespace {
std::mutex g_mutex;
LogSink g_sink;
std::atomic<int> g_level{int(LogLevel::Info)};
}  // namespace

void set_log_sink(LogSink sink) {
    std::lock_guard lock(g_mutex);
    g_sink = std::move(sink);
}

void set_log_level(LogLevel level) {
    g_level.store(int(level), std::memory_order_relaxed);
}

bool log_enabled(LogLevel level) {
    return int(level) >= g_level.load(std::memory_order_relaxed);
}

void log(LogLevel level, std::string_view text) {
    if (!log_enabled(level)) return;
    std::lock_guard lock(g_mutex);
    if (g_sink) {
        g_sink(level, text);
        return;
    }
    std::string line;
    line.reserve(text.size() + 16);
    line += "rerun: ";
    if (level == LogLevel::Warn) line += "warning: ";
    if (level == LogLevel::Error) line += "error: ";
    line += text;
    line += '\n';
    // One write per line so that lines from other processes sharing stderr stay whole.
    const char* p = line.data();
    size_t left = line.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, p, left);
        if (n <= 0) break;
        p += n;
        left -= size_t(n);
    }
}

std::string format_bytes(uint64_t bytes) {
    char buf[64];
    if (bytes < 10'000) {
        std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
    } else if (bytes < 10'000'000) {
        std::snprintf(buf, sizeof buf, "%.1f kB", double(bytes) / 1e3);
    } else if (bytes < 10'000'000'000ull) {
        std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
    } else {
        std::snprintf(buf, sizeof buf, "%.2f GB", double(bytes) / 1e9);
    }
    return buf;
}

}  // namespace rerun::ingest
