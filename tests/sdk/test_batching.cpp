// Micro-batching: the flush thresholds from the environment, and order within a thread.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <rerun.hpp>
#include <thread>

#include "test_support.hpp"

namespace {

struct ScopedEnv {
    std::string name;
    ScopedEnv(const char* n, const char* v) : name(n) { ::setenv(n, v, 1); }
    ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

sdk_test::Decoded log_scalars(int rows) {
    const rerun::RecordingStream rec("batching");
    auto mem = rec.memory();
    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("i", i);
        rec.log("s", rerun::Scalars(double(i)));
    }
    return sdk_test::decode(mem.take());
}

// Waits (bounded) until pred() holds; returns whether it did.
template <class F>
bool eventually(F pred, double secs = 30) {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(secs));
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("RERUN_FLUSH_NUM_ROWS cuts chunks at exactly that many rows") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "1000");
    ScopedEnv rows("RERUN_FLUSH_NUM_ROWS", "10");
    const auto d = log_scalars(95);
    const auto chunks = d.chunks_of("/s");
    REQUIRE(chunks.size() == 10);
    for (size_t i = 0; i < 9; ++i)
        CHECK(chunks[i]->num_rows == 10);
    CHECK(chunks[9]->num_rows == 5);
    // Order within the thread is preserved across chunks.
    int64_t expect = 0;
    for (const auto* c : chunks)
        for (auto v : c->find_timeline("i")->values())
            CHECK(v == expect++);
}

TEST_CASE("RERUN_FLUSH_NUM_ROWS flushes on its own, without a tick or an explicit flush") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "3600");
    SUBCASE("one row") {
        ScopedEnv rows("RERUN_FLUSH_NUM_ROWS", "1");
        const rerun::RecordingStream rec("rows1");
        auto mem = rec.memory();
        for (int i = 0; i < 3; ++i) {
            rec.set_time_sequence("i", i);
            rec.log("s", rerun::Scalars(double(i)));
        }
        // Each row is a chunk of its own, encoded and in the sink with nothing else happening.
        REQUIRE(eventually([&] { return rec.stats().chunks_encoded == 3; }));
        CHECK(mem.size() > 0);
        const auto d = sdk_test::decode(mem.take());
        const auto chunks = d.chunks_of("/s");
        REQUIRE(chunks.size() == 3);
        for (const auto* c : chunks)
            CHECK(c->num_rows == 1);
    }
    SUBCASE("several rows, from several threads") {
        ScopedEnv rows("RERUN_FLUSH_NUM_ROWS", "7");
        const rerun::RecordingStream rec("rows7");
        auto mem = rec.memory();
        // 3 threads x 3 rows: no thread alone reaches 7 rows, together they pass it.
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([&rec, t] {
                for (int i = 0; i < 3; ++i)
                    rec.log("t" + std::to_string(t), rerun::Scalars(double(i)));
            });
        }
        for (auto& th : threads)
            th.join();
        // The threads are gone; the first 7 rows are flushed without a tick or a flush call.
        REQUIRE(eventually([&] { return rec.stats().chunks_encoded > 0; }));
        const auto d = sdk_test::decode(mem.take());
        CHECK(d.total_rows() == 9);
    }
}

TEST_CASE("RERUN_FLUSH_NUM_BYTES flushes on its own, without a tick or an explicit flush") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "3600");
    // A scalar row counts 40 bytes: 16 for its row id, 8 per time (i and log_time), 8 of data.
    ScopedEnv bytes("RERUN_FLUSH_NUM_BYTES", "1000");
    const rerun::RecordingStream rec("bytes");
    const rerun::MemorySink mem = rec.memory();
    for (int i = 0; i < 30; ++i) {
        rec.set_time_sequence("i", i);
        rec.log("s", rerun::Scalars(double(i)));
    }
    // The chunk is counted a moment before its frame reaches the sink: both are waited for.
    REQUIRE(eventually([&] { return rec.stats().chunks_encoded == 1 && mem.size() > 0; }));
    CHECK(rec.stats().chunks_encoded == 1);
    const auto d = sdk_test::decode(mem.take());  // flushes the other 5 rows
    const auto chunks = d.chunks_of("/s");
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[0]->num_rows == 25);  // 25 x 40 bytes reach the 1000
    CHECK(chunks[1]->num_rows == 5);
}

TEST_CASE("with a long tick and large thresholds, rows end up in one chunk") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "1000");
    ScopedEnv bytes("RERUN_FLUSH_NUM_BYTES", "10MB");
    const auto d = log_scalars(1000);
    const auto chunks = d.chunks_of("/s");
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0]->num_rows == 1000);
}

TEST_CASE("RERUN_FLUSH_NUM_BYTES accepts units and bounds chunk sizes") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "1000");
    ScopedEnv bytes("RERUN_FLUSH_NUM_BYTES", "1kB");
    const auto d = log_scalars(500);
    const auto chunks = d.chunks_of("/s");
    CHECK(chunks.size() > 10);
    uint64_t total = 0;
    for (const auto* c : chunks) {
        CHECK(c->num_rows <= 40);
        total += c->num_rows;
    }
    CHECK(total == 500);
}

TEST_CASE("rows from several threads keep their per-thread order") {
    const rerun::RecordingStream rec("threads");
    auto mem = rec.memory();
    constexpr int kThreads = 4, kRows = 20000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kRows; ++i) {
                rec.set_time_sequence("i", i);
                rec.log("shared", rerun::Scalars(double(t * 1'000'000 + i)));
            }
        });
    }
    for (auto& th : threads)
        th.join();
    const auto d = sdk_test::decode(mem.take());
    std::vector<int64_t> next(kThreads, 0);
    uint64_t rows = 0;
    for (const auto* c : d.chunks_of("/shared")) {
        const auto values = c->find_component("Scalars:scalars")->values_as<double>();
        for (double v : values) {
            const int t = int(v) / 1'000'000;
            const int i = int(v) % 1'000'000;
            REQUIRE(t < kThreads);
            CHECK(i == next[size_t(t)]);
            next[size_t(t)] = i + 1;
            ++rows;
        }
    }
    CHECK(rows == uint64_t(kThreads) * kRows);
    for (int t = 0; t < kThreads; ++t)
        CHECK(next[size_t(t)] == kRows);
}

TEST_CASE("many short-lived threads: every row arrives and nothing stays on the queue's account") {
    // The queue bound is 4 MiB; each thread needs at most a few 64 KiB blocks at a time, even
    // if the batcher never ran while it logged. After each thread, a flush has the batcher
    // retire it, so at most one thread's blocks are on the account: a drop can only mean that
    // blocks of exited threads stayed counted (200 threads x 2-3 blocks would pass 4 MiB).
    // Nothing here depends on how fast the batcher is.
    ScopedEnv queue("RERUN_QUEUE_BYTES", "4MiB");
    const rerun::RecordingStream rec("churn");
    auto mem = rec.memory();
    constexpr int kThreads = 200, kRows = 1500;  // each thread fills more than one 64 KiB block
    for (int t = 0; t < kThreads; ++t) {
        std::thread([&] {
            for (int i = 0; i < kRows; ++i) {
                rec.set_time_sequence("i", i);
                rec.log("churn", rerun::Scalars(double(i)));
            }
        }).join();
        REQUIRE(rec.flush_blocking(30).is_ok());
    }
    const auto d = sdk_test::decode(mem.take());
    const auto stats = rec.stats();
    // Accounting first (holds whatever happened): every call was delivered or counted.
    CHECK(stats.rows_logged + stats.rows_dropped == uint64_t(kThreads) * kRows);
    CHECK(d.rows("/churn") == stats.rows_logged);
    CHECK(stats.rows_dropped == 0);
}

// The batcher reuses its column vectors (and encode buffers) from one flush to the next; each
// chunk must still hold exactly its own rows: no values left over from an earlier flush, offsets
// starting again from 0, lists and strings of other lengths than last time.
TEST_CASE("column storage reused across flushes: every chunk holds exactly its own rows") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "1000");
    const rerun::RecordingStream rec("batching");
    auto mem = rec.memory();
    constexpr int kRounds = 24;
    for (int round = 0; round < kRounds; ++round) {
        // Fewer rows in later rounds than in earlier ones, so that reused vectors are longer
        // than what they must hold.
        const int rows = (round % 3 == 0) ? 200 : 7 + round;
        for (int i = 0; i < rows; ++i) {
            rec.set_time_sequence("i", round * 1000 + i);
            rec.log("s", rerun::Scalars(double(round * 1000 + i)));
            std::vector<rerun::Position3D> points;
            for (int k = 0; k <= (i + round) % 4; ++k)
                points.emplace_back(float(round), float(i), float(k));
            rec.log("p", rerun::Points3D(points));
            rec.log("t",
                    rerun::TextLog(std::string(size_t((i * 7 + round) % 13), char('a' + round))));
        }
        REQUIRE(rec.flush_blocking().is_ok());
    }
    const auto d = sdk_test::decode(mem.take());
    const auto scalars = d.chunks_of("/s");
    const auto points = d.chunks_of("/p");
    const auto texts = d.chunks_of("/t");
    REQUIRE(scalars.size() == kRounds);
    REQUIRE(points.size() == kRounds);
    REQUIRE(texts.size() == kRounds);
    for (int round = 0; round < kRounds; ++round) {
        CAPTURE(round);
        const int rows = (round % 3 == 0) ? 200 : 7 + round;
        const auto* s = scalars[size_t(round)];
        REQUIRE(s->num_rows == uint64_t(rows));
        const auto times = s->find_timeline("i")->values();
        const auto values = s->find_component("Scalars:scalars")->values_as<double>();
        REQUIRE(values.size() == size_t(rows));
        const auto* p = points[size_t(round)];
        REQUIRE(p->num_rows == uint64_t(rows));
        const auto* positions = p->find_component("Points3D:positions");
        const auto xyz = positions->values_as<float>();
        const auto* t = texts[size_t(round)];
        REQUIRE(t->num_rows == uint64_t(rows));
        const auto* text = t->find_component("TextLog:text");
        for (int i = 0; i < rows; ++i) {
            CHECK(times[size_t(i)] == round * 1000 + i);
            CHECK(values[size_t(i)] == double(round * 1000 + i));
            const auto [begin, end] = positions->instance_range(uint64_t(i));
            REQUIRE(end - begin == uint32_t((i + round) % 4 + 1));
            for (uint32_t k = begin; k < end; ++k) {
                CHECK(xyz[3 * k] == float(round));
                CHECK(xyz[3 * k + 1] == float(i));
                CHECK(xyz[3 * k + 2] == float(k - begin));
            }
            const auto [tb, te] = text->instance_range(uint64_t(i));
            REQUIRE(te - tb == 1);
            CHECK(text->string_at(tb) ==
                  std::string(size_t((i * 7 + round) % 13), char('a' + round)));
        }
    }
}

// The batcher sends a row straight to its thread's last group when the row has the same shape
// (entity, static or not, timelines, components) as that thread's last row. Rows of shapes
// changing at random, from two threads that define their timelines in opposite orders (so that
// in one of them the row's time order differs from the chunk's), with flushes in between, with
// components of variable size before the scalar and with one sent as a separate buffer, must each
// land once, in a chunk of exactly their entity, timelines and components, with their own times
// and values.
TEST_CASE("rows of changing shapes each land in a chunk of exactly their shape") {
    ScopedEnv tick("RERUN_FLUSH_TICK_SECS", "1000");
    ScopedEnv rows_env("RERUN_FLUSH_NUM_ROWS", "37");  // flushes in the middle of runs of rows
    enum class Extra {
        None,
        TextAfter,   // Scalars then TextLog (a list of variable length)
        TextBefore,  // TextLog then Scalars: the scalar batch lies after a variable-length one
        Points,      // Scalars then 3000 points: 36 kB, sent as a separate buffer
    };
    struct Expected {
        std::string entity;
        bool is_static = false;
        std::map<std::string, int64_t> times;  // user timelines only
        Extra extra = Extra::None;
    };
    constexpr int kThreads = 2;
    constexpr int kRowsPerThread = 3000;
    constexpr size_t kPoints = 3000;
    const auto text_of = [](int row) {
        return std::string(size_t(row % 7 + 1), char('a' + row % 26));
    };
    std::vector<std::vector<Expected>> expected(kThreads);
    const rerun::RecordingStream rec("batching");
    auto mem = rec.memory();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Thread 0 defines timeline "i" first, thread 1 defines "j" first.
            const std::string first = t == 0 ? "i" : "j", second = t == 0 ? "j" : "i";
            rec.set_time_sequence(first, 0);
            rec.set_time_sequence(second, 0);
            rec.reset_time();
            std::mt19937 random(12345u + uint32_t(t));
            const auto next = [&random](uint32_t n) { return uint32_t(random() % n); };
            std::vector<rerun::Position3D> points(kPoints);
            // The shape changes after a random run of 1 to 8 rows.
            Expected shape;
            int run_left = 0;
            for (int k = 0; k < kRowsPerThread; ++k) {
                if (run_left-- <= 0) {
                    run_left = int(next(8));
                    shape.entity = next(2) == 0 ? "/a" : "/b";
                    shape.is_static = next(10) == 0;
                    shape.extra = Extra(next(4));
                    shape.times.clear();
                    rec.reset_time();
                    const uint32_t timelines = next(4);  // none, first, second, both
                    if (timelines & 1) shape.times[first] = 0;
                    if (timelines & 2) shape.times[second] = 0;
                    if (next(20) == 0) REQUIRE(rec.flush_blocking().is_ok());
                }
                for (const auto& name : {first, second}) {
                    auto it = shape.times.find(name);
                    if (it == shape.times.end()) continue;
                    // Distinct per timeline, so that swapped time columns show.
                    it->second = int64_t(k) * 10 + t + (name == "j" ? 1'000'000 : 0);
                    rec.set_time_sequence(name, it->second);
                }
                const int row = t * kRowsPerThread + k;
                const double value = double(row);
                const auto log = [&](const auto&... archetypes) {
                    if (shape.is_static) {
                        rec.log_static(shape.entity, archetypes...);
                    } else {
                        rec.log(shape.entity, archetypes...);
                    }
                };
                switch (shape.extra) {
                    case Extra::None:
                        log(rerun::Scalars(value));
                        break;
                    case Extra::TextAfter:
                        log(rerun::Scalars(value), rerun::TextLog(text_of(row)));
                        break;
                    case Extra::TextBefore:
                        log(rerun::TextLog(text_of(row)), rerun::Scalars(value));
                        break;
                    case Extra::Points:
                        points.front() = rerun::Position3D(float(row), 0.f, 0.f);
                        log(rerun::Scalars(value), rerun::Points3D(points));
                        break;
                }
                expected[size_t(t)].push_back(shape);
            }
        });
    }
    for (auto& th : threads)
        th.join();
    REQUIRE(rec.flush_blocking().is_ok());
    const auto d = sdk_test::decode(mem.take());
    REQUIRE(d.issues.empty());

    std::vector<int> seen(kThreads * kRowsPerThread, 0);
    for (const auto& message : d.chunks) {
        const auto& chunk = *message.chunk;
        const auto* scalars = chunk.find_component("Scalars:scalars");
        REQUIRE(scalars != nullptr);
        const auto values = scalars->values_as<double>();
        REQUIRE(values.size() == chunk.num_rows);
        const auto* text = chunk.find_component("TextLog:text");
        const auto* positions = chunk.find_component("Points3D:positions");
        for (uint64_t r = 0; r < chunk.num_rows; ++r) {
            const int row = int(values[r]);
            REQUIRE(row >= 0);
            REQUIRE(row < kThreads * kRowsPerThread);
            ++seen[size_t(row)];
            const Expected& e =
                expected[size_t(row / kRowsPerThread)][size_t(row % kRowsPerThread)];
            CAPTURE(row);
            CHECK(chunk.entity_path.to_string() == e.entity);
            CHECK(chunk.is_static == e.is_static);
            const bool with_text = e.extra == Extra::TextAfter || e.extra == Extra::TextBefore;
            CHECK((text != nullptr) == with_text);
            CHECK((positions != nullptr) == (e.extra == Extra::Points));
            if (text != nullptr) {
                const auto [begin, end] = text->instance_range(r);
                REQUIRE(end - begin == 1);
                CHECK(text->string_at(begin) == text_of(row));
            }
            if (positions != nullptr) {
                const auto [begin, end] = positions->instance_range(r);
                REQUIRE(end - begin == kPoints);
                CHECK(positions->values_as<float>()[3 * size_t(begin)] == float(row));
            }
            // Exactly the row's timelines and log_time; none when static.
            if (e.is_static) {
                CHECK(chunk.timelines.empty());
                continue;
            }
            CHECK(chunk.timelines.size() == e.times.size() + 1);
            CHECK(chunk.find_timeline("log_time") != nullptr);
            for (const auto& [name, time] : e.times) {
                const auto* column = chunk.find_timeline(name);
                REQUIRE(column != nullptr);
                CHECK(column->values()[r] == time);
            }
        }
    }
    for (size_t row = 0; row < seen.size(); ++row) {
        CAPTURE(row);
        CHECK(seen[row] == 1);
    }
}
