// Hands .rrd files to a viewer that already listens on a port (`rerun a.rrd` while a viewer
// runs): connects as a client (hello, then frames) and streams every frame of the files.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

namespace rerun::ingest {

enum class ForwardStatus {
    NoViewer,   // nothing listens there (connection refused): the caller opens its own viewer
    Forwarded,  // every file was sent
    Refused,    // something listens but refused us (another version, busy, not a Rerun viewer)
    Failed,     // a file could not be read, or the connection broke
};

struct ForwardResult {
    ForwardStatus status = ForwardStatus::NoViewer;
    std::string message;  // for people
    uint64_t frames = 0;
    uint64_t bytes = 0;
};

// Files are read with the streaming decoder (damaged parts are skipped and logged, an upstream
// or foreign file fails) and re-sent frame by frame. "-" forwards stdin.
ForwardResult forward_files(const std::string& host, uint16_t port,
                            std::span<const std::string> files,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

}  // namespace rerun::ingest
