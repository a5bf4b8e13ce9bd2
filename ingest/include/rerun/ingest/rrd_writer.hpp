// RrdWriter: streams messages into a .rrd file (file header, then frames), from any number of
// threads. Frames are encoded by the calling thread; only the buffered write is serialised.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "rerun/core/codec.hpp"

namespace rerun::ingest {

class RrdWriter {
  public:
    // Creates (truncates) the file and writes the header. nullptr with *error on failure.
    static std::shared_ptr<RrdWriter> create(const std::string& path, std::string* error);
    ~RrdWriter();  // flushes and closes
    RrdWriter(const RrdWriter&) = delete;
    RrdWriter& operator=(const RrdWriter&) = delete;

    // Appends one frame. For a ChunkMessage whose store has had no StoreInfo written yet, writes
    // a StoreInfo with an empty application id first, so readers always see a StoreInfo first.
    bool write(const core::Message& message);
    bool flush();
    uint64_t bytes_written() const;
    const std::string& path() const { return path_; }
    // The first write error, if any ("" when none).
    std::string error() const;

  private:
    RrdWriter(int fd, std::string path);
    bool write_locked(const uint8_t* data, size_t size);
    bool flush_locked();

    int fd_ = -1;
    std::string path_;
    mutable std::mutex mutex_;
    core::Bytes buffer_;
    std::set<core::StoreId> infos_written_;
    uint64_t bytes_written_ = 0;
    std::string error_;
};

}  // namespace rerun::ingest
