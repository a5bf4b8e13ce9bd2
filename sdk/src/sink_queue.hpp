// A byte-bounded FIFO of encoded frames between the batcher and a sink's writer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "internal.hpp"

namespace rerun::detail {

class SinkQueue {
  public:
    explicit SinkQueue(uint64_t max_bytes) : max_bytes_(max_bytes) {}

    // Returns false (and keeps nothing) when the queue would exceed its bound, unless `force`.
    // A blob bigger than the bound is still accepted into an empty queue.
    bool push(BlobPtr blob, bool force) {
        {
            std::lock_guard lock(mu_);
            if (closed_) return false;
            if (!force && bytes_ > 0 && bytes_ + blob->size > max_bytes_) return false;
            bytes_ += blob->size;
            items_.push_back(std::move(blob));
        }
        cv_.notify_all();
        return true;
    }

    // Blocks until an item is available (returns it, counted as in flight until done()) or the
    // queue is closed and empty (returns null).
    BlobPtr pop() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !items_.empty() || closed_; });
        return take_front();
    }
    // Like pop(), but returns null at the deadline too.
    BlobPtr pop_until(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mu_);
        cv_.wait_until(lock, deadline, [&] { return !items_.empty() || closed_; });
        return take_front();
    }
    // Marks a popped blob as written (or given up).
    void done(const BlobPtr& blob) {
        {
            std::lock_guard lock(mu_);
            bytes_ -= blob->size;
            --in_flight_;
        }
        cv_.notify_all();
    }
    bool wait_drained(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock lock(mu_);
        return cv_.wait_until(lock, deadline, [&] { return items_.empty() && in_flight_ == 0; });
    }
    void close() {
        {
            std::lock_guard lock(mu_);
            closed_ = true;
        }
        cv_.notify_all();
    }
    bool is_closed() const {
        std::lock_guard lock(mu_);
        return closed_;
    }
    // Removes everything still queued (not in flight); returns (frames, bytes, chunks).
    std::deque<BlobPtr> drop_all() {
        std::deque<BlobPtr> out;
        {
            std::lock_guard lock(mu_);
            out.swap(items_);
            for (const auto& b : out)
                bytes_ -= b->size;
        }
        cv_.notify_all();
        return out;
    }
    uint64_t bytes() const {
        std::lock_guard lock(mu_);
        return bytes_;
    }
    uint64_t max_bytes() const { return max_bytes_; }

  private:
    BlobPtr take_front() {
        if (items_.empty()) return nullptr;
        BlobPtr b = std::move(items_.front());
        items_.pop_front();
        ++in_flight_;
        return b;
    }

    const uint64_t max_bytes_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<BlobPtr> items_;
    uint64_t bytes_ = 0;
    size_t in_flight_ = 0;
    bool closed_ = false;
};

}  // namespace rerun::detail
