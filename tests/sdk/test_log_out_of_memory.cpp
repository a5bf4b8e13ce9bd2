// A log call whose allocations fail (std::bad_alloc) at any point, in a thread's first call and
// in later ones: the call returns an OutOfMemory error and drops the row, and the stream stays
// whole. Nothing leaks (the
// sanitizer build's leak check sees the external buffers and a lent batch's token), the bytes
// the row counted against RERUN_QUEUE_BYTES are given back, and later rows, lent batches
// included, arrive as usual.
//
// Its own executable: it replaces the global operator new, which makes the calling thread's
// n-th allocation fail.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <functional>
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
#include "../malloc_operator_delete.hpp"
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

namespace {

struct SweepResult {
    uint64_t dropped = 0;  // calls that returned an error
    uint64_t threw = 0;    // calls that let std::bad_alloc out
};

// Calls `log` with the calling thread's first allocation failing, then its second, and so on,
// until a call makes all its allocations: that last call succeeds.
SweepResult sweep_allocation_failures(const std::function<rerun::Error()>& log) {
    SweepResult result;
    for (long fail_at = 0;; ++fail_at) {
        bool failed = false;
        t_allocations_before_failure = fail_at;
        try {
            const rerun::Error error = log();
            failed = t_allocations_before_failure < 0;
            t_allocations_before_failure = -1;
            if (failed) {
                CHECK(error.code == rerun::ErrorCode::OutOfMemory);
                if (error.is_err()) ++result.dropped;
            } else {
                CHECK(error.is_ok());
            }
        } catch (const std::bad_alloc&) {
            t_allocations_before_failure = -1;
            failed = true;
            ++result.threw;
        }
        if (!failed) return result;
        REQUIRE(fail_at < 1000);
    }
}

}  // namespace

TEST_CASE(
    "log: an allocation failing anywhere in the call drops that row with an error; nothing "
    "leaks, the queue's bound is given back, later rows arrive") {
    // The steady-state row: two batches lent (64 MiB and more, borrowed: positions and colors),
    // one copied into a buffer of its own (radii, 4 MB), one inline (the class ids). 143 MB
    // counted against a queue bound of 300 MB: two leaked counts make later big rows drop.
    const size_t n = (size_t(64) << 20) / sizeof(rerun::Position3D) + 1000;
    std::vector<rerun::Position3D> positions(n);
    std::vector<rerun::Color> colors(size_t(17) << 20);
    std::vector<rerun::Radius> radii(size_t(1) << 20, rerun::Radius(0.5f));
    for (size_t i = 0; i < n; ++i)
        positions[i] = {float(i), 1.f, 2.f};
    for (size_t i = 0; i < colors.size(); ++i)
        colors[i] = rerun::Color(uint8_t(i), uint8_t(i >> 8), uint8_t(i >> 16));

    setenv("RERUN_QUEUE_BYTES", "300MB", 1);
    // A lent row not taken by the batcher within RERUN_LOG_BLOCK_SECS is copied by the call,
    // with allocations of its own (which the sweep would then fail instead): a long patience.
    setenv("RERUN_LOG_BLOCK_SECS", "60", 1);
    sdk_test::TempDir tmp;
    const std::string path = tmp.path("oom.rrd");
    uint64_t big_rows = 0;
    {
        rerun::RecordingStream rec("oom", "oom");
        unsetenv("RERUN_QUEUE_BYTES");
        unsetenv("RERUN_LOG_BLOCK_SECS");
        REQUIRE(rec.save(path).is_ok());

        // The thread's first call: its producer, the entity, the components' definitions.
        const std::vector<rerun::Position3D> few(3, rerun::Position3D{1.f, 2.f, 3.f});
        const auto small = rerun::Points3D(few)
                               .with_colors(rerun::Color(1, 2, 3))
                               .with_radii(rerun::Radius(0.5f))
                               .with_class_ids(rerun::components::ClassId(7));
        const auto first = sweep_allocation_failures([&] { return rec.try_log("points", small); });
        MESSAGE("first call: " << first.dropped << " failed allocations dropped the row, "
                               << first.threw << " threw");
        CHECK(first.threw == 0);
        CHECK(first.dropped >= 3);
        CHECK(rec.stats().rows_dropped == first.dropped);
        rec.flush_blocking();  // the small row in a chunk of its own

        // Later calls: only the row's own allocations (the lent batches, the copied one).
        const auto big =
            rerun::Points3D(positions).with_colors(colors).with_radii(radii).with_class_ids(
                rerun::components::ClassId(7));
        const auto later = sweep_allocation_failures([&] { return rec.try_log("points", big); });
        ++big_rows;
        MESSAGE("later call: " << later.dropped << " failed allocations dropped the row, "
                               << later.threw << " threw");
        CHECK(later.threw == 0);
        CHECK(later.dropped >= 5);
        CHECK(rec.stats().rows_dropped == first.dropped + later.dropped);

        // With the queue's counts given back this row fits; with two kept it would be dropped
        // (counted in rows_dropped, and missing from the file).
        CHECK(rec.try_log("points", big).is_ok());
        ++big_rows;
        rec.flush_blocking();
        CHECK(rec.stats().rows_dropped == first.dropped + later.dropped);
    }
    const auto decoded = sdk_test::decode_file(path);
    CHECK(decoded.issues.empty());
    CHECK(decoded.rows("/points") == 1 + big_rows);
    uint64_t big_seen = 0;
    for (const auto* chunk : decoded.chunks_of("/points")) {
        const auto* pos = chunk->find_component("Points3D:positions");
        REQUIRE(pos != nullptr);
        if (pos->values.size() != chunk->num_rows * n * sizeof(rerun::Position3D)) continue;
        big_seen += chunk->num_rows;
        CHECK(std::memcmp(pos->values.data(), positions.data(), n * sizeof(rerun::Position3D)) ==
              0);
    }
    CHECK(big_seen == big_rows);
}
