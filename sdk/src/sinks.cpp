// File, stdout and memory sinks.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "internal.hpp"
#include "sink_queue.hpp"

namespace rerun::detail {

namespace {

// Writes every byte or returns errno.
int write_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, std::min<size_t>(size, size_t(1) << 30));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += n;
        size -= size_t(n);
    }
    return 0;
}

// Writes every byte of a blob, piece after piece, or returns errno.
int write_blob(int fd, const Blob& blob) {
    int err = 0;
    blob.for_each_piece([&](std::span<const uint8_t> piece) {
        err = write_all(fd, piece.data(), piece.size());
        return err == 0;
    });
    return err;
}

// Writes every byte at `offset` or returns errno.
int pwrite_all(int fd, const uint8_t* data, size_t size, uint64_t offset) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, off_t(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        data += n;
        size -= size_t(n);
        offset += uint64_t(n);
    }
    return 0;
}

// How many flushes a file or stdout sink holds (queued or being written) before the batcher waits
// for the disk. Nothing is dropped for a slow disk: the wait reaches the log calls through the
// stream's own queue (RERUN_QUEUE_BYTES, where a log call waits at most 100 ms). And a process
// killed while saving loses at most these flushes beyond the batch being built.
constexpr size_t kMaxQueuedFlushes = 4;

// What a failed write means for people.
std::string describe_write_error(int err) {
    std::string what = std::strerror(err);
    switch (err) {
        case ENOSPC:
            what += " (the disk is full)";
            break;
        case EDQUOT:
            what += " (the disk quota is used up: the disk is full for this user)";
            break;
        case EFBIG:
            what +=
                " (the file cannot grow: it reached the file size limit of this process or "
                "file system)";
            break;
        default:
            break;
    }
    return what;
}

// Writes frames to a file descriptor from its own thread. With `headers_last` (a regular file
// that this sink alone writes, from `offset` on, without O_APPEND), it also takes blobs whose
// headers are pending: their bytes go out first, each header in place (pwrite) once hashed.
class FdSink final : public Sink {
  public:
    FdSink(int fd, bool owns_fd, std::string name, SinkCounters* counters, bool headers_last,
           uint64_t offset)
        : fd_(fd),
          owns_fd_(owns_fd),
          name_(std::move(name)),
          counters_(counters),
          headers_last_(headers_last),
          offset_(offset),
          queue_(UINT64_MAX) {}  // bounded by kMaxQueuedFlushes, not by bytes

    ~FdSink() override { close(nullptr); }

    void start(BlobPtr store_info) override {
        core::Bytes header;
        core::append_file_header(header);
        auto blob = std::make_shared<Blob>();
        blob->data = std::shared_ptr<uint8_t[]>(new uint8_t[header.size()]);
        std::memcpy(blob->data.get(), header.data(), header.size());
        blob->size = header.size();
        queue_.push(std::move(blob), true);
        queue_.push(std::move(store_info), true);
        thread_ = std::thread([this] { run(); });
    }

    // Waits while kMaxQueuedFlushes are pending (the writer always makes progress: it writes,
    // or after an error discards).
    void send(BlobPtr frames) override {
        if (!queue_.push_wait(frames, kMaxQueuedFlushes)) {
            counters_->frames_dropped.fetch_add(frames->num_chunks, std::memory_order_relaxed);
            counters_->bytes_dropped.fetch_add(frames->size, std::memory_order_relaxed);
        }
    }

    // False once a write has failed: what was queued is lost, and flush_blocking() says why.
    bool wait_drained(std::chrono::steady_clock::time_point deadline) override {
        return queue_.wait_drained(deadline) && !failed_.load();
    }
    std::string failure() const override {
        // failure_ is written once, before failed_ is set.
        return failed_.load(std::memory_order_acquire) ? failure_ : std::string();
    }
    std::string name() const override { return name_; }
    bool writes_headers_last() const override { return headers_last_; }

    void close(BlobPtr end_of_stream) override {
        if (closed_.exchange(true)) return;
        if (end_of_stream) queue_.push(std::move(end_of_stream), true);
        queue_.close();
        if (thread_.joinable()) thread_.join();
        if (owns_fd_ && fd_ >= 0) {
            if (::close(fd_) != 0 && !failed_) {
                log_warning("closing " + name_ + " failed: " + std::strerror(errno));
            }
        }
        fd_ = -1;
        if (failed_bytes_ > 0) {
            log_warning(std::to_string(failed_bytes_) + " bytes could not be written to " + name_ +
                        " after the error above");
        }
    }

  private:
    void run() {
        name_this_thread("rerun-file-sink");
        while (BlobPtr blob = queue_.pop()) {
            if (failed_.load()) {
                failed_bytes_ += blob->size;
                counters_->bytes_dropped.fetch_add(blob->size, std::memory_order_relaxed);
                counters_->frames_dropped.fetch_add(blob->num_chunks, std::memory_order_relaxed);
            } else if (const int err = write_frames(*blob); err != 0) {
                // A partial frame may now end the file: readers report it as a cut tail and
                // keep every frame before it.
                failure_ = "cannot write " + name_ + ": " + describe_write_error(err) +
                           "; the rest of the recording is lost (what was written before stays "
                           "readable)";
                failed_.store(true, std::memory_order_release);
                log_warning(failure_);
                failed_bytes_ += blob->size;
                counters_->bytes_dropped.fetch_add(blob->size, std::memory_order_relaxed);
                counters_->frames_dropped.fetch_add(blob->num_chunks, std::memory_order_relaxed);
            } else {
                counters_->bytes_written.fetch_add(blob->size, std::memory_order_relaxed);
            }
            queue_.done(blob);
        }
    }

    // The blob's bytes, then its pending headers (if any) at their places.
    int write_frames(const Blob& blob) {
        const uint64_t start = offset_;
        if (const int err = write_blob(fd_, blob); err != 0) return err;
        offset_ += blob.size;
        if (!blob.pending_headers) return 0;
        for (const auto& header : blob.pending_headers->wait()) {
            const int err =
                pwrite_all(fd_, header.bytes.data(), header.bytes.size(), start + header.offset);
            if (err != 0) return err;
        }
        return 0;
    }

    int fd_;
    bool owns_fd_;
    std::string name_;
    SinkCounters* counters_;
    const bool headers_last_;
    uint64_t offset_;  // where the next blob starts in the file (headers_last_ only)
    SinkQueue queue_;
    std::thread thread_;
    std::atomic<bool> closed_{false};
    std::atomic<bool> failed_{false};
    std::string failure_;        // set once, before failed_
    uint64_t failed_bytes_ = 0;  // the writer thread's until it is joined
};

class MemorySinkImpl final : public Sink {
  public:
    MemorySinkImpl(std::shared_ptr<MemoryStorage> storage, SinkCounters* counters)
        : storage_(std::move(storage)), counters_(counters) {}
    void start(BlobPtr store_info) override {
        std::lock_guard lock(storage_->mu);
        storage_->store_info = std::move(store_info);
    }
    void send(BlobPtr frames) override {
        counters_->bytes_written.fetch_add(frames->size, std::memory_order_relaxed);
        std::lock_guard lock(storage_->mu);
        storage_->bytes += frames->size;
        storage_->blobs.push_back(std::move(frames));
    }
    bool wait_drained(std::chrono::steady_clock::time_point) override { return true; }
    std::string name() const override { return "the memory sink"; }
    void close(BlobPtr) override {}

  private:
    std::shared_ptr<MemoryStorage> storage_;
    SinkCounters* counters_;
};

}  // namespace

Result<std::shared_ptr<Sink>> make_file_sink(const std::string& path, SinkCounters* counters) {
    if (path.empty()) return Error(ErrorCode::InvalidStringArgument, "save: empty path");
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Error(ErrorCode::FileOpenFailure,
                     "cannot create '" + path + "': " + std::strerror(errno));
    }
    // Headers last only where the sink alone writes, at offsets it knows: a regular file (not a
    // pipe or device named by the path), opened without O_APPEND, from its start.
    struct stat st {};
    const bool headers_last = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    return std::shared_ptr<Sink>(
        std::make_shared<FdSink>(fd, true, "'" + path + "'", counters, headers_last, 0));
}

Result<std::shared_ptr<Sink>> make_stdout_sink(SinkCounters* counters) {
    if (::isatty(STDOUT_FILENO)) {
        return Error(ErrorCode::RecordingStreamStdoutFailure,
                     "to_stdout: standard output is a terminal; pipe it to a file or to "
                     "`rerun -` instead");
    }
    return std::shared_ptr<Sink>(
        std::make_shared<FdSink>(STDOUT_FILENO, false, "standard output", counters, false, 0));
}

std::shared_ptr<Sink> make_memory_sink(std::shared_ptr<MemoryStorage> storage,
                                       SinkCounters* counters) {
    return std::make_shared<MemorySinkImpl>(std::move(storage), counters);
}

}  // namespace rerun::detail

namespace rerun {

MemorySink::MemorySink() : storage(std::make_shared<detail::MemoryStorage>()) {}

size_t MemorySink::size() const {
    std::lock_guard lock(storage->mu);
    return storage->bytes;
}

std::vector<uint8_t> MemorySink::take() const {
    if (auto stream = storage->stream.lock()) {
        // Whatever went wrong with other sinks is flush_blocking()'s to report, not take()'s.
        (void)stream->flush_all(std::chrono::steady_clock::time_point::max());
    }
    std::vector<detail::BlobPtr> blobs;
    detail::BlobPtr info;
    {
        std::lock_guard lock(storage->mu);
        blobs.swap(storage->blobs);
        storage->bytes = 0;
        info = storage->store_info;
    }
    core::Bytes out;
    core::append_file_header(out);
    size_t total = out.size() + (info ? info->size : 0);
    for (const auto& b : blobs)
        total += b->size;
    out.reserve(total);
    auto append = [&](std::span<const uint8_t> piece) {
        out.insert(out.end(), piece.begin(), piece.end());
        return true;
    };
    if (info) info->for_each_piece(append);
    for (const auto& b : blobs)
        b->for_each_piece(append);
    return out;
}

}  // namespace rerun
