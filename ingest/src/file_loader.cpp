#include "rerun/ingest/file_loader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "rerun/ingest/log.hpp"
#include "rerun/ingest/store_hub.hpp"

namespace rerun::ingest {

struct FileLoader::Job {
    std::string path;
    int fd = -1;
    mutable std::mutex mutex;  // guards progress
    FileProgress progress;
};

namespace {

// Payload bytes still to come from which a read goes straight into the payload (below, a copy is
// cheaper than the extra read calls), and the most one such read takes (progress and cancel()
// are noticed between reads).
constexpr size_t kDirectMin = size_t(64) << 10;
constexpr size_t kDirectMax = size_t(64) << 20;
// Bytes of received frames waiting for the second thread, at most; the reader waits beyond.
// The payloads are what the store keeps, so this is not memory on top of it.
constexpr uint64_t kPipelineMaxBytes = uint64_t(64) << 20;

// Slabs prepared ahead by the second thread (the page faults and zeroing of fresh memory are
// taken there instead of inside the reader's read() calls).
constexpr size_t kPreparedSlabs = 4;

// Handles decoder output in input order: counts frames and issues, logs the issues, hands the
// messages to the session. With a thread of its own (start()), the frames' checks and decoding
// (complete_frame) run there while the caller goes on reading, and that thread also keeps
// kPreparedSlabs payload slabs ready for the decoder (take_slab()); otherwise all happens in
// handle().
class FrameChecker {
  public:
    FrameChecker(SourceSession& session, const std::string& name)
        : session_(session), name_(name) {}
    ~FrameChecker() { finish(); }

    void start() {
        thread_ = std::thread([this] { run(); });
    }

    // Takes one event; with a thread, waits while kPipelineMaxBytes are already queued.
    void handle(core::DeferredEvent event) {
        if (!thread_.joinable()) {
            process(std::move(event));
            return;
        }
        const uint64_t bytes = weight(event);
        std::unique_lock lock(mutex_);
        space_.wait(
            lock, [&] { return queued_bytes_ == 0 || queued_bytes_ + bytes <= kPipelineMaxBytes; });
        queued_bytes_ += bytes;
        queue_.push_back(std::move(event));
        ready_.notify_one();
    }

    // A prepared slab for the decoder, or null (none ready, or no thread: the decoder allocates).
    // Slabs are prepared from the first request on: a file whose payloads never go into slabs
    // costs none.
    std::shared_ptr<uint8_t[]> take_slab() {
        std::lock_guard lock(mutex_);
        if (!slabs_wanted_) {
            slabs_wanted_ = true;
            ready_.notify_one();
        }
        if (slabs_.empty()) return nullptr;
        auto slab = std::move(slabs_.front());
        slabs_.pop_front();
        ready_.notify_one();
        return slab;
    }

    // Processes what is queued and stops the thread.
    void finish() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        ready_.notify_one();
        thread_.join();
    }

    uint64_t frames() const { return frames_.load(std::memory_order_relaxed); }
    uint64_t issues() const { return issues_.load(std::memory_order_relaxed); }
    // The first fatal issue's message (the decoder stops there); empty when none. After finish().
    const std::string& fatal_error() const { return fatal_error_; }

  private:
    static uint64_t weight(const core::DeferredEvent& event) {
        if (const auto* frame = std::get_if<core::PendingFrame>(&event)) return frame->size;
        // An issue holds its message: counted too, or a file of nothing but damaged frames (40
        // bytes each) would queue issues without bound while this thread logs them.
        return sizeof(core::DeferredEvent) + std::get<core::DecodeIssue>(event).message.size();
    }

    void run() {
        std::unique_lock lock(mutex_);
        while (true) {
            const auto slab_needed = [&] {
                return !closed_ && slabs_wanted_ && slabs_.size() < kPreparedSlabs;
            };
            ready_.wait(lock, [&] { return closed_ || !queue_.empty() || slab_needed(); });
            if (slab_needed()) {
                lock.unlock();
                auto slab = core::FrameDecoder::new_slab(true);
                lock.lock();
                slabs_.push_back(std::move(slab));
                continue;
            }
            if (queue_.empty()) return;
            core::DeferredEvent event = std::move(queue_.front());
            queue_.pop_front();
            const uint64_t bytes = weight(event);
            lock.unlock();
            process(std::move(event));
            lock.lock();
            queued_bytes_ -= bytes;
            space_.notify_one();
        }
    }

    void process(core::DeferredEvent event) {
        core::DecodeEvent decoded =
            std::holds_alternative<core::PendingFrame>(event)
                ? core::complete_frame(std::move(std::get<core::PendingFrame>(event)))
                : core::DecodeEvent(std::move(std::get<core::DecodeIssue>(event)));
        if (auto* frame = std::get_if<core::DecodedFrame>(&decoded)) {
            frames_.fetch_add(1, std::memory_order_relaxed);
            session_.handle(std::move(frame->message));
            return;
        }
        const auto& issue = std::get<core::DecodeIssue>(decoded);
        issues_.fetch_add(1, std::memory_order_relaxed);
        if (issue.is_fatal()) {
            if (fatal_error_.empty()) fatal_error_ = issue.message;
            log_error(name_ + ": " + issue.message);
        } else {
            log_warn(name_ + ": " + issue.message);  // the message names the offset
        }
    }

    SourceSession& session_;
    const std::string& name_;
    std::atomic<uint64_t> frames_{0};
    std::atomic<uint64_t> issues_{0};
    std::string fatal_error_;

    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable ready_;  // for the thread: queued, or closed
    std::condition_variable space_;  // for handle(): bytes were taken off the queue
    std::deque<core::DeferredEvent> queue_;
    uint64_t queued_bytes_ = 0;
    std::deque<std::shared_ptr<uint8_t[]>> slabs_;
    bool slabs_wanted_ = false;
    bool closed_ = false;
};

// Reads `fd` to its end through a streaming decoder into the hub. `progress_update` is called
// with the progress so far after each read. `cancelled` stops early.
template <class Update>
void read_stream(StoreHub& hub, int fd, const std::string& name, const FileLoaderOptions& options,
                 const std::atomic<bool>* cancelled, Update progress_update) {
    FileProgress p;
    p.path = name;
    p.started = true;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        p.total_bytes = uint64_t(st.st_size);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    progress_update(p);

    const std::string source_name = name == "-" ? "stdin" : "file " + name;
    SourceSession session(hub, source_name);
    core::FrameDecoder decoder(core::FrameDecoder::Framing::File, options.limits);
    decoder.set_deferred(true);
    FrameChecker checker(session, name);
    // Files of options.two_threads_from_bytes or more: this thread reads and frames, a second
    // one checks, decodes and inserts (FrameChecker). For smaller ones a thread is not worth it.
    if (p.total_bytes >= options.two_threads_from_bytes) {
        checker.start();
        decoder.set_slab_source([&checker] { return checker.take_slab(); });
    }
    std::vector<uint8_t> buffer(options.read_size);

    uint64_t own_issues = 0;  // found here, not by the decoder
    auto drain = [&]() {
        while (auto event = decoder.next_deferred())
            checker.handle(std::move(*event));
        p.frames = checker.frames();
        p.issues = checker.issues() + own_issues;
    };
    bool after_direct = false;  // the last read went straight into a payload
    std::optional<core::DecodeIssue> end_issue;

    // Pipes and terminals (stdin) are polled so that cancel() is noticed while nothing arrives.
    const bool regular = p.total_bytes != 0 || (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode));
    // A followed file may end in a large frame whose header the SDK writes after its payload
    // (zeros until then): the decoder stops there, and this loop reads the header again until
    // it is written, or until the file has not grown for options.follow_zero_header_patience
    // (its writer is gone: damage, as in a file that is not followed).
    const bool follow = regular && options.follow;
    // Where the decoder's offset 0 lies in the file (stdin redirected from a file may start
    // further in).
    const off_t start_offset = follow ? std::max<off_t>(::lseek(fd, 0, SEEK_CUR), 0) : 0;
    decoder.set_wait_on_zero_header(follow);
    uint64_t zero_header_file_size = 0;
    auto zero_header_since = std::chrono::steady_clock::now();
    // A followed file cut shorter than what was read was replaced or truncated under us: what
    // was read stays, the rest cannot be trusted.
    const auto report_shrunk = [&](uint64_t size) {
        ++own_issues;
        log_warn(name + ": the file shrank to " + format_bytes(size) +
                 " while being followed (after " + format_bytes(p.bytes_read) +
                 " were read); stopped following it");
    };
    while (!p.failed && !decoder.failed() &&
           !(cancelled && cancelled->load(std::memory_order_relaxed))) {
        if (follow && decoder.waiting_at_zero_header()) {
            std::array<uint8_t, core::wire::kFrameHeaderSize> header{};
            const uint64_t at = start_offset + decoder.consumed();
            const ssize_t got = ::pread(fd, header.data(), header.size(), off_t(at));
            struct stat now {};
            const uint64_t size = ::fstat(fd, &now) == 0 ? uint64_t(now.st_size) : 0;
            if (size < at + header.size()) {
                report_shrunk(size);
                break;
            }
            if (got == ssize_t(header.size()) && decoder.resume_at_zero_header(header)) {
                zero_header_file_size = 0;
                drain();
                progress_update(p);
                continue;
            }
            if (size != zero_header_file_size) {
                zero_header_file_size = size;
                zero_header_since = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - zero_header_since >
                       options.follow_zero_header_patience) {
                decoder.give_up_zero_header();  // its writer is gone
                zero_header_file_size = 0;
                drain();
                progress_update(p);
                continue;
            }
            std::this_thread::sleep_for(options.follow_poll);
            continue;
        }
        if (!regular) {
            pollfd pfd{fd, POLLIN, 0};
            const int ready = ::poll(&pfd, 1, 100);
            if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
        }
        // A payload of kDirectMin or more still to come is read straight into its own buffer
        // (one copy fewer). After such a read the next one takes just the frame header, so the
        // next big payload starts directly too; small frames are read read_size at a time.
        const auto target = decoder.direct_target();
        const bool direct = target.size() >= kDirectMin;
        size_t want = buffer.size();
        if (after_direct && decoder.header_bytes_wanted() != 0)
            want = decoder.header_bytes_wanted();
        const ssize_t n = direct ? ::read(fd, target.data(), std::min(target.size(), kDirectMax))
                                 : ::read(fd, buffer.data(), want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            p.failed = true;
            p.error = std::string("read error: ") + std::strerror(errno);
            log_error(name + ": " + p.error);
            break;
        }
        if (n == 0 && regular && options.follow) {
            // Followed: wait for the writer. A file cut shorter than what was read was
            // replaced or truncated under us: what was read stays, the rest cannot be trusted.
            struct stat now {};
            if (::fstat(fd, &now) == 0 &&
                uint64_t(now.st_size) < uint64_t(start_offset) + p.bytes_read) {
                report_shrunk(uint64_t(now.st_size));
                break;
            }
            p.total_bytes = std::max(p.total_bytes, uint64_t(now.st_size));
            drain();  // the counts, as the checker thread moves on
            progress_update(p);
            std::this_thread::sleep_for(options.follow_poll);
            continue;
        }
        if (n == 0) {
            // The end: a truncated tail, or an input too short to be a file, is reported after
            // the frames before it, as a warning (the frames read stay; the load did not fail).
            end_issue = decoder.finish();
            if (end_issue && end_issue->kind == core::DecodeIssue::Kind::Truncated && regular)
                end_issue->message += " (still being written? --follow keeps reading it)";
            drain();
            break;
        }
        if (direct) {
            decoder.commit_direct(size_t(n));
        } else {
            decoder.feed({buffer.data(), size_t(n)});
        }
        after_direct = direct;
        p.bytes_read += uint64_t(n);
        drain();
        progress_update(p);
    }
    drain();  // a fatal issue ends the loop with its event still queued
    checker.finish();
    if (end_issue) {
        ++own_issues;
        log_warn(name + ": " + end_issue->message);
    }
    p.frames = checker.frames();
    p.issues = checker.issues() + own_issues;
    if (!checker.fatal_error().empty()) {
        p.failed = true;
        p.error = checker.fatal_error();
    }
    p.done = true;
    progress_update(p);
    if (!p.failed) {
        log_info(name + ": read " + format_bytes(p.bytes_read) + ", " + std::to_string(p.frames) +
                 " frames" +
                 (p.issues ? ", " + std::to_string(p.issues) + " issues" : std::string()));
    }
}

}  // namespace

FileLoader::FileLoader(StoreHub& hub, FileLoaderOptions options)
    : hub_(hub), options_(std::move(options)) {
    if (options_.threads == 0) options_.threads = 1;
    if (options_.read_size < 4096) options_.read_size = 4096;
}

FileLoader::~FileLoader() {
    cancel();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
        t.join();
    // The stdin reader polls, so it notices cancel() within 100 ms.
    if (stdin_thread_.joinable()) stdin_thread_.join();
    for (auto& j : jobs_) {
        if (j->fd >= 0 && j->path != "-") ::close(j->fd);
    }
}

bool FileLoader::open(const std::string& path) {
    auto job = std::make_unique<Job>();
    job->path = path;
    job->progress.path = path;
    if (path == "-") {
        std::lock_guard lock(mutex_);
        if (stdin_opened_) {
            log_warn("stdin is already being read");
            return false;
        }
        stdin_opened_ = true;
        job->fd = STDIN_FILENO;
        Job* raw = job.get();
        jobs_.push_back(std::move(job));
        ++pending_;
        stdin_thread_ = std::thread([this, raw] { read_job(*raw); });
        return true;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        job->progress.done = job->progress.failed = true;
        job->progress.error = std::strerror(errno);
        log_error(path + ": cannot open: " + job->progress.error);
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
        return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        log_error(path + (S_ISDIR(st.st_mode) ? ": is a directory" : ": cannot examine"));
        ::close(fd);
        return false;
    }
    std::lock_guard lock(mutex_);
    if (S_ISREG(st.st_mode) &&
        !identities_.insert({uint64_t(st.st_dev), uint64_t(st.st_ino)}).second) {
        log_info(path + ": already open, not read again");
        ::close(fd);
        return false;
    }
    job->fd = fd;
    job->progress.total_bytes = S_ISREG(st.st_mode) ? uint64_t(st.st_size) : 0;
    queue_.push_back(job.get());
    jobs_.push_back(std::move(job));
    ++pending_;
    if (threads_.size() < options_.threads) {
        threads_.emplace_back([this] { worker(); });
    }
    cv_.notify_one();
    return true;
}

void FileLoader::forget(const std::string& path) {
    struct stat st {};
    if (path == "-" || ::stat(path.c_str(), &st) != 0) return;
    std::lock_guard lock(mutex_);
    identities_.erase({uint64_t(st.st_dev), uint64_t(st.st_ino)});
}

void FileLoader::worker() {
    while (true) {
        Job* job = nullptr;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            job = queue_.front();
            queue_.pop_front();
        }
        read_job(*job);
    }
}

void FileLoader::read_job(Job& job) {
    if (!cancelled_.load()) {
        read_stream(hub_, job.fd, job.path, options_, &cancelled_, [&](const FileProgress& p) {
            std::lock_guard lock(job.mutex);
            job.progress = p;
        });
    }
    {
        std::lock_guard lock(job.mutex);
        job.progress.done = true;
    }
    if (job.fd >= 0 && job.path != "-") {
        ::close(job.fd);
        job.fd = -1;
    }
    {
        std::lock_guard lock(mutex_);
        --pending_;
    }
    done_cv_.notify_all();
}

std::vector<FileProgress> FileLoader::progress() const {
    std::lock_guard lock(mutex_);
    std::vector<FileProgress> out;
    out.reserve(jobs_.size());
    for (const auto& j : jobs_) {
        std::lock_guard jl(j->mutex);
        out.push_back(j->progress);
    }
    return out;
}

bool FileLoader::idle() const {
    std::lock_guard lock(mutex_);
    return pending_ == 0;
}

void FileLoader::wait_idle() const {
    std::unique_lock lock(mutex_);
    done_cv_.wait(lock, [&] { return pending_ == 0; });
}

void FileLoader::cancel() {
    cancelled_.store(true);
    std::lock_guard lock(mutex_);
    for (Job* j : queue_) {
        std::lock_guard jl(j->mutex);
        j->progress.done = true;
        --pending_;
    }
    queue_.clear();
    done_cv_.notify_all();
}

FileProgress load_file(StoreHub& hub, const std::string& path, FileLoaderOptions options) {
    FileProgress result;
    result.path = path;
    const int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        result.done = result.failed = true;
        result.error = std::strerror(errno);
        log_error(path + ": cannot open: " + result.error);
        return result;
    }
    read_stream(hub, fd, path, options, nullptr, [&](const FileProgress& p) { result = p; });
    if (fd != STDIN_FILENO) ::close(fd);
    return result;
}

}  // namespace rerun::ingest
