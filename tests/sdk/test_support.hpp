// Helpers for the SDK tests: decoding .rrd bytes, running child processes, and a test-only TCP
// listener that performs the server side of the handshake and decodes frames.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rerun/core/codec.hpp"
#include "rerun/core/handshake.hpp"

namespace sdk_test {

struct Decoded {
    std::vector<rerun::core::StoreInfo> infos;
    std::vector<rerun::core::ChunkMessage> chunks;
    std::vector<rerun::core::DecodeIssue> issues;
    size_t end_of_streams = 0;

    // Rows of `entity` (canonical path such as "/points") over all chunks.
    uint64_t rows(const std::string& entity) const;
    uint64_t total_rows() const;
    std::vector<std::string> recording_ids() const;
    // Every chunk of the entity, in stream order.
    std::vector<const rerun::core::Chunk*> chunks_of(const std::string& entity) const;
};

Decoded decode(const std::vector<uint8_t>& bytes, rerun::core::FrameDecoder::Framing framing =
                                                      rerun::core::FrameDecoder::Framing::File);
Decoded decode_file(const std::string& path);

// A fresh path under the system temp directory (removed by the destructor).
struct TempDir {
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const { return dir + "/" + name; }
    std::string dir;
};

struct ProcessResult {
    int exit_code = -1;
    std::string output;  // stdout + stderr
};
// Runs argv with extra environment variables (name=value; value "" unsets), waits at most
// timeout_secs (then kills it).
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env = {},
                          double timeout_secs = 120);

std::string child_path();  // the sdk_test_child helper executable

// Test-only viewer stand-in: listens on 127.0.0.1 (port 0 picks a free one), answers the
// handshake with `status`, decodes every frame of every connection.
class TestListener {
  public:
    explicit TestListener(uint16_t port = 0, rerun::core::wire::HandshakeStatus status =
                                                 rerun::core::wire::HandshakeStatus::Ok);
    ~TestListener();
    uint16_t port() const { return port_; }
    // Stops accepting and closes every connection.
    void stop();
    // Closes the current connections (the listener keeps accepting).
    void drop_connections();

    size_t connections() const { return connections_.load(); }
    uint64_t frames() const { return frames_.load(); }
    uint64_t bytes() const { return bytes_.load(); }
    Decoded snapshot() const;
    // Waits until pred(snapshot) or the timeout; returns whether pred held.
    template <class Pred>
    bool wait_for(Pred pred, double timeout_secs = 30) const;

  private:
    void accept_loop();
    void serve(int fd);

    int listen_fd_ = -1;
    uint16_t port_ = 0;
    rerun::core::wire::HandshakeStatus status_;
    std::atomic<bool> stop_{false};
    std::thread accept_thread_;
    mutable std::mutex mu_;
    std::vector<std::thread> sessions_;
    std::vector<int> session_fds_;
    Decoded decoded_;
    std::atomic<size_t> connections_{0};
    std::atomic<uint64_t> frames_{0};
    std::atomic<uint64_t> bytes_{0};
};

template <class Pred>
bool TestListener::wait_for(Pred pred, double timeout_secs) const {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(timeout_secs));
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred(snapshot())) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred(snapshot());
}

// A port that was free a moment ago (bind to 0, read it, close).
uint16_t free_port();

}  // namespace sdk_test
