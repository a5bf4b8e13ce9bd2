// FileLoader: reads .rrd files and stdin into a StoreHub on its own threads (never the caller's),
// with progress for a GUI. The same file opened twice (same device and inode, through any path)
// is read once; copies of a file are harmless too, because stores drop chunk ids they have seen.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "rerun/core/codec.hpp"

namespace rerun::ingest {

class StoreHub;

struct FileProgress {
    std::string path;          // as given; "-" for stdin
    uint64_t bytes_read = 0;   // so far
    uint64_t total_bytes = 0;  // 0 when unknown (stdin, pipes)
    uint64_t frames = 0;
    uint64_t issues = 0;  // decode issues reported
    bool started = false;
    bool done = false;
    bool failed = false;  // could not be opened, or refused (not our format, upstream file, ...)
    std::string error;    // why it failed
};

struct FileLoaderOptions {
    unsigned threads = 2;                // files read in parallel (stdin has a thread of its own)
    size_t read_size = size_t(4) << 20;  // bytes per read() call
    // Regular files only: at the end of the file, wait for more to be appended (like `tail -f`)
    // instead of finishing; frames are read as they become complete, until cancel(). Without it
    // a file that is still being written is read up to its end at that moment, and a frame cut
    // off there is reported as truncated ("still being written?").
    bool follow = false;
    std::chrono::milliseconds follow_poll{100};  // how often a followed file is checked
    // A followed file may end in a large frame whose header the SDK writes after its payload
    // (zeros until then): the loader waits for it, unless the file stops growing for this long
    // with the header still zero (its writer is gone): then it is damage.
    std::chrono::milliseconds follow_zero_header_patience{5000};
    // Inputs of a known size at least this big (0: every input, stdin too) are read on two
    // threads: one reads, the other checks each frame's hash, decodes it and inserts it (and
    // prepares memory for the payloads).
    uint64_t two_threads_from_bytes = uint64_t(64) << 20;
    core::DecoderLimits limits;
};

class FileLoader {
  public:
    explicit FileLoader(StoreHub& hub, FileLoaderOptions options = {});
    ~FileLoader();  // cancels what is still reading and joins the threads
    FileLoader(const FileLoader&) = delete;
    FileLoader& operator=(const FileLoader&) = delete;

    // Queues a path ("-" for stdin). Returns false, with a log line, when it names a file that
    // is already open or was already read, or cannot be examined.
    bool open(const std::string& path);
    // Lets `path` be read again by open() (after the viewer closed the recordings it held).
    // A file still being read is not affected until it ends. No-op for unknown paths.
    void forget(const std::string& path);

    std::vector<FileProgress> progress() const;
    // True when every queued file has been read to its end (or failed).
    bool idle() const;
    void wait_idle() const;
    void cancel();

  private:
    struct Job;
    void worker();
    void read_job(Job& job);

    StoreHub& hub_;
    FileLoaderOptions options_;

    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;       // for workers: jobs queued / stopping
    mutable std::condition_variable done_cv_;  // for waiters: a job finished
    std::deque<Job*> queue_;
    std::vector<std::unique_ptr<Job>> jobs_;
    std::set<std::pair<uint64_t, uint64_t>> identities_;  // (device, inode) of files opened
    bool stdin_opened_ = false;
    size_t pending_ = 0;
    std::vector<std::thread> threads_;
    std::thread stdin_thread_;
    std::atomic<bool> cancelled_{false};
    bool stopping_ = false;
};

// Reads a whole file synchronously on the calling thread (tools and tests). Returns its progress.
FileProgress load_file(StoreHub& hub, const std::string& path, FileLoaderOptions options = {});

}  // namespace rerun::ingest
