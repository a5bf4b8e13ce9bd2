// The batcher's pool of encode buffers (sdk/src/internal.hpp): which requests it serves, that a
// released buffer is reused, and that a buffer never holds much more than what it was asked for
// (limits count frames by their size).
#include <doctest/doctest.h>

#include "../../sdk/src/internal.hpp"

using rerun::detail::FrameBufferPool;

TEST_CASE("frame buffer pool: small and huge requests are not pooled") {
    auto pool = std::make_shared<FrameBufferPool>();
    CHECK(pool->take(1) == nullptr);
    CHECK(pool->take(FrameBufferPool::kMinBufferBytes - 1) == nullptr);
    CHECK(pool->take(FrameBufferPool::kMaxBufferBytes + 1) == nullptr);
    CHECK(pool->take(FrameBufferPool::kMinBufferBytes) != nullptr);
    CHECK(pool->take(FrameBufferPool::kMaxBufferBytes) != nullptr);
}

TEST_CASE("frame buffer pool: a released buffer serves the next request of about its size") {
    auto pool = std::make_shared<FrameBufferPool>();
    const size_t mib = size_t(1) << 20;
    auto first = pool->take(mib);
    REQUIRE(first != nullptr);
    first[mib - 1] = 1;  // the whole size is usable (ASan checks)
    const uint8_t* raw = first.get();
    first.reset();
    CHECK(pool->free_buffers() == 1);

    SUBCASE("same size, or a little bigger: reused") {
        auto again = pool->take(mib + mib / 16);
        CHECK(again.get() == raw);
        CHECK(pool->free_buffers() == 0);
    }
    SUBCASE("far smaller: a new buffer, the big one stays free") {
        auto small = pool->take(mib / 2);
        REQUIRE(small != nullptr);
        CHECK(small.get() != raw);
        CHECK(pool->free_buffers() == 1);
    }
    SUBCASE("bigger than it: a new buffer") {
        auto big = pool->take(2 * mib);
        REQUIRE(big != nullptr);
        CHECK(big.get() != raw);
        CHECK(pool->free_buffers() == 1);
    }
}

TEST_CASE("frame buffer pool: keeps at most kMaxBuffers; buffers may outlive it") {
    auto pool = std::make_shared<FrameBufferPool>();
    std::vector<std::shared_ptr<uint8_t[]>> held;
    for (size_t i = 0; i < FrameBufferPool::kMaxBuffers + 3; ++i)
        held.push_back(pool->take(FrameBufferPool::kMinBufferBytes * (i + 1)));
    held.clear();
    CHECK(pool->free_buffers() == FrameBufferPool::kMaxBuffers);

    auto survivor = pool->take(FrameBufferPool::kMinBufferBytes);
    REQUIRE(survivor != nullptr);
    pool.reset();
    survivor[0] = 1;
    survivor.reset();  // freed, not returned to the destroyed pool (ASan: no leak, no misuse)
}
