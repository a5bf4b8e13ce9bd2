// A byte-bounded FIFO of encoded frames between the batcher and a sink's writer thread.
//
// Besides the frames waiting to be written (queued) and the one being written (in flight), a
// queue may keep the most recently written frames (retained, up to `retain_bytes`): a TCP sink
// cannot know whether a viewer that went away had processed what the kernel accepted, so it
// sends those again on its next connection (the viewer ignores chunks it already has).
// Everything (queued + in flight + retained) counts against `max_bytes`; retained frames are
// forgotten first when new frames need the room.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "internal.hpp"

namespace rerun::detail {

class SinkQueue {
  public:
    explicit SinkQueue(uint64_t max_bytes, uint64_t retain_bytes = 0)
        : max_bytes_(max_bytes), retain_bytes_(std::min(retain_bytes, max_bytes)) {}

    // Returns false (and keeps nothing) when the queue would exceed its bound, unless `force`.
    // A blob bigger than the bound is still accepted into an empty queue.
    bool push(BlobPtr blob, bool force) {
        {
            std::lock_guard lock(mu_);
            if (closed_) return false;
            if (!force) {
                while (!retained_.empty() && used() + blob->size > max_bytes_)
                    forget_oldest_retained();
                if (bytes_ > 0 && bytes_ + blob->size > max_bytes_) return false;
            }
            bytes_ += blob->size;
            items_.push_back(std::move(blob));
        }
        cv_.notify_all();
        return true;
    }

    // Waits until fewer than `max_items` blobs are queued or in flight (backpressure: the caller
    // waits for the writer instead of anything being dropped), then queues the blob. Returns
    // false (and keeps nothing) when the queue is closed.
    bool push_wait(BlobPtr blob, size_t max_items) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return closed_ || items_.size() + in_flight_ < max_items; });
            if (closed_) return false;
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
    // Marks a popped blob as written (kept among the retained ones when the queue retains), or,
    // with written = false, as given up.
    void done(const BlobPtr& blob, bool written = true) {
        {
            std::lock_guard lock(mu_);
            bytes_ -= blob->size;
            --in_flight_;
            if (written && retain_bytes_ > 0 && blob->size <= retain_bytes_) {
                retained_.push_back(blob);
                retained_bytes_ += blob->size;
                while (retained_bytes_ > retain_bytes_)
                    forget_oldest_retained();
            }
        }
        cv_.notify_all();
    }
    // The connection the written blobs went to is gone: the retained blobs, then `in_flight` (a
    // popped blob that was not written completely; may be null), go back to the front of the
    // queue, in their original order. Returns the number of retained blobs requeued.
    size_t requeue_unconfirmed(BlobPtr in_flight) {
        size_t n = 0;
        {
            std::lock_guard lock(mu_);
            if (in_flight) {
                --in_flight_;
                items_.push_front(std::move(in_flight));
            }
            n = retained_.size();
            while (!retained_.empty()) {
                items_.push_front(std::move(retained_.back()));
                retained_.pop_back();
            }
            bytes_ += retained_bytes_;
            retained_bytes_ = 0;
        }
        cv_.notify_all();
        return n;
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
    // Removes everything still queued (not in flight) and forgets the retained blobs; returns
    // the queued ones.
    std::deque<BlobPtr> drop_all() {
        std::deque<BlobPtr> out;
        {
            std::lock_guard lock(mu_);
            out.swap(items_);
            for (const auto& b : out)
                bytes_ -= b->size;
            retained_.clear();
            retained_bytes_ = 0;
        }
        cv_.notify_all();
        return out;
    }
    // Queued, in flight and retained bytes: what this queue holds in memory.
    uint64_t bytes() const {
        std::lock_guard lock(mu_);
        return used();
    }
    // Blobs waiting to be written (not in flight).
    size_t queued_count() const {
        std::lock_guard lock(mu_);
        return items_.size();
    }
    uint64_t max_bytes() const { return max_bytes_; }
    uint64_t retain_bytes() const { return retain_bytes_; }

  private:
    uint64_t used() const { return bytes_ + retained_bytes_; }
    void forget_oldest_retained() {
        retained_bytes_ -= retained_.front()->size;
        retained_.pop_front();
    }
    BlobPtr take_front() {
        if (items_.empty()) return nullptr;
        BlobPtr b = std::move(items_.front());
        items_.pop_front();
        ++in_flight_;
        return b;
    }

    const uint64_t max_bytes_;
    const uint64_t retain_bytes_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<BlobPtr> items_;
    uint64_t bytes_ = 0;  // queued and in flight
    size_t in_flight_ = 0;
    std::deque<BlobPtr> retained_;  // written, oldest first
    uint64_t retained_bytes_ = 0;
    bool closed_ = false;
};

}  // namespace rerun::detail
