// The store's compact chunk form: expand(compact(c)) gives back c, column by column, for every
// shape of row ids and times.
#include <doctest/doctest.h>

#include "compact_chunk.hpp"
#include "test_data.hpp"

using namespace rerun;
using namespace rerun::ingest;
using testing::same_bytes;

namespace {

enum class Expect { Compact, Kept, Either };

void check_round_trip(const core::ChunkPtr& original, Expect expect = Expect::Compact) {
    const auto compact = detail::compact(*original, 1);
    if (expect != Expect::Either) REQUIRE(compact.has_value() == (expect == Expect::Compact));
    if (!compact) return;
    CHECK(compact->byte_size() < original->byte_size());
    const auto back = detail::expand(*compact);
    CHECK(back->validate().empty());
    CHECK(back->id == original->id);
    CHECK(back->entity_path == original->entity_path);
    CHECK(back->num_rows == original->num_rows);
    CHECK(same_bytes(back->row_ids, original->row_ids));
    REQUIRE(back->timelines.size() == original->timelines.size());
    for (size_t i = 0; i < back->timelines.size(); ++i) {
        CHECK(back->timelines[i].timeline == original->timelines[i].timeline);
        CHECK(same_bytes(back->timelines[i].times, original->timelines[i].times));
    }
    REQUIRE(back->components.size() == original->components.size());
    for (size_t i = 0; i < back->components.size(); ++i) {
        const auto& a = back->components[i];
        const auto& b = original->components[i];
        CHECK(a.descriptor == b.descriptor);
        CHECK(a.type == b.type);
        CHECK(same_bytes(a.values, b.values));
        CHECK(same_bytes(a.validity, b.validity));
        CHECK(same_bytes(a.row_offsets, b.row_offsets));
        CHECK(same_bytes(a.list_offsets, b.list_offsets));
        // The compact form owns its bytes: the frame payload can go.
        CHECK((a.values.empty() || a.values.data() != b.values.data()));
    }
}

std::shared_ptr<core::Chunk> with_times(std::vector<int64_t> times) {
    std::vector<double> values(times.size(), 1.0);
    return std::const_pointer_cast<core::Chunk>(testing::scalar_chunk_at("/e", "t", times, values));
}

}  // namespace

TEST_CASE("compact form: affine, offset and raw times") {
    testing::ScalarChunkSpec spec;
    spec.rows = 1000;
    check_round_trip(testing::scalar_chunk(spec));               // affine
    check_round_trip(with_times({5, 1, 3, 1000, -7, 5}));        // unsorted, small offsets
    check_round_trip(with_times({0, INT64_MAX, INT64_MIN, 1}));  // raw
    check_round_trip(with_times({INT64_MIN, INT64_MIN + 1, INT64_MIN + 2}));
    check_round_trip(with_times({INT64_MAX - 5, INT64_MAX, INT64_MAX - 1}));
}

TEST_CASE("compact form: row ids that do not count up, and far apart") {
    auto chunk = with_times({1, 2, 3, 4});
    std::vector<core::Tuid> ids = {{100, 7}, {99, 3}, {200, 50}, {150, 9}};
    chunk->row_ids = core::Buffer::from_vector(std::vector<core::Tuid>(ids));
    check_round_trip(chunk);
    // Row ids one second apart (a slowly logging program): deltas fit, offsets would not.
    std::vector<core::Tuid> slow_ids(50);
    for (size_t i = 0; i < slow_ids.size(); ++i)
        slow_ids[i] = {1'700'000'000'000'000'000ull + i * 1'000'000'000ull, 77 + 3 * i};
    auto slow_chunk = with_times(std::vector<int64_t>(50, 1));
    slow_chunk->row_ids = core::Buffer::from_vector(std::move(slow_ids));
    check_round_trip(slow_chunk);
    CHECK_FALSE(detail::compact(*slow_chunk, 1)->raw_row_ids);
    ids = {{1, 1}, {uint64_t(1) << 40, 2}, {5, UINT64_MAX}, {0, 0}};
    chunk->row_ids = core::Buffer::from_vector(std::vector<core::Tuid>(ids));
    check_round_trip(chunk, Expect::Either);  // raw ids: only the times and values shrink
    chunk = with_times(std::vector<int64_t>(100, 42));
    std::vector<core::Tuid> many(100);
    for (size_t i = 0; i < many.size(); ++i)
        many[i] = {uint64_t(1) << 40, UINT64_MAX - 50 + i};  // inc wraps around
    chunk->row_ids = core::Buffer::from_vector(std::move(many));
    check_round_trip(chunk);
}

TEST_CASE("compact form: absent rows, lists, two timelines; static chunks stay as they are") {
    auto chunk = with_times({1, 2, 3, 4});
    chunk->components[0].validity = core::Buffer::from_vector(std::vector<uint8_t>{1, 0, 1, 1});
    chunk->components[0].row_offsets =
        core::Buffer::from_vector(std::vector<uint32_t>{0, 1, 1, 2, 3});
    chunk->components[0].values = core::Buffer::from_vector(std::vector<double>{1, 3, 4});
    chunk->timelines.push_back({{"log_time", core::TimeType::Timestamp},
                                core::Buffer::from_vector(std::vector<int64_t>{
                                    1'700'000'000'000'000'000, 1'700'000'000'000'000'100,
                                    1'700'000'000'000'000'300, 1'700'000'000'000'000'900})});
    REQUIRE(chunk->validate().empty());
    check_round_trip(chunk);

    testing::ScalarChunkSpec spec;
    spec.rows = 20;
    spec.blob_bytes = 4;
    check_round_trip(testing::scalar_chunk(spec));
    spec.blob_bytes = 1000;  // bulk: nothing to save
    check_round_trip(testing::scalar_chunk(spec), Expect::Kept);
    spec.blob_bytes = 0;
    spec.is_static = true;
    CHECK_FALSE(detail::compact(*testing::scalar_chunk(spec), 1));
}
