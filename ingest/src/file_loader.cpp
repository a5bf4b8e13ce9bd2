#include "rerun/ingest/file_loader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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
    std::vector<uint8_t> buffer(options.read_size);

    auto drain = [&]() {
        while (auto event = decoder.next()) {
            if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
                ++p.frames;
                session.handle(std::move(frame->message));
            } else {
                const auto& issue = std::get<core::DecodeIssue>(*event);
                ++p.issues;
                if (issue.is_fatal()) {
                    p.failed = true;
                    p.error = issue.message;
                    log_error(name + ": " + issue.message);
                } else {
                    log_warn(name + ": " + issue.message);  // the message names the offset
                }
            }
        }
    };

    // Pipes and terminals (stdin) are polled so that cancel() is noticed while nothing arrives.
    const bool regular = p.total_bytes != 0 || (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode));
    while (!p.failed && !(cancelled && cancelled->load(std::memory_order_relaxed))) {
        if (!regular) {
            pollfd pfd{fd, POLLIN, 0};
            const int ready = ::poll(&pfd, 1, 100);
            if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
        }
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
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
            if (::fstat(fd, &now) == 0 && uint64_t(now.st_size) < p.bytes_read) {
                ++p.issues;
                log_warn(name + ": the file shrank to " + format_bytes(uint64_t(now.st_size)) +
                         " while being followed (after " + format_bytes(p.bytes_read) +
                         " were read); stopped following it");
                break;
            }
            p.total_bytes = std::max(p.total_bytes, uint64_t(now.st_size));
            progress_update(p);
            std::this_thread::sleep_for(options.follow_poll);
            continue;
        }
        if (n == 0) {
            if (auto issue = decoder.finish()) {
                if (issue->kind == core::DecodeIssue::Kind::Truncated && regular)
                    issue->message += " (still being written? --follow keeps reading it)";
                ++p.issues;
                log_warn(name + ": " + issue->message);
            }
            drain();
            break;
        }
        decoder.feed({buffer.data(), size_t(n)});
        p.bytes_read += uint64_t(n);
        drain();
        progress_update(p);
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
