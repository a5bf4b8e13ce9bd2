// Environment configuration, errors and warnings.
#include <pthread.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "internal.hpp"
#include "rerun/core/byte_size.hpp"

namespace rerun {

namespace {

std::atomic<int> g_strict{-1};  // -1: not decided yet (read RERUN_STRICT)
Error::LogHandler g_handler = nullptr;
void* g_handler_userdata = nullptr;

}  // namespace

void Error::set_log_handler(LogHandler handler, void* userdata) {
    g_handler = handler;
    g_handler_userdata = userdata;
}

void Error::handle() const {
    if (is_ok()) return;
    if (g_handler != nullptr) {
        g_handler(*this, g_handler_userdata);
        return;
    }
    try {
        detail::log_warning("error: " + description);
    } catch (const std::bad_alloc&) {
        // No memory for the line: written as it is, piece by piece (stderr is unbuffered).
        std::fputs("[rerun] error: ", stderr);
        std::fputs(description.c_str(), stderr);
        std::fputc('\n', stderr);
    }
}

void Error::exit_on_failure() const {
    if (is_ok()) return;
    handle();
    std::exit(1);
}

void set_strict_mode(bool strict) {
    g_strict.store(strict ? 1 : 0);
}

bool is_strict_mode() {
    int v = g_strict.load();
    if (v < 0) {
        v = detail::env_bool("RERUN_STRICT").value_or(false) ? 1 : 0;
        int expected = -1;
        g_strict.compare_exchange_strong(expected, v);
    }
    return v == 1;
}

namespace detail {

void report_error(const Error& error) {
    if (error.is_ok()) return;
    if (is_strict_mode()) throw std::runtime_error(error.description);
    error.handle();
}

void name_this_thread(const char* name) {
    pthread_setname_np(pthread_self(), name);  // only a label: failure is harmless
}

void log_warning(std::string_view text) {
    std::string line = "[rerun] ";
    line += text;
    line += '\n';
    // One write so that lines from several threads do not interleave.
    const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    (void)n;
}

std::optional<bool> env_bool(const char* name) {
    const char* raw = std::getenv(name);
    if (raw == nullptr) return std::nullopt;
    std::string v;
    for (const char* c = raw; *c; ++c)
        v.push_back(char(std::tolower(static_cast<unsigned char>(*c))));
    if (v == "1" || v == "on" || v == "true" || v == "yes") return true;
    if (v == "0" || v == "off" || v == "false" || v == "no") return false;
    log_warning(std::string("ignoring ") + name + "='" + raw +
                "' (expected on/off, 1/0, true/false or yes/no)");
    return std::nullopt;
}

std::optional<uint64_t> parse_bytes(std::string_view text) {
    return core::parse_byte_size(text);
}

namespace {

void read_bytes(const char* name, uint64_t* out) {
    const char* raw = std::getenv(name);
    if (raw == nullptr) return;
    if (auto v = parse_bytes(raw)) {
        *out = *v;
    } else {
        log_warning(std::string("ignoring ") + name + "='" + raw +
                    "' (expected a size such as 1048576, 10MB or 64MiB)");
    }
}

void read_secs(const char* name, double* out, const char* example) {
    const char* raw = std::getenv(name);
    if (raw == nullptr) return;
    char* end = nullptr;
    const double v = std::strtod(raw, &end);
    // At most a million seconds: waits are converted to the clock's integer nanoseconds.
    if (end != raw && *end == '\0' && std::isfinite(v) && v >= 0 && v <= 1e6) {
        *out = v;
    } else {
        log_warning(std::string("ignoring ") + name + "='" + raw +
                    "' (expected seconds up to 1000000, e.g. " + example + ")");
    }
}

}  // namespace

Config Config::from_env() {
    Config c;
    read_secs("RERUN_FLUSH_TICK_SECS", &c.flush_tick_secs, "0.05");
    read_secs("RERUN_LOG_BLOCK_SECS", &c.max_log_block_secs, "0.1");
    read_bytes("RERUN_FLUSH_NUM_BYTES", &c.flush_num_bytes);
    if (const char* raw = std::getenv("RERUN_FLUSH_NUM_ROWS")) {
        uint64_t v = 0;
        const std::string_view text(raw);
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && end == text.data() + text.size()) {
            c.flush_num_rows = v;
        } else {
            log_warning(std::string("ignoring RERUN_FLUSH_NUM_ROWS='") + raw +
                        "' (expected a row count)");
        }
    }
    read_bytes("RERUN_QUEUE_BYTES", &c.queue_bytes);
    read_bytes("RERUN_TCP_BUFFER_BYTES", &c.tcp_buffer_bytes);
    c.flush_num_rows = std::max<uint64_t>(c.flush_num_rows, 1);
    c.queue_bytes = std::max<uint64_t>(c.queue_bytes, 4 * kBlockSize);
    return c;
}

}  // namespace detail
}  // namespace rerun
