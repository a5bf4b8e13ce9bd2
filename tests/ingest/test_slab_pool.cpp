// SlabPool: payload slabs handed back by their last owner serve the next take(), within a bound,
// and go back to the system when idle.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "rerun/core/codec.hpp"
#include "slab_pool.hpp"

using namespace rerun;
using ingest::SlabPool;

namespace {

constexpr uint64_t kSlab = core::FrameDecoder::kSlabBytes;

}  // namespace

TEST_CASE("slab pool: a slab let go of serves the next take, with its bytes") {
    auto pool = SlabPool::create([] { return 0; });
    auto a = pool->take();
    REQUIRE(a);
    uint8_t* const bytes = a.get();
    std::memset(bytes, 0xAB, kSlab);  // the whole slab is usable
    // Payloads share the slab (as the decoder carves them): it comes back after the last one.
    std::shared_ptr<uint8_t[]> payload(a, a.get() + 4096);
    a.reset();
    CHECK(pool->kept() == 0);
    payload.reset();
    CHECK(pool->kept() == 1);
    auto b = pool->take();
    CHECK(b.get() == bytes);
    CHECK(b[0] == 0xAB);  // not cleared: the decoder writes every payload before it is read
    CHECK(pool->allocated() == 1);
    CHECK(pool->reused() == 1);
}

TEST_CASE("slab pool: keeps at most keep_bytes' worth of slabs, at least kMinKept") {
    std::atomic<uint64_t> keep{6 * kSlab};
    auto pool = SlabPool::create([&keep] { return keep.load(); });
    std::vector<std::shared_ptr<uint8_t[]>> out;
    for (int i = 0; i < 10; ++i)
        out.push_back(pool->take());
    out.clear();
    CHECK(pool->kept() == 6);
    CHECK(pool->allocated() == 10);

    // A lower bound applies from the next take on; never below kMinKept.
    keep = 0;
    for (int i = 0; i < 10; ++i)
        out.push_back(pool->take());
    CHECK(pool->reused() == 6);
    out.clear();
    CHECK(pool->kept() == SlabPool::kMinKept);

    // The bound is capped, whatever the memory limit (untouched slabs cost address space only).
    keep = UINT64_MAX;
    const size_t cap = size_t(SlabPool::kMaxKeepBytes / kSlab);
    for (size_t i = 0; i < cap + 3; ++i)
        out.push_back(pool->take());
    out.clear();
    CHECK(pool->kept() == cap);
}

TEST_CASE("slab pool: kept slabs are freed once no take() came for a while") {
    auto pool = SlabPool::create([] { return 16 * kSlab; });
    const auto taken_at = SlabPool::Clock::now();
    {
        auto a = pool->take();
        auto b = pool->take();
    }
    REQUIRE(pool->kept() == 2);
    using std::chrono::seconds;
    CHECK(pool->trim_idle(seconds(5), taken_at - seconds(1)) == 0);  // taken since
    CHECK(pool->kept() == 2);
    CHECK(pool->trim_idle(seconds(5), SlabPool::Clock::now() + seconds(5)) == 2);
    CHECK(pool->kept() == 0);
    // A slab out during the trim and given back after it is freed, not kept: the trim left no
    // room reserved, and give_back never allocates.
    auto late = pool->take();  // reuses nothing: the pool is empty
    CHECK(pool->allocated() == 3);
    REQUIRE(pool->trim_idle(seconds(0), SlabPool::Clock::now() + seconds(1)) == 0);
    late.reset();
    CHECK(pool->kept() == 0);
    // Usable afterwards: the next take() reserves room again.
    {
        auto c = pool->take();
        CHECK(c);
    }
    CHECK(pool->allocated() == 4);
    CHECK(pool->kept() == 1);
}

TEST_CASE("slab pool: slabs may outlive the pool") {
    auto pool = SlabPool::create([] { return 0; });
    auto a = pool->take();
    a[0] = 1;
    pool.reset();
    a[kSlab - 1] = 2;  // still valid memory
    a.reset();         // freed (ASan reports a leak or a bad free otherwise)
}

TEST_CASE("slab pool: threads taking and letting go at once") {
    auto pool = SlabPool::create([] { return 8 * kSlab; });
    constexpr int kThreads = 4, kRounds = 300;
    std::vector<std::thread> threads;
    std::atomic<int> bad{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::shared_ptr<uint8_t[]>> held;
            for (int i = 0; i < kRounds; ++i) {
                auto s = pool->take();
                // Nobody else holds this slab while this thread does.
                s[0] = uint8_t(t);
                s[kSlab / 2] = uint8_t(i);
                if (s[0] != uint8_t(t) || s[kSlab / 2] != uint8_t(i)) ++bad;
                held.push_back(std::move(s));
                if (held.size() > 3) held.erase(held.begin());
                if (i % 50 == 0) pool->trim_idle(std::chrono::seconds(0));
            }
        });
    }
    for (auto& th : threads)
        th.join();
    CHECK(bad == 0);
    CHECK(pool->allocated() + pool->reused() == uint64_t(kThreads * kRounds));
    CHECK(pool->reused() > 0);
    CHECK(pool->kept() <= 8);
}
