// TcpServer: the viewer's TCP endpoint (default 127.0.0.1:9876). Any number of concurrent
// senders; each connection is one session on one of the io threads:
//   handshake (16-byte hello, answered with a status) -> frames into a streaming decoder ->
//   SourceSession::handle(). Decoding and inserting happen on the io thread before the next read,
//   so a sender that outpaces the store is slowed by TCP flow control (back-pressure) instead of
//   growing a queue. Memory in flight:
//   - per connection: at most one read (read_size) plus the frame being received
//     (<= max_frame_bytes, and only as many bytes as the peer actually sent);
//   - all connections together: partly received frames share max_inflight_bytes. A connection
//     whose next read could push the total past it stops being read (its sender is stopped by
//     TCP flow control) until others complete or close their frames. One connection at a time
//     may go past the budget to finish its frame, so a frame larger than the budget, or a budget
//     filled by stalled peers, never deadlocks: the total stays within max_inflight_bytes + one
//     frame + io_threads x read_size. Stalled peers are closed by frame_timeout; waiting for
//     the budget does not count against a connection's frame_timeout or idle time.
// Foreign peers (HTTP, HTTP/2 and gRPC clients such as upstream Rerun's SDK, TLS, scanners) are
// told where it makes sense (an HTTP 400 answer, a BadHello reply) and dropped, with a log line
// naming what they looked like. No Asio type appears in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "rerun/core/wire.hpp"

namespace rerun::ingest {

class StoreHub;

inline constexpr uint64_t kDefaultMaxInflightBytes = uint64_t(1) << 30;  // 1 GiB

struct ServerOptions {
    std::string bind_address = "127.0.0.1";
    uint16_t port = 9876;           // 0: an ephemeral port (see TcpServer::port())
    unsigned io_threads = 0;        // 0: min(4, hardware threads)
    size_t max_connections = 1024;  // beyond: answered Busy and closed (but see below)
    // When full, a new connection takes the place of the one silent longest, if it has been
    // silent (after its handshake) for at least this long; 0 = never.
    std::chrono::milliseconds evict_idle_after{60'000};
    // A peer must complete its 16-byte hello within this time.
    std::chrono::milliseconds handshake_timeout{10'000};
    // After the handshake: a connection that sends nothing for this long is closed; 0 = never
    // (an SDK may legitimately stay silent for hours).
    std::chrono::milliseconds idle_timeout{0};
    // A frame that stays incomplete while fewer than min_frame_rate bytes/s of it arrive over a
    // whole period of this length is abandoned and the connection closed (a one-byte-a-second
    // peer, or one that sent part of a frame and stopped). Each period is judged on its own, so
    // a burst at the start does not buy a stall later.
    std::chrono::milliseconds frame_timeout{10'000};
    uint64_t min_frame_rate = 16 * 1024;
    uint64_t max_frame_bytes = core::wire::kDefaultMaxFrameBytes;
    // Bytes held by partly received frames, all connections together (see above); 0 = no bound.
    uint64_t max_inflight_bytes = kDefaultMaxInflightBytes;
    // Bytes read per wake-up of a connection before other connections get their turn.
    size_t read_size = size_t(1) << 20;
};

struct ServerStats {
    uint64_t accepted = 0;
    uint64_t active = 0;
    uint64_t handshakes_ok = 0;
    uint64_t refused_busy = 0;
    uint64_t refused_foreign = 0;  // not our protocol
    uint64_t refused_version = 0;  // our protocol, another version
    uint64_t timeouts_handshake = 0;
    uint64_t timeouts_idle = 0;
    uint64_t timeouts_slow = 0;
    uint64_t evicted_idle = 0;       // closed to make room while full
    uint64_t dropped_too_large = 0;  // connections closed for a frame over the limit
    uint64_t cut_mid_frame = 0;      // senders that disconnected inside a frame
    uint64_t bytes_received = 0;
    uint64_t frames = 0;
    uint64_t decode_issues = 0;
    uint64_t inflight_bytes = 0;  // now: partly received frames (+ reads in progress)
    uint64_t inflight_peak = 0;   // the most seen at once (counted only with a budget)
    uint64_t budget_waits = 0;    // times a connection paused for max_inflight_bytes
    // Payload slabs (8 MiB) taken from the kernel, and taken again after the store let go of
    // them (at the memory limit, most should be reused).
    uint64_t slabs_allocated = 0;
    uint64_t slabs_reused = 0;
};

class TcpServer {
  public:
    TcpServer(StoreHub& hub, ServerOptions options = {});
    ~TcpServer();  // stop()
    TcpServer(const TcpServer&) = delete;
    TcpServer& operator=(const TcpServer&) = delete;

    // Binds, listens and starts the io threads. False with *error (e.g. the port is in use).
    bool start(std::string* error);
    uint16_t port() const;  // the bound port (the ephemeral one for port 0)
    const std::string& bind_address() const;

    // Closes the listening socket; open connections go on.
    void stop_accepting();
    // Waits until every connection has ended, or until nothing arrived for `quiet`, or `limit`
    // passed. Returns true when all connections ended by themselves.
    bool drain(std::chrono::milliseconds quiet, std::chrono::milliseconds limit);
    // Closes every connection and joins the io threads. Frames received completely are kept.
    void stop();

    ServerStats stats() const;

    struct Impl;  // implementation detail (tcp_server.cpp)

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace rerun::ingest
