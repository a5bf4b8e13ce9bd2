// Encoding flushes into blobs of frames (internal.hpp): the buffers they are written to, the
// gathered form of large frames (their big columns sent from where they lie), and the headers
// of such frames, hashed after the blob went to the sinks that write headers last.
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "internal.hpp"
#include "rerun/core/codec_gather.hpp"

namespace rerun::detail {

std::shared_ptr<uint8_t[]> allocate_bytes(size_t size) {
    constexpr size_t kHuge = size_t(2) << 20;
    if (size < 8 * kHuge) return std::shared_ptr<uint8_t[]>(new uint8_t[std::max<size_t>(size, 1)]);
    const size_t rounded = (size + kHuge - 1) / kHuge * kHuge;
    void* p = std::aligned_alloc(kHuge, rounded);
    if (p == nullptr) throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only
    return std::shared_ptr<uint8_t[]>(static_cast<uint8_t*>(p), [](uint8_t* q) { std::free(q); });
}

std::shared_ptr<uint8_t[]> FrameBufferPool::take(size_t size) {
    if (size < kMinBufferBytes || size > kMaxBufferBytes) return nullptr;
    // A blob is counted by its size (the sinks' queues, the pre-sink buffer, the memory sink), so
    // its buffer may be only a little bigger: at most a quarter more.
    const size_t max_capacity = size + size / 4;
    Entry entry{nullptr, 0};
    {
        std::lock_guard lock(mu_);
        // The smallest buffer that fits.
        auto best = free_.end();
        for (auto it = free_.begin(); it != free_.end(); ++it) {
            if (it->capacity >= size && it->capacity <= max_capacity &&
                (best == free_.end() || it->capacity < best->capacity))
                best = it;
        }
        if (best != free_.end()) {
            entry = *best;
            free_.erase(best);
        }
    }
    if (entry.data == nullptr) {
        // An eighth more, in whole pages, so that the next flushes, a little bigger or smaller,
        // fit in it too.
        constexpr size_t kPage = 4096;
        entry.capacity = (size + size / 8 + kPage - 1) / kPage * kPage;
        entry.data = new uint8_t[entry.capacity];
    }
    return std::shared_ptr<uint8_t[]>(
        entry.data, [pool = weak_from_this(), capacity = entry.capacity](uint8_t* data) {
            if (auto alive = pool.lock())
                alive->give_back(data, capacity);
            else
                delete[] data;
        });
}

void FrameBufferPool::give_back(uint8_t* data, size_t capacity) {
    Entry entry{data, capacity};
    {
        std::lock_guard lock(mu_);
        if (free_.size() < kMaxBuffers) {
            free_.push_back(entry);
            return;
        }
        // Full: keep the bigger buffers (a smaller request fits in them).
        auto smallest = std::min_element(free_.begin(), free_.end(),
                                         [](auto& a, auto& b) { return a.capacity < b.capacity; });
        if (smallest->capacity < entry.capacity) std::swap(*smallest, entry);
    }
    delete[] entry.data;
}

size_t FrameBufferPool::free_buffers() {
    std::lock_guard lock(mu_);
    return free_.size();
}

FrameBufferPool::~FrameBufferPool() {
    for (const Entry& e : free_)
        delete[] e.data;
}

namespace {

// Computes `blob`'s pending headers and points its header pieces at them.
void finish_headers(Blob& blob) {
    const std::shared_ptr<PendingHeaders> pending = std::move(blob.pending_headers);
    blob.pending_headers.reset();
    pending->finish();
    for (const auto& header : pending->wait())
        blob.pieces[header.piece] = std::span<const uint8_t>(header.bytes);
    blob.keep_alive.push_back(pending);  // owns the header bytes
}

}  // namespace

std::shared_ptr<Blob> encode_messages(const std::vector<core::Message>& messages,
                                      FrameBufferPool* pool, bool defer_hashes) {
    uint64_t total = 0;
    bool gather = false;
    for (const auto& m : messages) {
        const uint64_t n = core::encoded_frame_size(m);
        total += n;
        gather = gather || n >= kGatherMinBytes;
    }
    auto blob = std::make_shared<Blob>();
    blob->size = total;
    for (const auto& m : messages) {
        if (std::holds_alternative<core::ChunkMessage>(m)) ++blob->num_chunks;
    }
    if (!gather) {
        if (pool != nullptr) blob->data = pool->take(size_t(total));
        if (!blob->data) blob->data = allocate_bytes(total);
        uint64_t at = 0;
        for (const auto& m : messages) {
            const uint64_t n = core::encoded_frame_size(m);
            core::write_frame(std::span<uint8_t>(blob->data.get() + at, n), m);
            at += n;
        }
        return blob;
    }
    // Reserved for the worst case (nothing borrowed), so it never moves while growing: pages
    // of the reservation that stay unwritten cost no memory.
    auto own = std::make_shared<core::Bytes>();
    own->reserve(total);
    std::vector<core::FramePiece> pieces;
    std::vector<core::UnhashedFrame> frames;
    for (const auto& m : messages) {
        frames.push_back(core::append_frame_unhashed(*own, pieces, m, kBorrowMinBytes));
        if (const auto* chunk = std::get_if<core::ChunkMessage>(&m))
            blob->keep_alive.push_back(chunk->chunk);
    }
    blob->data = std::shared_ptr<uint8_t[]>(own, own->data());
    for (const auto& p : pieces) {
        blob->pieces.emplace_back(p.borrowed ? p.borrowed : blob->data.get() + p.offset,
                                  size_t(p.size));
    }
    blob->pending_headers =
        std::make_shared<PendingHeaders>(std::move(own), std::move(pieces), std::move(frames));
    if (!defer_hashes) finish_headers(*blob);
    return blob;
}

PendingHeaders::PendingHeaders(std::shared_ptr<const core::Bytes> own,
                               std::vector<core::FramePiece> pieces,
                               std::vector<core::UnhashedFrame> frames)
    : own_(std::move(own)), pieces_(std::move(pieces)), frames_(std::move(frames)) {
    uint64_t offset = 0;
    size_t piece = 0;
    for (const auto& frame : frames_) {
        for (; piece < frame.header_piece; ++piece)
            offset += pieces_[piece].size;
        headers_.push_back(Header{frame.header_piece, offset, {}});
    }
}

void PendingHeaders::finish() {
    {
        std::lock_guard lock(mu_);
        if (ready_) return;
    }
    std::vector<Header> done = headers_;  // only finish() writes headers_, once
    for (size_t i = 0; i < frames_.size(); ++i)
        done[i].bytes = core::finished_frame_header(frames_[i], pieces_, own_->data());
    std::lock_guard lock(mu_);
    headers_ = std::move(done);
    ready_ = true;
    ready_cv_.notify_all();
}

const std::vector<PendingHeaders::Header>& PendingHeaders::wait() {
    std::unique_lock lock(mu_);
    ready_cv_.wait(lock, [this] { return ready_; });
    return headers_;
}

BlobPtr finished_blob(const BlobPtr& blob) {
    if (!blob->pending_headers) return blob;
    auto done = std::make_shared<Blob>(*blob);
    finish_headers(*done);
    return done;
}

BlobPtr copied_blob(const Blob& blob) {
    auto copy = std::make_shared<Blob>();
    copy->size = blob.size;
    copy->num_chunks = blob.num_chunks;
    copy->data = allocate_bytes(blob.size);
    uint8_t* at = copy->data.get();
    blob.for_each_piece([&at](std::span<const uint8_t> piece) {
        copy_bytes(at, piece.data(), piece.size());
        at += piece.size();
        return true;
    });
    return copy;
}

}  // namespace rerun::detail
