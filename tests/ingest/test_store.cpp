// Unit tests of the chunk store and the hub: latest-at, range, static, clear, out-of-order
// arrival, duplicates, the memory limit, application ids, and the save/load round trip.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <thread>

#include "rerun/core/codec.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/memory_limit.hpp"
#include "rerun/ingest/rrd_writer.hpp"
#include "rerun/ingest/store.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "test_data.hpp"

using namespace rerun;
using namespace rerun::ingest;
using namespace rerun::ingest::testing;

namespace {

// Built twice: as test_ingest_store (chunks kept as they arrive) and as
// test_ingest_store_compact (every temporal chunk in the compact form), so that every query runs
// over both representations.
StoreOptions store_options() {
    StoreOptions o;
#ifdef RERUN_TEST_COMPACT_ALL
    o.compact_small_rows = true;
    o.compact_min_rows = 1;
    o.expanded_cache_bytes = 4096;  // small: expansions are evicted and redone
#else
    o.compact_small_rows = false;
#endif
    return o;
}
HubOptions hub_options() {
    HubOptions o;
    o.store = store_options();
    return o;
}

const std::string kComp = "Scalars:scalars";

core::EntityPath path(const char* text) {
    return core::EntityPath::parse_lenient(text);
}

std::optional<double> value_at(const RecordingStore& store, const char* entity, int64_t t,
                               const std::string& component = kComp) {
    auto hit = store.latest_at(path(entity), "frame", t, component);
    if (!hit) return std::nullopt;
    return scalar_at(*hit->chunk, *hit->column, hit->row);
}

std::string temp_path(const char* name) {
    return "/tmp/rerun_ingest_test_" + std::to_string(::getpid()) + "_" + name;
}

}  // namespace

TEST_CASE("latest-at returns the greatest time <= t") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    ScalarChunkSpec spec;
    spec.entity = "/a";
    spec.first_time = 10;
    spec.rows = 10;  // times 10..19, values 0..9
    CHECK(store.insert(scalar_chunk(spec)) == InsertResult::Inserted);
    CHECK_FALSE(value_at(store, "/a", 9));
    CHECK(value_at(store, "/a", 10) == 0.0);
    CHECK(value_at(store, "/a", 15) == 5.0);
    CHECK(value_at(store, "/a", 1000) == 9.0);
    CHECK_FALSE(store.latest_at(path("/a"), "other_timeline", 15, kComp));
    CHECK_FALSE(store.latest_at(path("/b"), "frame", 15, kComp));
    CHECK_FALSE(store.latest_at(path("/a"), "frame", 15, "nope"));
}

TEST_CASE("a chunk whose index would dwarf its data is refused; a wide legitimate one is not") {
    // One row, T timelines x C components: T x C index entries from T + C small columns.
    const auto wide_chunk = [](size_t timelines, size_t components) {
        auto chunk =
            std::make_shared<core::Chunk>(*scalar_chunk_at("/wide", "t0", {1}, {1.0}, "c0"));
        for (size_t t = 1; t < timelines; ++t) {
            chunk->timelines.push_back(
                {core::Timeline{"t" + std::to_string(t), core::TimeType::Sequence},
                 core::Buffer::from_vector(std::vector<int64_t>{1})});
        }
        for (size_t c = 1; c < components; ++c) {
            core::ComponentColumn col = chunk->components[0];
            col.descriptor.component = "c" + std::to_string(c);
            chunk->components.push_back(std::move(col));
        }
        return chunk;
    };
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    std::string error;
    CHECK(store.insert(wide_chunk(400, 400), &error) == InsertResult::Invalid);
    CHECK(error.find("160000 index entries") != std::string::npos);
    CHECK(store.stats().rows == 0);
    error.clear();
    CHECK(store.insert(wide_chunk(16, 1000), &error) == InsertResult::Inserted);
    CHECK(error.empty());
    CHECK(store.latest_at(path("/wide"), "t15", 1, "c999"));
}

TEST_CASE("latest-at: equal times are decided by the row id, across chunks") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    auto first = scalar_chunk_at("/a", "frame", {5}, {1.0});
    auto second = scalar_chunk_at("/a", "frame", {5}, {2.0});  // made later: greater row id
    // Arrival order must not matter.
    store.insert(second);
    store.insert(first);
    CHECK(value_at(store, "/a", 5) == 2.0);
}

TEST_CASE("out-of-order arrival: chunks and unsorted rows") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {20, 21, 22}, {20, 21, 22}));
    store.insert(scalar_chunk_at("/a", "frame", {7, 1, 3}, {7, 1, 3}));  // unsorted
    store.insert(scalar_chunk_at("/a", "frame", {0, 100}, {0, 100}));    // spans the others
    CHECK(value_at(store, "/a", 0) == 0.0);
    CHECK(value_at(store, "/a", 2) == 1.0);
    CHECK(value_at(store, "/a", 5) == 3.0);
    CHECK(value_at(store, "/a", 19) == 7.0);
    CHECK(value_at(store, "/a", 21) == 21.0);
    CHECK(value_at(store, "/a", 99) == 22.0);
    CHECK(value_at(store, "/a", 100) == 100.0);

    const auto r = store.range(path("/a"), "frame", 1, 21, kComp);
    std::vector<int64_t> times;
    for (const auto& h : r.hits)
        times.push_back(h.time);
    CHECK(times == std::vector<int64_t>{1, 3, 7, 20, 21});
    for (const auto& h : r.hits) {
        CHECK(scalar_at(*r.chunks[h.chunk], *r.columns[h.chunk], h.row) == double(h.time));
    }
    const auto tl = store.timelines();
    REQUIRE(tl.size() == 1);
    CHECK(tl[0].min == 0);
    CHECK(tl[0].max == 100);
}

namespace {

// Chunk k holds times 10k and 10k+3 (every 500th also 10k+25001, spanning 2500 others); every
// value is its time, so a scalar read back names the row it came from.
core::ChunkPtr numbered_chunk(int64_t k) {
    std::vector<int64_t> times{10 * k, 10 * k + 3};
    if (k % 500 == 0) times.push_back(10 * k + 25001);
    return scalar_chunk_at("/a", "frame", times, std::vector<double>(times.begin(), times.end()));
}

// Whether a latest-at answer is the greatest of the sorted `times` <= t (none if there is none).
bool latest_matches(std::optional<double> got, const std::vector<int64_t>& times, int64_t t) {
    const auto it = std::upper_bound(times.begin(), times.end(), t);
    if (it == times.begin()) return !got.has_value();
    return got.has_value() && *got == double(*(it - 1));
}

// Inserts chunks 0..n-1 in `order` and compares latest-at and range answers with a brute force
// over the inserted times.
void check_arrival_order(const std::vector<int64_t>& order) {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    std::vector<int64_t> all;
    size_t mismatches = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        const auto chunk = numbered_chunk(order[i]);
        for (const int64_t t : chunk->timelines[0].values())
            all.push_back(t);
        REQUIRE(store.insert(chunk) == InsertResult::Inserted);
        if (i % 997 == 0) {  // queries between inserts too, with side runs of every size
            std::vector<int64_t> so_far = all;
            std::sort(so_far.begin(), so_far.end());
            for (int64_t t = -5; t <= so_far.back() + 5; t += so_far.back() / 50 + 1) {
                if (!latest_matches(value_at(store, "/a", t), so_far, t)) ++mismatches;
            }
        }
    }
    CHECK(mismatches == 0);
    std::sort(all.begin(), all.end());
    for (int64_t t = -5; t <= all.back() + 5; t += 7) {
        if (!latest_matches(value_at(store, "/a", t), all, t)) ++mismatches;
    }
    CHECK(mismatches == 0);
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200; ++i) {
        int64_t t0 = int64_t(rng() % uint64_t(all.back() + 10)) - 5;
        int64_t t1 = t0 + int64_t(rng() % 3000);
        const auto r = store.range(path("/a"), "frame", t0, t1, kComp);
        std::vector<int64_t> got;
        for (const auto& h : r.hits) {
            got.push_back(h.time);
            if (scalar_at(*r.chunks[h.chunk], *r.columns[h.chunk], h.row) != double(h.time))
                ++mismatches;
        }
        const std::vector<int64_t> want(std::lower_bound(all.begin(), all.end(), t0),
                                        std::upper_bound(all.begin(), all.end(), t1));
        if (got != want) ++mismatches;
    }
    CHECK(mismatches == 0);
    const auto tl = store.timelines();
    REQUIRE(tl.size() == 1);
    CHECK(tl[0].min == all.front());
    CHECK(tl[0].max == all.back());
}

}  // namespace

TEST_CASE("out-of-order arrival at scale: any order answers like in order") {
    constexpr int64_t n = 4000;
    std::vector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    SUBCASE("in order") {
        check_arrival_order(order);
    }
    SUBCASE("reversed") {
        std::reverse(order.begin(), order.end());
        check_arrival_order(order);
    }
    SUBCASE("reversed, 20000 chunks (side runs bounded by sqrt of the index, not by 64)") {
        std::vector<int64_t> many(20000);
        std::iota(many.rbegin(), many.rend(), 0);
        check_arrival_order(many);
    }
    SUBCASE("a sender lagging 150 chunks behind another") {
        std::vector<int64_t> lagging;
        for (int64_t k = 0; k < n; k += 2) {
            lagging.push_back(k);
            if (k >= 300) lagging.push_back(k - 299);
        }
        for (int64_t k = n - 299; k < n; k += 2)
            lagging.push_back(k);
        REQUIRE(lagging.size() == size_t(n));
        check_arrival_order(lagging);
    }
    SUBCASE("shuffled") {
        std::shuffle(order.begin(), order.end(), std::mt19937_64(42));
        check_arrival_order(order);
    }
    SUBCASE("two files of one recording, one after the other") {
        std::stable_partition(order.begin(), order.end(), [](int64_t k) { return k % 2 == 0; });
        check_arrival_order(order);
    }
    SUBCASE("nearly in order: neighbours swapped") {
        for (size_t i = 0; i + 1 < order.size(); i += 3)
            std::swap(order[i], order[i + 1]);
        check_arrival_order(order);
    }
}

TEST_CASE("out-of-order arrival: equal times across the index's runs are decided by row id") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    // Made first (smallest row id), inserted last: loses every tie.
    const auto early = scalar_chunk_at("/a", "frame", {20}, {-1});
    for (int64_t t = 0; t < 400; ++t)
        store.insert(scalar_chunk_at("/a", "frame", {t}, {double(t)}));
    // Made last (greatest row id), far before the end: into the side run, and wins its tie.
    store.insert(scalar_chunk_at("/a", "frame", {10}, {1000}));
    store.insert(early);
    CHECK(value_at(store, "/a", 10) == 1000.0);
    CHECK(value_at(store, "/a", 20) == 20.0);
    CHECK(value_at(store, "/a", 399) == 399.0);
    const auto r = store.range(path("/a"), "frame", 10, 20, kComp);
    std::vector<double> values;
    for (const auto& h : r.hits)
        values.push_back(scalar_at(*r.chunks[h.chunk], *r.columns[h.chunk], h.row));
    CHECK(values == std::vector<double>{10, 1000, 11, 12, 13, 14, 15, 16, 17, 18, 19, -1, 20});
    // range_delta sees the side run's chunks too.
    const auto d = store.range_delta(path("/a"), "frame", 10, 10, kComp, 400, true);
    CHECK(d.rows.hits.size() == 2);
    CHECK(d.added.size() == 2);  // the two inserted last
    CHECK(d.kept == 400);
    CHECK(d.min_time == 0);
}

TEST_CASE("out-of-order arrival: a recursive Clear that arrives late still clears") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    for (int64_t t = 1000; t < 1200; ++t)  // many clears of /p, in order
        store.insert(clear_chunk("/p", "frame", {t}, /*recursive=*/false));
    store.insert(scalar_chunk_at("/p/c", "frame", {5, 20}, {5, 20}));
    store.insert(clear_chunk("/p", "frame", {10}, /*recursive=*/true));  // far before the end
    CHECK(value_at(store, "/p/c", 9) == 5.0);
    CHECK_FALSE(value_at(store, "/p/c", 15));
    CHECK(value_at(store, "/p/c", 20) == 20.0);
}

TEST_CASE("memory limit over chunks that arrived out of order: queries stay consistent") {
    StoreHub hub(hub_options());
    hub.handle("test", store_info("r", "app"));
    std::vector<int64_t> order(3000);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(3));
    hub.set_memory_limit(300'000);
    for (const int64_t k : order)
        hub.handle("test", chunk_message("r", numbered_chunk(k)));
    auto store = hub.find({core::StoreKind::Recording, "r"});
    REQUIRE(store);
    CHECK(store->stats().dropped_rows > 0);
    // What range() still sees, latest-at must agree with.
    const auto r = store->range(path("/a"), "frame", core::kTimeMin, core::kTimeMax, kComp);
    REQUIRE_FALSE(r.hits.empty());
    std::vector<int64_t> kept;
    for (const auto& h : r.hits)
        kept.push_back(h.time);
    CHECK(std::is_sorted(kept.begin(), kept.end()));
    size_t mismatches = 0;
    for (int64_t t = kept.front() - 2; t <= kept.back() + 2; t += 3) {
        if (!latest_matches(value_at(*store, "/a", t), kept, t)) ++mismatches;
    }
    CHECK(mismatches == 0);
    const auto tl = store->timelines();
    REQUIRE(tl.size() == 1);
    CHECK(tl[0].min == kept.front());
    CHECK(tl[0].max == kept.back());
}

TEST_CASE("range is inclusive and skips absent rows") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    auto chunk = std::const_pointer_cast<core::Chunk>(
        scalar_chunk_at("/a", "frame", {1, 2, 3, 4}, {1, 2, 3, 4}));
    // Row 1 absent: it has no instance, so the column needs row offsets.
    chunk->components[0].validity = core::Buffer::from_vector(std::vector<uint8_t>{1, 0, 1, 1});
    chunk->components[0].row_offsets =
        core::Buffer::from_vector(std::vector<uint32_t>{0, 1, 1, 2, 3});
    chunk->components[0].values = core::Buffer::from_vector(std::vector<double>{1, 3, 4});
    REQUIRE(chunk->validate().empty());
    store.insert(chunk);
    const auto r = store.range(path("/a"), "frame", 2, 3, kComp);
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].time == 3);
    CHECK(store.range(path("/a"), "frame", 5, 9, kComp).hits.empty());
    CHECK(store.range(path("/a"), "frame", 3, 2, kComp).hits.empty());
    // Latest-at skips the absent row too.
    CHECK(value_at(store, "/a", 2) == 1.0);
}

TEST_CASE("range_delta: the rows of range(), their chunks, and what changed since a snapshot") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    auto all_rows = [&](const RangeDelta& d) {
        std::vector<int64_t> times;
        for (const auto& h : d.rows.hits)
            times.push_back(h.time);
        return times;
    };
    store.insert(scalar_chunk_at("/a", "frame", {10, 11, 12}, {10, 11, 12}));
    store.insert(scalar_chunk_at("/a", "frame", {13, 14}, {13, 14}));
    store.insert(scalar_chunk_at("/a", "frame", {5, 20}, {5, 20}));  // overlaps both

    // Everything is "added" since seq 0, by insertion order.
    const auto d0 = store.range_delta(path("/a"), "frame", 11, 13, kComp, 0, true);
    CHECK(all_rows(d0) == std::vector<int64_t>{11, 12, 13});
    const auto r = store.range(path("/a"), "frame", 11, 13, kComp);
    REQUIRE(r.hits.size() == d0.rows.hits.size());
    REQUIRE(d0.chunk_seqs.size() == d0.rows.chunks.size());
    REQUIRE(d0.added.size() == 3);
    CHECK(d0.added[0].seq < d0.added[1].seq);
    CHECK(d0.added[1].seq < d0.added[2].seq);
    CHECK(d0.added[0].min == 10);
    CHECK(d0.added[0].max == 12);
    CHECK(d0.added[0].rows == 3);
    CHECK(d0.added[2].min == 5);
    CHECK(d0.added[2].max == 20);
    CHECK(d0.kept == 0);
    CHECK(d0.min_time == 5);
    CHECK(d0.next_seq > d0.added[2].seq);
    // Each result chunk's seq names the chunk it came from: rows 11, 12 from the first chunk.
    for (size_t i = 0; i < d0.rows.hits.size(); ++i) {
        const auto& h = d0.rows.hits[i];
        const uint64_t seq = d0.chunk_seqs[h.chunk];
        CHECK(seq == (h.time <= 12 ? d0.added[0].seq : d0.added[1].seq));
    }
    // Without chunk bookkeeping: the same rows, nothing else.
    const auto lean = store.range_delta(path("/a"), "frame", 11, 13, kComp, 0, false);
    CHECK(all_rows(lean) == all_rows(d0));
    CHECK(lean.added.empty());
    // An empty interval gives the bookkeeping alone.
    const auto none = store.range_delta(path("/a"), "frame", 1, 0, kComp, d0.next_seq, true);
    CHECK(none.rows.hits.empty());
    CHECK(none.added.empty());
    CHECK(none.kept == 3);
    CHECK(none.kept_min_seq == d0.added[0].seq);

    // New chunks are "added" after the snapshot; evicted ones leave "kept".
    store.insert(scalar_chunk_at("/a", "frame", {30, 31}, {30, 31}));
    const auto d1 = store.range_delta(path("/a"), "frame", 0, 100, kComp, d0.next_seq, true);
    CHECK(all_rows(d1) == std::vector<int64_t>{5, 10, 11, 12, 13, 14, 20, 30, 31});
    REQUIRE(d1.added.size() == 1);
    CHECK(d1.added[0].min == 30);
    CHECK(d1.kept == 3);
    // Rows of the snapshot's chunks only: the one inserted since is left out.
    const auto snap = store.range_delta(path("/a"), "frame", 0, 100, kComp, 0, false, d0.next_seq);
    CHECK(all_rows(snap) == std::vector<int64_t>{5, 10, 11, 12, 13, 14, 20});
    for (const uint64_t seq : snap.chunk_seqs)
        CHECK(seq < d0.next_seq);
    // Evict the oldest chunk (the latest value of the component lives in the newest one).
    CHECK(store.evict_oldest(store.bytes() - 1) > 0);
    const auto d2 = store.range_delta(path("/a"), "frame", 0, 100, kComp, d1.next_seq, true);
    CHECK(d2.added.empty());
    CHECK(d2.kept == 3);
    CHECK(d2.kept_min_seq == d0.added[1].seq);
    CHECK(all_rows(d2) == std::vector<int64_t>{5, 13, 14, 20, 30, 31});
    CHECK(d2.next_seq == d1.next_seq);

    // Unknown entity, timeline or component: empty; static: the static row, flagged.
    CHECK(store.range_delta(path("/b"), "frame", 0, 100, kComp, 0, true).rows.hits.empty());
    CHECK(store.range_delta(path("/a"), "other", 0, 100, kComp, 0, true).added.empty());
    ScalarChunkSpec spec;
    spec.entity = "/s";
    spec.is_static = true;
    spec.rows = 1;
    store.insert(scalar_chunk(spec));
    const auto st = store.range_delta(path("/s"), "frame", 0, 100, kComp, 0, true);
    CHECK(st.rows.is_static);
    CHECK(st.rows.hits.size() == 1);
    CHECK(st.added.empty());
}

TEST_CASE("static data wins over temporal data, at every time") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {1, 2}, {1, 2}));
    ScalarChunkSpec spec;
    spec.entity = "/a";
    spec.is_static = true;
    spec.rows = 1;
    spec.first_value = 42;
    store.insert(scalar_chunk(spec));
    store.insert(
        scalar_chunk_at("/a", "frame", {3}, {3}));  // newer temporal data: static still wins
    CHECK(value_at(store, "/a", -100) == 42.0);
    CHECK(value_at(store, "/a", 3) == 42.0);
    auto hit = store.latest_at(path("/a"), "frame", 3, kComp);
    REQUIRE(hit);
    CHECK(hit->is_static);
    // A newer static row replaces the older.
    spec.first_value = 43;
    store.insert(scalar_chunk(spec));
    CHECK(value_at(store, "/a", 0) == 43.0);
    const auto r = store.range(path("/a"), "frame", 0, 10, kComp);
    CHECK(r.is_static);
    CHECK(r.hits.size() == 1);
}

TEST_CASE("Clear clears its entity from its time on; recursive clears descendants") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {1}, {1}));
    store.insert(scalar_chunk_at("/a/b", "frame", {1}, {11}));
    store.insert(scalar_chunk_at("/a/b/c", "frame", {1}, {111}));
    store.insert(clear_chunk("/a", "frame", {5}, /*recursive=*/false));

    CHECK(value_at(store, "/a", 4) == 1.0);
    CHECK_FALSE(value_at(store, "/a", 5));
    CHECK_FALSE(value_at(store, "/a", 50));
    CHECK(value_at(store, "/a/b", 50) == 11.0);  // not recursive

    store.insert(scalar_chunk_at("/a", "frame", {7}, {7}));  // logged again after the clear
    CHECK_FALSE(value_at(store, "/a", 6));
    CHECK(value_at(store, "/a", 7) == 7.0);

    store.insert(clear_chunk("/a", "frame", {10}, /*recursive=*/true));
    CHECK(value_at(store, "/a/b", 9) == 11.0);
    CHECK_FALSE(value_at(store, "/a/b", 10));
    CHECK_FALSE(value_at(store, "/a/b/c", 10));
    CHECK_FALSE(value_at(store, "/a", 10));
    // The clear itself is visible as its own component.
    CHECK(store.latest_at(path("/a"), "frame", 10, std::string(kClearComponent)));
    // Range does not apply clears: plots show what was logged.
    CHECK(store.range(path("/a/b"), "frame", 0, 100, kComp).hits.size() == 1);
}

TEST_CASE("latest_at_entity: every component at once, Clear applied") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {1}, {1}, "A:x"));
    store.insert(scalar_chunk_at("/a", "frame", {2}, {2}, "A:y"));
    auto values = store.latest_at_entity(path("/a"), "frame", 1);
    REQUIRE(values.size() == 1);
    CHECK(values[0].descriptor.component == "A:x");
    values = store.latest_at_entity(path("/a"), "frame", 5);
    REQUIRE(values.size() == 2);
    CHECK(scalar_at(*values[1].row.chunk, *values[1].row.column, values[1].row.row) == 2.0);
    store.insert(clear_chunk("/", "frame", {3}, true));
    CHECK(store.latest_at_entity(path("/a"), "frame", 5).empty());
    CHECK(store.latest_at_entity(path("/nope"), "frame", 5).empty());
    // The clear itself shows at the entity that logged it.
    values = store.latest_at_entity(path("/"), "frame", 5);
    REQUIRE(values.size() == 1);
    CHECK(values[0].descriptor.component == std::string(kClearComponent));
}

TEST_CASE("Clear at the same time as data: the greater row id wins") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {5}, {1}));
    store.insert(clear_chunk("/a", "frame", {5}, false));  // newer row id
    CHECK_FALSE(value_at(store, "/a", 5));
    store.insert(scalar_chunk_at("/a", "frame", {5}, {2}));  // newer still
    CHECK(value_at(store, "/a", 5) == 2.0);
}

TEST_CASE("a static recursive Clear clears temporal data of descendants") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a/b", "frame", {1}, {1}));
    store.insert(clear_chunk("/a", "frame", {}, /*recursive=*/true));
    CHECK_FALSE(value_at(store, "/a/b", 1));
    // Static data logged after the static clear survives it.
    ScalarChunkSpec spec;
    spec.entity = "/a/b";
    spec.is_static = true;
    spec.rows = 1;
    spec.first_value = 9;
    store.insert(scalar_chunk(spec));
    CHECK(value_at(store, "/a/b", 1) == 9.0);
}

TEST_CASE("the same chunk id is stored once") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    auto chunk = scalar_chunk(ScalarChunkSpec{});
    CHECK(store.insert(chunk) == InsertResult::Inserted);
    CHECK(store.insert(chunk) == InsertResult::Duplicate);
    const auto st = store.stats();
    CHECK(st.rows == 10);
    CHECK(st.duplicate_chunks == 1);
    CHECK(
        store.range(path("/series"), "frame", core::kTimeMin, core::kTimeMax, kComp).hits.size() ==
        10);
}

TEST_CASE("a component arriving with another element type is ignored and reported") {
    RecordingStore store({core::StoreKind::Recording, "r"}, store_options());
    store.insert(scalar_chunk_at("/a", "frame", {1}, {1}));
    auto other = std::make_shared<core::Chunk>();
    other->id = core::Tuid::make();
    other->entity_path = path("/a");
    other->num_rows = 1;
    other->row_ids = core::Buffer::from_vector(std::vector<core::Tuid>{core::Tuid::make()});
    other->timelines.push_back(
        {{"frame", core::TimeType::Sequence}, core::Buffer::from_vector(std::vector<int64_t>{2})});
    core::ComponentColumn col;
    col.descriptor.component = kComp;
    col.type = {core::ElementKind::Fixed, core::ScalarType::F32, 1};
    col.num_rows = 1;
    col.values = core::Buffer::from_vector(std::vector<float>{2.f});
    other->components.push_back(col);
    REQUIRE(other->validate().empty());
    store.insert(other);
    CHECK(value_at(store, "/a", 2) == 1.0);
    CHECK(store.stats().ignored_columns == 1);
    CHECK_FALSE(store.stats().conflicts.empty());
}

TEST_CASE("memory limit: oldest rows go first, static data and latest values stay") {
    StoreHub hub(hub_options());
    hub.handle("test", store_info("r", "app"));
    ScalarChunkSpec st;
    st.entity = "/static";
    st.is_static = true;
    st.rows = 1;
    st.first_value = 7;
    hub.handle("test", chunk_message("r", scalar_chunk(st)));
    // An entity logged once, long ago: its only chunk holds its latest value.
    hub.handle("test", chunk_message("r", scalar_chunk_at("/once", "frame", {0}, {5})));

    hub.set_memory_limit(200'000);
    uint64_t rows_sent = 0;
    for (int i = 0; i < 200; ++i) {
        ScalarChunkSpec spec;
        spec.entity = "/stream";
        spec.rows = 100;
        spec.first_time = i * 100;
        spec.first_value = double(i * 100);
        hub.handle("test", chunk_message("r", scalar_chunk(spec)));
        rows_sent += 100;
        CHECK(hub.stats().bytes <= 200'000);
    }
    auto store = hub.find({core::StoreKind::Recording, "r"});
    REQUIRE(store);
    const auto stats = store->stats();
    CHECK(stats.dropped_rows > 0);
    CHECK(stats.dropped_bytes > 0);
    CHECK(stats.rows + stats.dropped_rows == rows_sent + 2);
    CHECK(value_at(*store, "/static", 0) == 7.0);
    CHECK(value_at(*store, "/once", 1'000'000) == 5.0);
    CHECK(value_at(*store, "/stream", 1'000'000) == double(rows_sent - 1));
    // What is left is the newest data, contiguous up to the end.
    const auto tl = store->timelines();
    REQUIRE(tl.size() == 1);
    CHECK(tl[0].max == int64_t(rows_sent - 1));
    const auto r = store->range(path("/stream"), "frame", core::kTimeMin, core::kTimeMax, kComp);
    REQUIRE_FALSE(r.hits.empty());
    CHECK(r.hits.back().time == int64_t(rows_sent - 1));
    CHECK(r.hits.size() == r.hits.back().time - r.hits.front().time + 1);
}

TEST_CASE("memory limit: chunks kept long do not keep the decoder's slabs alive") {
    // A bulky stream, as the TCP server and file loader decode it: ~1 MB image-like chunks, and
    // after each a one-row chunk of an entity that is never logged again (every other one
    // static). The decoder carves both from shared 8 MiB slabs; the memory limit evicts the big
    // ones but keeps each small one (static, or its entity's latest value). Kept in place, each
    // would keep its whole slab alive: the memory held would grow with the stream, far past the
    // limit, while the store counted only its small chunks.
    constexpr uint64_t kLimit = 32 << 20;
    constexpr int kBig = 160;
    core::Bytes stream;
    core::append_frame(stream, store_info("r", "app"));
    for (int i = 0; i < kBig; ++i) {
        ScalarChunkSpec big;
        big.entity = "/images";
        big.rows = 1000;
        big.blob_bytes = 1000;
        big.first_time = int64_t(i) * 1000;
        core::append_frame(stream, chunk_message("r", scalar_chunk(big)));
        ScalarChunkSpec once;
        once.entity = "/once/" + std::to_string(i);
        once.rows = 1;
        once.first_time = int64_t(i) * 1000;
        once.first_value = double(i);
        once.is_static = i % 2 == 1;
        core::append_frame(stream, chunk_message("r", scalar_chunk(once)));
    }
    StoreHub hub(hub_options());
    hub.set_memory_limit(kLimit);
    SourceSession source(hub, "stream");
    core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
    std::vector<std::weak_ptr<uint8_t[]>> slabs;
    decoder.set_slab_source([&] {
        auto slab = core::FrameDecoder::new_slab(false);
        slabs.push_back(slab);
        return slab;
    });
    for (size_t at = 0; at < stream.size(); at += size_t(1) << 20) {
        decoder.feed({stream.data() + at, std::min(stream.size() - at, size_t(1) << 20)});
        while (auto event = decoder.next()) {
            auto* frame = std::get_if<core::DecodedFrame>(&*event);
            REQUIRE(frame);
            source.handle(std::move(frame->message));
        }
    }
    REQUIRE(slabs.size() > 15);  // the stream went through slabs
    const auto live = size_t(std::count_if(slabs.begin(), slabs.end(),
                                           [](const auto& slab) { return !slab.expired(); }));
    CAPTURE(live);
    CAPTURE(slabs.size());
    // The slabs of the chunks within the limit, the decoder's current one, and one partly evicted.
    CHECK(live * core::FrameDecoder::kSlabBytes <= kLimit + 2 * core::FrameDecoder::kSlabBytes);
    auto store = hub.find({core::StoreKind::Recording, "r"});
    REQUIRE(store);
    CHECK(store->stats().dropped_rows > 0);
    CHECK(hub.stats().bytes <= kLimit);
    for (int i = 0; i < kBig; ++i) {  // every small value is still there, copied or not
        const auto entity = "/once/" + std::to_string(i);
        CHECK(value_at(*store, entity.c_str(), int64_t(kBig) * 1000) == double(i));
    }
}

TEST_CASE("hub: one store per StoreId, application id conflicts reported") {
    StoreHub hub(hub_options());
    hub.handle("src1", store_info("rec", "app"));
    hub.handle("src2", store_info("rec", "app"));
    hub.handle("src3", store_info("rec", "other_app"));
    hub.handle("src4", store_info("rec", "app", core::StoreKind::Blueprint));
    hub.handle("src1", chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    hub.handle("src2", chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    REQUIRE(hub.stores().size() == 2);
    auto store = hub.find({core::StoreKind::Recording, "rec"});
    REQUIRE(store);
    const auto st = store->stats();
    CHECK(st.application_id == "app");
    CHECK(st.rows == 20);
    CHECK(st.sources.size() == 3);
    REQUIRE(st.conflicts.size() == 1);
    CHECK(st.conflicts[0].find("other_app") != std::string::npos);
    // A chunk before any StoreInfo creates the store with an unknown application id.
    hub.handle("src5", chunk_message("late", scalar_chunk(ScalarChunkSpec{})));
    CHECK(hub.find({core::StoreKind::Recording, "late"})->application_id().empty());
}

TEST_CASE("hub: a flood of blueprint activations keeps only the last ones") {
    StoreHub hub(hub_options());
    hub.handle("bp", store_info("bp1", "app", core::StoreKind::Blueprint));
    constexpr size_t kSent = StoreHub::kKeptActivations * 3 + 5;
    for (size_t i = 0; i < kSent; ++i) {
        // make_default marks the last one.
        hub.handle("bp", core::BlueprintActivation{
                             {core::StoreKind::Blueprint, "bp1"}, true, i + 1 == kSent});
    }
    size_t next = 0;
    const auto all = hub.blueprint_activations(0, &next);
    CHECK(next == kSent);
    REQUIRE(all.size() == StoreHub::kKeptActivations);
    CHECK(all.back().make_default);
    // A reader that had seen up to a kept one gets the rest; one at the end gets nothing.
    const auto rest = hub.blueprint_activations(kSent - 3, &next);
    CHECK(rest.size() == 3);
    CHECK(rest.back().make_default);
    CHECK(next == kSent);
    CHECK(hub.blueprint_activations(kSent, &next).empty());
    CHECK(next == kSent);
}

TEST_CASE("hub: blueprint activations and end of stream") {
    StoreHub hub(hub_options());
    hub.handle("bp", store_info("bp1", "app", core::StoreKind::Blueprint));
    hub.handle("bp", core::BlueprintActivation{{core::StoreKind::Blueprint, "bp1"}, true, false});
    hub.handle("bp", core::EndOfStream{{core::StoreKind::Blueprint, "bp1"}});
    const auto activations = hub.blueprint_activations();
    REQUIRE(activations.size() == 1);
    CHECK(activations[0].make_active);
    // From the n-th on: only what a reader that has seen n has not.
    hub.handle("bp", core::BlueprintActivation{{core::StoreKind::Blueprint, "bp1"}, false, true});
    const auto fresh = hub.blueprint_activations(1);
    REQUIRE(fresh.size() == 1);
    CHECK(fresh[0].make_default);
    CHECK(hub.blueprint_activations(2).empty());
    CHECK(hub.blueprint_activations(7).empty());
    CHECK(hub.blueprint_activations().size() == 2);
    size_t next = 0;
    CHECK(hub.blueprint_activations(2, &next).empty());
    CHECK(next == 2);
    auto store = hub.find({core::StoreKind::Blueprint, "bp1"});
    REQUIRE(store);
    const auto st = store->stats();
    REQUIRE(st.sources.size() == 1);
    CHECK(st.sources[0].ended);
}

TEST_CASE("hub: the end of a store nobody created creates nothing") {
    StoreHub hub(hub_options());
    for (int i = 0; i < 100; ++i)
        hub.handle("x", core::EndOfStream{{core::StoreKind::Recording, "r" + std::to_string(i)}});
    CHECK(hub.stores().empty());
    SourceSession session(hub, "s");
    for (int i = 0; i < 100; ++i)
        session.handle(core::EndOfStream{{core::StoreKind::Recording, "q" + std::to_string(i)}});
    CHECK(hub.stores().empty());
}

TEST_CASE("hub: generation and wait_for_change") {
    StoreHub hub(hub_options());
    std::atomic<int> calls{0};
    hub.set_change_callback([&] { calls.fetch_add(1); });
    const uint64_t g0 = hub.generation();
    std::thread t([&] { hub.handle("t", chunk_message("r", scalar_chunk(ScalarChunkSpec{}))); });
    const uint64_t g1 = hub.wait_for_change(g0, std::chrono::seconds(10));
    t.join();
    CHECK(g1 != g0);
    CHECK(calls.load() > 0);
}

TEST_CASE("queries while another thread inserts") {
    StoreHub hub(hub_options());
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int i = 0; i < 300; ++i) {
            ScalarChunkSpec spec;
            spec.entity = i % 2 ? "/a/x" : "/a/y";
            spec.rows = 50;
            spec.first_time = i * 50;
            hub.handle("w", chunk_message("r", scalar_chunk(spec)));
            if (i % 50 == 0)
                hub.handle("w", chunk_message("r", clear_chunk("/a", "frame", {i * 50}, true)));
        }
        done = true;
    });
    uint64_t seen = 0;
    while (!done.load()) {
        for (const auto& store : hub.stores()) {
            for (const auto& e : store->entity_paths()) {
                auto hit = store->latest_at(e, "frame", 5000, kComp);
                if (hit) seen += hit->row < hit->chunk->num_rows;
                seen += store->range(e, "frame", 0, 3000, kComp).hits.size() > 0;
            }
        }
    }
    writer.join();
    CHECK(hub.find({core::StoreKind::Recording, "r"})->stats().rows == 300 * 50 + 6);
    CHECK(seen >= 0);
}

TEST_CASE("save and load: a saved stream reads back as the same recording") {
    const std::string file = temp_path("save.rrd");
    {
        std::string error;
        auto writer = RrdWriter::create(file, &error);
        REQUIRE(writer);
        StoreHub hub(hub_options());
        hub.set_writer(writer);
        // A chunk before its StoreInfo: the writer puts a StoreInfo first anyway.
        hub.handle("a", chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
        hub.handle("a", store_info("rec", "app"));
        auto dup = scalar_chunk(ScalarChunkSpec{});
        hub.handle("a", chunk_message("rec", dup));
        hub.handle("b", chunk_message("rec", dup));  // duplicate: not saved twice
    }
    StoreHub hub(hub_options());
    const auto p = load_file(hub, file);
    CHECK(p.done);
    CHECK_FALSE(p.failed);
    CHECK(p.issues == 0);
    CHECK(p.frames == 4);  // synthesised info, chunk, info, chunk
    auto store = hub.find({core::StoreKind::Recording, "rec"});
    REQUIRE(store);
    CHECK(store->stats().rows == 20);
    CHECK(store->application_id() == "app");
    CHECK(store->stats().conflicts.empty());
    std::remove(file.c_str());
}

TEST_CASE(
    "file loader, following: a zero frame header is waited for, or damage once the writer is "
    "gone") {
    // Frames: store info, A, B, C (10 rows each); B's header is zeros, as while the SDK writes a
    // large frame whose header comes after its payload.
    core::Bytes bytes;
    core::append_file_header(bytes);
    core::append_frame(bytes, store_info("rec", "app"));
    core::append_frame(bytes, chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    const size_t b_at = bytes.size();
    core::append_frame(bytes, chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    core::append_frame(bytes, chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    const std::vector<uint8_t> b_header(
        bytes.begin() + ptrdiff_t(b_at),
        bytes.begin() + ptrdiff_t(b_at + core::wire::kFrameHeaderSize));
    std::fill(bytes.begin() + ptrdiff_t(b_at),
              bytes.begin() + ptrdiff_t(b_at + core::wire::kFrameHeaderSize), uint8_t(0));

    for (const bool written : {true, false}) {
        CAPTURE(written);
        const std::string file = temp_path("zero_header.rrd");
        {
            std::ofstream out(file, std::ios::binary);
            out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        }
        StoreHub hub(hub_options());
        FileLoaderOptions options;
        options.follow = true;
        options.follow_poll = std::chrono::milliseconds(5);
        options.follow_zero_header_patience =
            written ? std::chrono::milliseconds(60'000) : std::chrono::milliseconds(200);
        FileLoader loader(hub, options);
        REQUIRE(loader.open(file));
        const auto rows = [&hub] {
            auto store = hub.find({core::StoreKind::Recording, "rec"});
            return store ? store->stats().rows : 0;
        };
        // Bounded waits (guards, not timing checks).
        const auto wait_until = [](auto pred) {
            for (int i = 0; i < 2000 && !pred(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return pred();
        };
        if (written) {
            REQUIRE(wait_until([&] { return loader.progress()[0].frames == 2; }));
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            CHECK(loader.progress()[0].frames == 2);  // waits at B, C held back
            CHECK(rows() == 10);
            // The writer writes B's header, in two steps: half of it is not taken for a header.
            const auto write_at = [&](size_t offset, size_t n) {
                FILE* f = std::fopen(file.c_str(), "r+b");
                REQUIRE(f != nullptr);
                std::fseek(f, long(b_at + offset), SEEK_SET);
                std::fwrite(b_header.data() + offset, 1, n, f);
                std::fclose(f);
            };
            write_at(0, 20);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            CHECK(loader.progress()[0].frames == 2);
            CHECK(loader.progress()[0].issues == 0);
            write_at(20, 20);
            CHECK(wait_until([&] { return rows() == 30; }));
            CHECK(loader.progress()[0].issues == 0);
        } else {
            // A and C. The rows can be in the store a moment before the progress that counts
            // the issue is published: both are waited for.
            CHECK(wait_until([&] { return rows() == 20 && loader.progress()[0].issues != 0; }));
            CHECK(rows() == 20);
            CHECK(loader.progress()[0].issues == 1);
        }
        CHECK(loader.progress()[0].bytes_read == bytes.size());
        loader.cancel();
        loader.wait_idle();
        std::remove(file.c_str());
    }
}

TEST_CASE("file loader: the same file twice is read once; progress reaches the total") {
    const std::string file = temp_path("twice.rrd");
    {
        auto writer = RrdWriter::create(file, nullptr);
        REQUIRE(writer);
        writer->write(store_info("rec", "app"));
        for (int i = 0; i < 5; ++i)
            writer->write(chunk_message("rec", scalar_chunk(ScalarChunkSpec{})));
    }
    StoreHub hub(hub_options());
    {
        FileLoader loader(hub);
        CHECK(loader.open(file));
        CHECK_FALSE(loader.open(file));
        CHECK_FALSE(loader.open("/tmp/./" + file.substr(5)));  // another path, same file
        CHECK_FALSE(loader.open(temp_path("missing.rrd")));
        loader.wait_idle();
        const auto progress = loader.progress();
        const auto it = std::find_if(progress.begin(), progress.end(),
                                     [](const FileProgress& p) { return !p.failed; });
        REQUIRE(it != progress.end());
        CHECK(it->done);
        CHECK(it->bytes_read == it->total_bytes);
        CHECK(it->frames == 6);
    }
    CHECK(hub.find({core::StoreKind::Recording, "rec"})->stats().rows == 50);
    std::remove(file.c_str());
}

TEST_CASE("file loader: a file of 64 MiB or more (read on two threads) loads like a small one") {
    // 90 chunks of 1000 rows with 1 KB of blob each (~1 MB a frame: read straight into its
    // payload); one of them damaged on disk, and the file cut inside its last frame. Loaded on
    // two threads, and on one with small reads.
    const std::string file = temp_path("big.rrd");
    constexpr int kChunks = 90;
    constexpr int kDamaged = 41;
    uint64_t damaged_at = 0;
    {
        auto writer = RrdWriter::create(file, nullptr);
        REQUIRE(writer);
        writer->write(store_info("big", "app"));
        for (int i = 0; i < kChunks; ++i) {
            if (i == kDamaged) damaged_at = writer->bytes_written();
            ScalarChunkSpec spec;
            spec.rows = 1000;
            spec.first_time = int64_t(i) * 1000;
            spec.first_value = double(i) * 1000;
            spec.blob_bytes = 1000;
            writer->write(chunk_message("big", scalar_chunk(spec)));
        }
        REQUIRE(writer->error().empty());
    }
    const uint64_t full_size = std::filesystem::file_size(file);
    REQUIRE(full_size > (uint64_t(80) << 20));
    {
        // A byte inside the payload flipped (its checksum fails). Flipped, not set: the payload
        // holds row ids made of the clock, so a set value may already be there (1 run in 256).
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        const auto at = std::streamoff(damaged_at + core::wire::kFrameHeaderSize + 5000);
        f.seekg(at);
        const char byte = char(f.get());
        f.seekp(at);
        f.put(char(~byte));
    }
    std::filesystem::resize_file(file, full_size - 300'000);  // the last frame cut short

    auto check_loaded = [&](StoreHub& hub, const FileProgress& p) {
        CHECK(p.done);
        CHECK_FALSE(p.failed);
        CHECK(p.bytes_read == full_size - 300'000);
        CHECK(p.frames == 1 + kChunks - 2);  // the info; all chunks but the damaged and the cut
        CHECK(p.issues == 2);                // the damaged frame, the cut tail
        auto store = hub.find({core::StoreKind::Recording, "big"});
        REQUIRE(store);
        CHECK(store->stats().rows == uint64_t(kChunks - 2) * 1000);
        for (const int i : {0, kDamaged - 1, kDamaged + 1, kChunks - 2}) {
            CAPTURE(i);
            CHECK(value_at(*store, "/series", i * 1000 + 999) == double(i) * 1000 + 999);
        }
        CHECK(value_at(*store, "/series", kDamaged * 1000 + 500) == double(kDamaged) * 1000 - 1);
    };
    {
        StoreHub hub(hub_options());
        FileLoaderOptions options;
        options.two_threads_from_bytes = 64 << 20;  // the default, said here: this file is above
        FileLoader loader(hub, options);
        REQUIRE(loader.open(file));
        loader.wait_idle();
        check_loaded(hub, loader.progress().at(0));
    }
    {
        StoreHub hub(hub_options());
        FileLoaderOptions options;
        options.read_size = 4096;
        options.two_threads_from_bytes = UINT64_MAX;
        check_loaded(hub, load_file(hub, file, options));
    }
    std::remove(file.c_str());
}

TEST_CASE("file loader: an empty or too short file is a warning, not a failed load") {
    for (const std::string& content : {std::string(), std::string("\x89RRN")}) {
        CAPTURE(content.size());
        const std::string file = temp_path("short.rrd");
        { std::ofstream(file, std::ios::binary) << content; }
        for (const uint64_t two_threads_from : {uint64_t(0), UINT64_MAX}) {
            StoreHub hub(hub_options());
            FileLoaderOptions options;
            options.two_threads_from_bytes = two_threads_from;
            const auto p = load_file(hub, file, options);
            CHECK(p.done);
            CHECK_FALSE(p.failed);
            CHECK(p.issues == 1);
            CHECK(p.frames == 0);
        }
        std::remove(file.c_str());
    }
}

TEST_CASE("hub: close frees a store; a live source starts it anew; its file can be read again") {
    const std::string file = temp_path("close.rrd");
    {
        auto writer = RrdWriter::create(file, nullptr);
        REQUIRE(writer);
        writer->write(store_info("from_file", "file_app"));
        for (int i = 0; i < 3; ++i)
            writer->write(chunk_message("from_file", scalar_chunk(ScalarChunkSpec{})));
    }
    StoreHub hub(hub_options());
    const core::StoreId live{core::StoreKind::Recording, "live"};
    SourceSession sender(hub, "tcp #1");
    sender.handle(store_info("live", "live_app"));
    sender.handle(chunk_message("live", scalar_chunk(ScalarChunkSpec{})));
    FileLoader loader(hub);
    REQUIRE(loader.open(file));
    loader.wait_idle();
    const core::StoreId from_file{core::StoreKind::Recording, "from_file"};
    REQUIRE(hub.find(from_file));
    CHECK(hub.find(from_file)->stats().rows == 30);
    const uint64_t bytes_before = hub.stats().bytes;

    std::weak_ptr<RecordingStore> closed_store = hub.find(live);
    const uint64_t gen = hub.generation();
    CHECK(hub.close(live));
    CHECK_FALSE(hub.close(live));  // already gone
    CHECK(hub.generation() != gen);
    CHECK_FALSE(hub.find(live));
    CHECK(hub.stats().bytes < bytes_before);
    REQUIRE_FALSE(closed_store.expired());  // the sender's session still holds it...
    CHECK(closed_store.lock()->closed());
    // ...until its next message, which starts the recording anew with what it said at first.
    sender.handle(chunk_message("live", scalar_chunk(ScalarChunkSpec{})));
    CHECK(closed_store.expired());  // freed
    const auto again = hub.find(live);
    REQUIRE(again);
    CHECK(again->stats().rows == 10);
    CHECK(again->application_id() == "live_app");
    REQUIRE(again->stats().sources.size() == 1);
    CHECK(again->stats().sources[0].name == "tcp #1");

    // A closed file's recording: open() refuses the same file until it is forgotten.
    CHECK(hub.close(from_file));
    CHECK_FALSE(loader.open(file));
    loader.forget(file);
    REQUIRE(loader.open(file));
    loader.wait_idle();
    REQUIRE(hub.find(from_file));
    CHECK(hub.find(from_file)->stats().rows == 30);
    CHECK(hub.find(from_file)->application_id() == "file_app");
    std::remove(file.c_str());
}

TEST_CASE("parse_memory_limit") {
    CHECK(parse_memory_limit("2GB") == 2'000'000'000ull);
    CHECK(parse_memory_limit("512MiB") == 512ull << 20);
    CHECK(parse_memory_limit("1.5 gb") == 1'500'000'000ull);
    CHECK(parse_memory_limit("1000") == 1000ull);
    CHECK(parse_memory_limit("50%").value_or(0) > 0);
    std::string error;
    CHECK_FALSE(parse_memory_limit("2XB", &error));
    CHECK(error.find("unknown unit") != std::string::npos);
    CHECK_FALSE(parse_memory_limit("0%"));
    CHECK_FALSE(parse_memory_limit("150%"));
    CHECK_FALSE(parse_memory_limit(""));
    CHECK_FALSE(parse_memory_limit("GB"));
}
