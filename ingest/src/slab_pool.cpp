#include "slab_pool.hpp"

#include <algorithm>

#include "rerun/core/codec.hpp"

namespace rerun::ingest {

std::shared_ptr<SlabPool> SlabPool::create(std::function<uint64_t()> keep_bytes) {
    return std::shared_ptr<SlabPool>(new SlabPool(std::move(keep_bytes)));
}

SlabPool::SlabPool(std::function<uint64_t()> keep_bytes) : keep_bytes_(std::move(keep_bytes)) {
    kept_.reserve(max_kept_);
}

std::shared_ptr<uint8_t[]> SlabPool::take() {
    const uint64_t keep = keep_bytes_ ? keep_bytes_() : 0;
    std::shared_ptr<uint8_t[]> slab;
    {
        std::lock_guard lock(mu_);
        last_take_ = Clock::now();
        max_kept_ = std::max<size_t>(
            kMinKept, size_t(std::min(keep, kMaxKeepBytes) / core::FrameDecoder::kSlabBytes));
        if (kept_.capacity() < max_kept_) kept_.reserve(max_kept_);
        if (!kept_.empty()) {
            slab = std::move(kept_.back());
            kept_.pop_back();
        }
    }
    if (slab) {
        reused_.fetch_add(1, std::memory_order_relaxed);
    } else {
        slab = core::FrameDecoder::new_slab(false);
        allocated_.fetch_add(1, std::memory_order_relaxed);
    }
    // What the decoder gets: the same bytes, whose last owner hands the slab back here.
    uint8_t* bytes = slab.get();
    return std::shared_ptr<uint8_t[]>(
        bytes, [pool = weak_from_this(), slab = std::move(slab)](uint8_t*) mutable {
            if (auto p = pool.lock()) p->give_back(slab);
            slab.reset();  // freed here unless the pool kept it
        });
}

void SlabPool::give_back(std::shared_ptr<uint8_t[]>& slab) noexcept {
    std::lock_guard lock(mu_);
    if (kept_.size() < std::min(max_kept_, kept_.capacity())) kept_.push_back(std::move(slab));
}

size_t SlabPool::trim_idle(Clock::duration after, Clock::time_point now) {
    std::vector<std::shared_ptr<uint8_t[]>> freed;
    {
        std::lock_guard lock(mu_);
        if (now - last_take_ < after) return 0;
        // Swapped out, so that the slabs are freed outside the lock and nothing allocates here
        // (this runs in a timer handler). kept_ is left with no capacity: give_back() keeps
        // nothing until the next take() reserves again.
        freed.swap(kept_);
    }
    return freed.size();
}

size_t SlabPool::kept() const {
    std::lock_guard lock(mu_);
    return kept_.size();
}

}  // namespace rerun::ingest
