// A borrowed batch of 64 MiB or more is lent, not copied (CallerBorrow in sdk/src/internal.hpp):
// the log call waits until its memory is written or copied, so the caller may reuse it at once.
// Files get it uncopied, with the frame header written after the payload; sinks that keep data
// (memory, socket, the buffer before a first sink) get a copy; a stalled batcher makes the call
// copy after its patience. Each case overwrites the memory as soon as log() returns, and checks
// that every output holds the values from before.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <rerun.hpp>
#include <thread>

#include "test_support.hpp"

namespace {

// Just over the lending threshold (64 MiB).
constexpr size_t kLentPoints = (size_t(64) << 20) / sizeof(rerun::Position3D) + 1000;

std::vector<rerun::Position3D> make_points(float scale) {
    std::vector<rerun::Position3D> points(kLentPoints);
    for (size_t i = 0; i < points.size(); ++i)
        points[i] = {scale * float(i), 0.5f * float(i), -float(i % 1000)};
    return points;
}

// Logs rows around one lent batch and overwrites the batch as soon as log() returns (after
// calling `returned`).
void log_lent_batch(const rerun::RecordingStream& rec, std::vector<rerun::Position3D>& points,
                    const std::function<void()>& returned = {}) {
    for (int i = 0; i < 5; ++i)
        rec.log("before", rerun::Scalars(double(i)));
    rec.log("big", rerun::Points3D(points).with_radii({0.25f}));
    if (returned) returned();
    for (auto& p : points)
        p = {-7.f, -7.f, -7.f};
    for (int i = 0; i < 5; ++i)
        rec.log("after", rerun::Scalars(double(i)));
}

// `d` holds the rows around the batch and the batch with exactly `expected`'s values.
void check_lent_batch(const sdk_test::Decoded& d, const std::vector<rerun::Position3D>& expected) {
    CHECK(d.issues.empty());
    for (const auto& issue : d.issues)
        MESSAGE(issue.message);
    CHECK(d.rows("/before") == 5);
    CHECK(d.rows("/after") == 5);
    const auto chunks = d.chunks_of("/big");
    REQUIRE(chunks.size() == 1);
    const auto* pos = chunks[0]->find_component("Points3D:positions");
    REQUIRE(pos != nullptr);
    REQUIRE(pos->values.size() == expected.size() * sizeof(rerun::Position3D));
    CHECK(std::memcmp(pos->values.data(), expected.data(), pos->values.size()) == 0);
}

sdk_test::Decoded take(const rerun::MemorySink& mem) {
    return sdk_test::decode(mem.take());
}

}  // namespace

TEST_CASE("a lent batch reaches a file uncopied, and the caller may overwrite it at once") {
    sdk_test::TempDir tmp;
    const auto expected = make_points(1.f);
    for (const bool with_memory_sink : {false, true}) {
        CAPTURE(with_memory_sink);
        auto points = expected;
        const std::string path = tmp.path("lent.rrd");
        rerun::MemorySink mem;
        {
            // The call waits for the batcher to take the row at most RERUN_LOG_BLOCK_SECS
            // (0.1 s), then copies and returns before the file is written: a long patience, so
            // that a descheduled batcher cannot make the file check below fail.
            ::setenv("RERUN_LOG_BLOCK_SECS", "60", 1);
            const rerun::RecordingStream rec("lent");
            ::unsetenv("RERUN_LOG_BLOCK_SECS");
            if (with_memory_sink) {
                REQUIRE(rec.set_sinks(rerun::FileSink{path}, mem).is_ok());
            } else {
                REQUIRE(rec.save(path).is_ok());
            }
            // Lent, not copied: the call returns once the file holds the batch.
            log_lent_batch(rec, points, [&] {
                CHECK(std::filesystem::file_size(path) >
                      expected.size() * sizeof(rerun::Position3D));
            });
            REQUIRE(rec.flush_blocking().is_ok());
        }
        check_lent_batch(sdk_test::decode_file(path), expected);
        if (with_memory_sink) check_lent_batch(take(mem), expected);
    }
}

TEST_CASE("a lent batch logged before any sink is copied for the sink to come") {
    sdk_test::TempDir tmp;
    const auto expected = make_points(2.f);
    auto points = expected;
    const rerun::RecordingStream rec("lent");
    log_lent_batch(rec, points);
    REQUIRE(rec.flush_blocking().is_ok());  // encoded and buffered for a sink
    const std::string path = tmp.path("late.rrd");
    REQUIRE(rec.save(path).is_ok());
    rec.disconnect();
    check_lent_batch(sdk_test::decode_file(path), expected);
}

TEST_CASE("a lent batch to a socket that is not there yet is copied, and sent when it comes") {
    sdk_test::TempDir tmp;
    const auto expected = make_points(3.f);
    auto points = expected;
    const uint16_t port = sdk_test::free_port();
    const std::string path = tmp.path("both.rrd");
    // Room for the batch and the rows after it while the socket is away (64 MiB by default).
    ::setenv("RERUN_TCP_BUFFER_BYTES", "256MiB", 1);
    const rerun::RecordingStream rec("lent");
    ::unsetenv("RERUN_TCP_BUFFER_BYTES");
    REQUIRE(
        rec.set_sinks(rerun::FileSink{path}, rerun::TcpSink{"127.0.0.1:" + std::to_string(port)})
            .is_ok());
    log_lent_batch(rec, points);  // returns: the TCP sink holds a copy, not the caller's memory
    sdk_test::TestListener viewer(port);
    REQUIRE(rec.flush_blocking(60).is_ok());
    rec.disconnect();
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.end_of_streams == 1; }));
    check_lent_batch(viewer.snapshot(), expected);
    check_lent_batch(sdk_test::decode_file(path), expected);
}

TEST_CASE("behind a stalled sink, a lent batch is copied after the call's patience") {
    // A FIFO whose reader does not read: once its pipe and the sink's queue are full, the
    // batcher waits in the sink and cannot take the lent row. The log call must not wait for it
    // (the reader may never come back): it copies and returns.
    sdk_test::TempDir tmp;
    const std::string fifo = tmp.path("stalled.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
    REQUIRE(reader >= 0);
    const auto expected = make_points(4.f);
    auto points = expected;
    std::vector<uint8_t> received;
    {
        const rerun::RecordingStream rec("lent");
        REQUIRE(rec.save(fifo).is_ok());
        // 16 flushes of 1 MiB: the pipe holds 64 KiB, the sink's queue 4 flushes.
        const std::vector<rerun::Position3D> filler(100'000);
        for (int i = 0; i < 16; ++i) {
            rec.log("filler", rerun::Points3D(filler));
            (void)rec.flush_blocking(0.01);
        }
        log_lent_batch(rec, points);  // must return without a reader
        std::thread drain([&] {
            const int flags = ::fcntl(reader, F_GETFL);
            ::fcntl(reader, F_SETFL, flags & ~O_NONBLOCK);
            uint8_t buf[1 << 16];
            for (;;) {
                const ssize_t n = ::read(reader, buf, sizeof(buf));
                if (n <= 0) break;
                received.insert(received.end(), buf, buf + n);
            }
        });
        REQUIRE(rec.flush_blocking(60).is_ok());
        rec.disconnect();  // closes the write end: the reader sees the end
        drain.join();
    }
    ::close(reader);
    const auto d = sdk_test::decode(received);
    CHECK(d.rows("/filler") == 16);
    check_lent_batch(d, expected);
}

TEST_CASE("two lent batches in one row: the call waits for both, in a new group or an old one") {
    // Boxes3D centers and half sizes, each over the threshold. Into "old", the row joins a group
    // that already has a row (its data is copied into the group's columns, one batch after the
    // other); into "new", it starts a group and is written as it is.
    ::setenv("RERUN_FLUSH_TICK_SECS", "30", 1);  // the small row waits in its group
    sdk_test::TempDir tmp;
    const std::string path = tmp.path("boxes.rrd");
    using rerun::components::HalfSize3D;
    using rerun::components::PoseTranslation3D;
    std::vector<PoseTranslation3D> expected_centers(kLentPoints);
    std::vector<HalfSize3D> expected_half_sizes(kLentPoints);
    for (size_t i = 0; i < kLentPoints; ++i) {
        expected_centers[i] = PoseTranslation3D(float(i), 1.f, 2.f);
        expected_half_sizes[i] = HalfSize3D(0.5f, float(i % 77), 3.f);
    }
    {
        const rerun::RecordingStream rec("lent");
        ::unsetenv("RERUN_FLUSH_TICK_SECS");
        REQUIRE(rec.save(path).is_ok());
        rec.log("old", rerun::Boxes3D::from_centers_and_half_sizes(
                           {PoseTranslation3D(9.f, 9.f, 9.f)}, {HalfSize3D(1.f, 1.f, 1.f)}));
        for (const char* entity : {"old", "new"}) {
            auto centers = expected_centers;
            auto half_sizes = expected_half_sizes;
            rec.log(entity, rerun::Boxes3D::from_centers_and_half_sizes(centers, half_sizes));
            std::fill(centers.begin(), centers.end(), PoseTranslation3D(-1.f, -1.f, -1.f));
            std::fill(half_sizes.begin(), half_sizes.end(), HalfSize3D(-1.f, -1.f, -1.f));
        }
        REQUIRE(rec.flush_blocking().is_ok());
    }
    const auto d = sdk_test::decode_file(path);
    CHECK(d.issues.empty());
    for (const char* entity : {"/old", "/new"}) {
        CAPTURE(entity);
        const auto chunks = d.chunks_of(entity);
        REQUIRE(chunks.size() == 1);
        const bool old_group = std::string(entity) == "/old";
        CHECK(chunks[0]->num_rows == (old_group ? 2u : 1u));
        const size_t skip = old_group ? 1 : 0;  // the small row first
        const auto* c = chunks[0]->find_component("Boxes3D:centers");
        const auto* h = chunks[0]->find_component("Boxes3D:half_sizes");
        REQUIRE(c != nullptr);
        REQUIRE(h != nullptr);
        REQUIRE(c->values.size() == (kLentPoints + skip) * 12);
        REQUIRE(h->values.size() == (kLentPoints + skip) * 12);
        CHECK(std::memcmp(c->values.data() + skip * 12, expected_centers.data(),
                          kLentPoints * 12) == 0);
        CHECK(std::memcmp(h->values.data() + skip * 12, expected_half_sizes.data(),
                          kLentPoints * 12) == 0);
    }
}
