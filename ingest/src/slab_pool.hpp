// SlabPool: payload slabs (core::FrameDecoder::kSlabBytes) for the TCP server's decoders, kept
// when they come back and handed out again. Internal to rerun_ingest.
//
// Why: a slab is freed when the last chunk carved from it is. A viewer at its memory limit drops
// old rows all the time, so without the pool every new slab comes from the kernel, which zeroes
// its pages first. That zeroing was 41% of the receiving threads' time with 4 senders
// streaming 3x the limit (bench_ingest --only tcp).
//
// Contract:
// - take() returns a slab of kSlabBytes: one that came back, when the pool holds one, else a
//   new one. Its bytes are whatever the last user left: the decoder writes every payload's bytes
//   before anything reads them.
// - When the last owner of a slab lets go (any thread), the slab goes back to the pool if the
//   pool still exists and holds fewer than keep_bytes() / kSlabBytes slabs (at least kMinKept);
//   otherwise it is freed. Giving back never allocates and never throws.
// - keep_bytes is asked at each take() (the memory limit can change at run time). The server
//   keeps a tenth of the memory limit, at most kMaxKeepBytes: about what the store frees in one
//   eviction round (it evicts down to 90% of the limit). Kept slabs are viewer memory outside
//   --memory-limit, like the slabs' unused tails: at most max(limit / 10, kMinKept slabs).
//   A lower bound applies to what comes back from then on; what is kept already stays until
//   taken or trimmed.
// - A slab comes back committed whole (the kernel gave it pages as it was filled): up to 8 MiB
//   per bulky connection, where a fresh slab commits pages only as bytes arrive.
// - trim_idle(after) frees every kept slab when take() has not been called for `after` (the
//   server calls it every second): memory of a closed recording, or of a viewer that stopped
//   receiving, goes back to the system within seconds.
// - The pool may be destroyed while slabs are out: those are freed when their owners let go.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace rerun::ingest {

class SlabPool : public std::enable_shared_from_this<SlabPool> {
  public:
    static constexpr size_t kMinKept = 4;
    static constexpr uint64_t kMaxKeepBytes = uint64_t(1) << 30;
    using Clock = std::chrono::steady_clock;

    static std::shared_ptr<SlabPool> create(std::function<uint64_t()> keep_bytes);

    std::shared_ptr<uint8_t[]> take();
    // Frees the kept slabs if take() was last called `after` ago or longer (at `now`). Returns
    // how many it freed.
    size_t trim_idle(Clock::duration after, Clock::time_point now = Clock::now());

    size_t kept() const;
    uint64_t reused() const { return reused_.load(std::memory_order_relaxed); }
    uint64_t allocated() const { return allocated_.load(std::memory_order_relaxed); }

  private:
    explicit SlabPool(std::function<uint64_t()> keep_bytes);
    void give_back(std::shared_ptr<uint8_t[]>& slab) noexcept;

    std::function<uint64_t()> keep_bytes_;
    mutable std::mutex mu_;
    // Capacity reserved in take(), so that give_back() never allocates.
    std::vector<std::shared_ptr<uint8_t[]>> kept_;
    size_t max_kept_ = kMinKept;
    Clock::time_point last_take_ = Clock::now();
    std::atomic<uint64_t> reused_{0};
    std::atomic<uint64_t> allocated_{0};
};

}  // namespace rerun::ingest
