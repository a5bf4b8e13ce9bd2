#include "rerun/ingest/rrd_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rerun::ingest {

namespace {
constexpr size_t kFlushAt = size_t(4) << 20;
thread_local core::Bytes t_frame;
}  // namespace

std::shared_ptr<RrdWriter> RrdWriter::create(const std::string& path, std::string* error) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        if (error) *error = "cannot create " + path + ": " + std::strerror(errno);
        return nullptr;
    }
    std::shared_ptr<RrdWriter> writer(new RrdWriter(fd, path));
    {
        std::lock_guard lock(writer->mutex_);
        core::append_file_header(writer->buffer_);
        if (!writer->flush_locked()) {
            if (error) *error = writer->error_;
            return nullptr;
        }
    }
    return writer;
}

RrdWriter::RrdWriter(int fd, std::string path) : fd_(fd), path_(std::move(path)) {
    buffer_.reserve(kFlushAt + (size_t(1) << 20));
}

RrdWriter::~RrdWriter() {
    std::lock_guard lock(mutex_);
    flush_locked();
    if (fd_ >= 0) ::close(fd_);
}

bool RrdWriter::write(const core::Message& message) {
    auto& frame = t_frame;
    frame.clear();
    const core::StoreId* chunk_store = nullptr;
    if (const auto* chunk = std::get_if<core::ChunkMessage>(&message)) chunk_store = &chunk->store;
    core::append_frame(frame, message);

    std::lock_guard lock(mutex_);
    if (!error_.empty()) return false;
    if (const auto* info = std::get_if<core::StoreInfo>(&message)) {
        infos_written_.insert(info->store);
    } else if (chunk_store && !infos_written_.count(*chunk_store)) {
        core::StoreInfo info;
        info.store = *chunk_store;
        core::Bytes header;
        core::append_frame(header, info);
        if (!write_locked(header.data(), header.size())) return false;
        infos_written_.insert(*chunk_store);
    }
    const bool ok = write_locked(frame.data(), frame.size());
    if (frame.capacity() > (size_t(64) << 20)) core::Bytes().swap(frame);
    return ok;
}

bool RrdWriter::write_locked(const uint8_t* data, size_t size) {
    if (buffer_.size() + size > kFlushAt && !flush_locked()) return false;
    if (size >= kFlushAt) {
        // Big frames go straight to the file.
        while (size > 0) {
            const ssize_t n = ::write(fd_, data, size);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                error_ = "writing " + path_ + ": " + std::strerror(errno);
                return false;
            }
            data += n;
            size -= size_t(n);
            bytes_written_ += uint64_t(n);
        }
        return true;
    }
    buffer_.insert(buffer_.end(), data, data + size);
    return true;
}

bool RrdWriter::flush_locked() {
    size_t done = 0;
    while (done < buffer_.size()) {
        const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            error_ = "writing " + path_ + ": " + std::strerror(errno);
            buffer_.clear();
            return false;
        }
        done += size_t(n);
    }
    bytes_written_ += done;
    buffer_.clear();
    return true;
}

bool RrdWriter::flush() {
    std::lock_guard lock(mutex_);
    return flush_locked();
}

uint64_t RrdWriter::bytes_written() const {
    std::lock_guard lock(mutex_);
    return bytes_written_ + buffer_.size();
}

std::string RrdWriter::error() const {
    std::lock_guard lock(mutex_);
    return error_;
}

}  // namespace rerun::ingest
