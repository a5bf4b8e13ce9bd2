// A log call whose allocations fail (std::bad_alloc) at any point: the call returns an
// OutOfMemory error and drops the row, and the stream stays whole. Nothing leaks (the
// sanitizer build's leak check sees the external buffers and a lent batch's token), the bytes
// the row counted against RERUN_QUEUE_BYTES are given back, and later rows, lent batches
// included, arrive as usual.
//
// Its own executable: it replaces the global operator new, which makes the calling thread's
// n-th allocation fail.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <rerun.hpp>
#include <string>
#include <vector>

#include "test_support.hpp"

// The replacement operators pair malloc with free on purpose.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
// Allocations of this thread still to succeed before one fails; negative: none fails. Reset to
// -1 by the failure, so each arming fails exactly one allocation.
thread_local long t_allocations_before_failure = -1;

void* allocate(size_t size, size_t alignment) {
    if (t_allocations_before_failure >= 0 && t_allocations_before_failure-- == 0)
        throw std::bad_alloc();
    size = size ? size : 1;
    void* p = alignment <= alignof(std::max_align_t)
                  ? std::malloc(size)
                  : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
    if (p == nullptr) throw std::bad_alloc();
    return p;
}
}  // namespace

void* operator new(size_t size) {
    return allocate(size, 0);
}
void* operator new[](size_t size) {
    return allocate(size, 0);
}
void* operator new(size_t size, std::align_val_t alignment) {
    return allocate(size, size_t(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment) {
    return allocate(size, size_t(alignment));
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
    std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t, std::align_val_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, size_t, std::align_val_t) noexcept {
    std::free(p);
}

TEST_CASE(
    "log: an allocation failing while the row is written drops that row; nothing leaks, the "
    "queue's bound is given back, later rows arrive") {
    // Two batches lent (64 MiB and more, borrowed: positions and colors), one copied into a
    // buffer of its own (radii, 4 MB), one inline (the class ids). 150 MB counted against a
    // queue bound of 300 MB: two leaked counts would make every later big row wait and drop.
    const size_t n = (size_t(64) << 20) / sizeof(rerun::Position3D) + 1000;
    std::vector<rerun::Position3D> positions(n);
    std::vector<rerun::Color> colors(size_t(17) << 20);
    std::vector<rerun::Radius> radii(size_t(1) << 20, rerun::Radius(0.5f));
    for (size_t i = 0; i < n; ++i)
        positions[i] = {float(i), 1.f, 2.f};
    for (size_t i = 0; i < colors.size(); ++i)
        colors[i] = rerun::Color(uint8_t(i), uint8_t(i >> 8), uint8_t(i >> 16));

    setenv("RERUN_QUEUE_BYTES", "300MB", 1);
    sdk_test::TempDir tmp;
    const std::string path = tmp.path("oom.rrd");
    uint64_t dropped = 0;  // calls that returned an error
    uint64_t threw = 0;    // calls that let std::bad_alloc out
    uint64_t logged = 0;   // rows that went through
    {
        rerun::RecordingStream rec("oom", "oom");
        unsetenv("RERUN_QUEUE_BYTES");
        REQUIRE(rec.save(path).is_ok());
        const auto archetype =
            rerun::Points3D(positions).with_colors(colors).with_radii(radii).with_class_ids(
                rerun::components::ClassId(7));
        // The first call defines the entity and the components (allocations of their own);
        // the calls after it allocate only for the row. Each failing allocation in turn.
        for (long fail_at = 0;; ++fail_at) {
            bool failed = false;
            t_allocations_before_failure = fail_at;
            try {
                const rerun::Error error = rec.try_log("big", archetype);
                failed = t_allocations_before_failure < 0;
                t_allocations_before_failure = -1;
                if (error.is_ok()) {
                    ++logged;
                } else {
                    ++dropped;
                    CHECK(error.code == rerun::ErrorCode::OutOfMemory);
                }
            } catch (const std::bad_alloc&) {
                t_allocations_before_failure = -1;
                failed = true;
                ++threw;
            }
            if (!failed) break;  // every allocation of the call has failed once
            REQUIRE(fail_at < 1000);
        }
        MESSAGE("calls failed: " << dropped << " dropped the row, " << threw << " threw");
        CHECK(threw == 0);
        // At least: the first call's producer, entity and components; the row's lent batches,
        // its copied batch.
        CHECK(dropped >= 8);
        CHECK(rec.stats().rows_dropped == dropped);
        // With the queue's count given back, this fits (two counts kept would not).
        REQUIRE(rec.try_log("big", archetype).is_ok());
        ++logged;
        rec.flush_blocking();
        CHECK(rec.stats().rows_dropped == dropped);
    }
    const auto decoded = sdk_test::decode_file(path);
    CHECK(decoded.issues.empty());
    CHECK(decoded.rows("/big") == logged);
    for (const auto* chunk : decoded.chunks_of("/big")) {
        const auto* pos = chunk->find_component("Points3D:positions");
        REQUIRE(pos != nullptr);
        REQUIRE(pos->values.size() == chunk->num_rows * n * sizeof(rerun::Position3D));
        CHECK(std::memcmp(pos->values.data(), positions.data(), n * sizeof(rerun::Position3D)) ==
              0);
    }
}
