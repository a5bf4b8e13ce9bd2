// Sink descriptions for RecordingStream::set_sinks, and the spawn options.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rerun {

namespace detail {
struct StreamImpl;
struct MemoryStorage;
}  // namespace detail

// Writes an .rrd file (file header, then frames). Truncates an existing file.
struct FileSink {
    std::string path;
};

// Connects to a viewer over TCP. Accepts the upstream URL form
// "rerun+http://127.0.0.1:9876/proxy" (only host and port are used; the transport is this
// project's TCP protocol), "http://host:port", or a bare "host:port".
struct GrpcSink {
    std::string url = "rerun+http://127.0.0.1:9876/proxy";
    // How long disconnect() and destruction wait for queued data to reach a reachable viewer.
    float flush_timeout_sec = 2.0f;
};

// Connects to a viewer over TCP at "host:port".
//
// Never blocks a log call: data waits in a buffer of at most `buffer_bytes` (default 64 MiB, or
// RERUN_TCP_BUFFER_BYTES, which accepts units such as `200MB`) while the viewer is unreachable;
// beyond that, new chunks are dropped, counted, and the count is reported once when the
// connection comes back or the sink closes. If the viewer goes away, the sink reconnects
// (retrying every 0.1 s to 1 s) and resends the store info and everything it still holds.
struct TcpSink {
    std::string addr = "127.0.0.1:9876";
    float flush_timeout_sec = 2.0f;
    uint64_t buffer_bytes = 0;  // 0: default
};

// Keeps the encoded stream in memory. take() returns a complete .rrd byte stream (file header,
// store info, every chunk received since the previous take()); it flushes the stream first.
class MemorySink {
  public:
    MemorySink();
    std::vector<uint8_t> take() const;
    // Bytes held right now (without flushing).
    size_t size() const;

    std::shared_ptr<detail::MemoryStorage> storage;
};

// Writes the stream (file header, frames) to standard output; refused when stdout is a terminal.
struct StdoutSink {};

struct SpawnOptions {
    // The port the viewer listens on.
    uint16_t port = 9876;
    // Passed to the viewer as --memory-limit.
    std::string_view memory_limit = "75%";
    // Accepted for compatibility; not passed on.
    std::string_view server_memory_limit = "25%";
    bool hide_welcome_screen = false;
    // The viewer keeps running after this process exits (always the case here). Its output is
    // appended to $XDG_STATE_HOME/rerun/viewer.log (default ~/.local/state/rerun/viewer.log),
    // never to this process's stdout/stderr, which a long-lived viewer would otherwise hold open.
    bool detach_process = true;
    // Looked up on PATH when executable_path is empty and no viewer is installed beside the SDK.
    std::string_view executable_name = "rerun";
    // Explicit path of the viewer executable.
    std::string_view executable_path = "";
    // More arguments for the viewer (e.g. {"--headless"}).
    std::vector<std::string> extra_args;
    // How long to wait for a started viewer to accept connections.
    float startup_timeout_sec = 10.0f;
};

}  // namespace rerun
