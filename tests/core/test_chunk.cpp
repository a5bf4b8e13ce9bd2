#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "rerun/core/component_types.hpp"
#include "rerun/core/fast_clock.hpp"
#include "sample_data.hpp"

using namespace rerun::core;
using namespace rerun::core::testing;

TEST_CASE("sample chunk is valid and its accessors work") {
    const auto chunk = sample_chunk("world/points", 4);
    CHECK(chunk->validate() == "");
    const auto* positions = chunk->find_component("Points3D:positions");
    REQUIRE(positions);
    CHECK(positions->num_instances() == 0 + 1 + 2 + 0);
    CHECK(positions->instance_range(2) == std::pair<uint32_t, uint32_t>{1, 3});
    const auto* text = chunk->find_component("TextLog:text");
    REQUIRE(text);
    CHECK(text->string_at(3) == "row 3 \xC3\xA9");
    const auto* sparse = chunk->find_component("Custom:sparse");
    REQUIRE(sparse);
    CHECK(sparse->is_present(0));
    CHECK_FALSE(sparse->is_present(1));
    const auto* frame = chunk->find_timeline("frame");
    REQUIRE(frame);
    CHECK(frame->is_sorted());
    CHECK(frame->range() == std::pair<TimeInt, TimeInt>{0, 3});
    CHECK(chunk->byte_size() > 4 * sizeof(Tuid));
}

TEST_CASE("validation catches broken columns") {
    auto chunk = std::make_shared<Chunk>(*sample_chunk("a", 3));
    SUBCASE("too few values") {
        chunk->components[1].values = Buffer::from_vector(std::vector<uint32_t>{1, 2});
        CHECK(chunk->validate().find("2 values for 3 instances") != std::string::npos);
    }
    SUBCASE("decreasing offsets") {
        chunk->components[0].row_offsets = Buffer::from_vector(std::vector<uint32_t>{0, 2, 1, 3});
        CHECK(chunk->validate().find("decrease") != std::string::npos);
    }
    SUBCASE("bad utf8") {
        chunk->components[3] = text_column("TextLog:text", {"ok", "\xC3", "ok"});
        CHECK(chunk->validate().find("UTF-8") != std::string::npos);
    }
    SUBCASE("row count mismatch") {
        chunk->components[2].num_rows = 2;
        CHECK(!chunk->validate().empty());
    }
    SUBCASE("static chunk with a timeline") {
        chunk->is_static = true;
        CHECK(chunk->validate().find("static") != std::string::npos);
    }
    SUBCASE("duplicate component") {
        chunk->components.push_back(chunk->components[1]);
        CHECK(chunk->validate().find("twice") != std::string::npos);
    }
    SUBCASE("time column size") {
        chunk->timelines[0].times = Buffer::from_vector(std::vector<int64_t>{1});
        CHECK(!chunk->validate().empty());
    }
}

TEST_CASE("utf8 validation") {
    CHECK(is_valid_utf8("plain ascii that is longer than eight bytes"));
    CHECK(is_valid_utf8("\xE2\x82\xAC and \xF0\x9F\x98\x80"));
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));             // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));         // surrogate
    CHECK_FALSE(is_valid_utf8("abc\xF4\x90\x80\x80"));  // > U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE2\x82"));             // cut
}

TEST_CASE("TUIDs increase on a thread and are unique across threads") {
    Tuid last = Tuid::make();
    for (int i = 0; i < 10000; ++i) {
        const Tuid next = Tuid::make();
        CHECK_MESSAGE(next > last, "TUIDs must strictly increase on one thread");
        last = next;
    }
    std::set<Tuid> all;
    std::vector<std::vector<Tuid>> per_thread(4);
    std::vector<std::thread> threads;
    for (auto& ids : per_thread) {
        threads.emplace_back([&ids] {
            for (int i = 0; i < 5000; ++i)
                ids.push_back(Tuid::make());
        });
    }
    for (auto& t : threads)
        t.join();
    for (const auto& ids : per_thread)
        all.insert(ids.begin(), ids.end());
    CHECK(all.size() == 4 * 5000);
    CHECK(Tuid{0x0123456789abcdef, 1}.to_string() == "0123456789abcdef0000000000000001");
}

TEST_CASE("the fast wall clock stays within microseconds of the system clock") {
    // For 60 ms (many re-anchors, past the first baseline), each reading lies between system
    // clock readings taken just before and after it, give or take 10 us (the clock's own error
    // is a microsecond or two at most; a wrong rate or offset shows as far more).
    FastWallClock clock;
    MESSAGE("time-stamp counter used: " << FastWallClock::uses_counter());
    const TimeInt tolerance = 10'000;
    const TimeInt start = now_nanos_since_epoch();
    TimeInt worst = 0;
    int readings = 0;
    while (now_nanos_since_epoch() - start < 60'000'000) {
        for (int i = 0; i < 1000; ++i) {
            const TimeInt before = now_nanos_since_epoch();
            const TimeInt fast = clock.now();
            const TimeInt after = now_nanos_since_epoch();
            ++readings;
            const TimeInt outside = std::max(before - fast, fast - after);
            worst = std::max(worst, outside);
            if (outside > tolerance) {
                FAIL_CHECK("reading " << readings << ": " << fast << " not within " << before
                                      << " .. " << after);
            }
        }
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
    MESSAGE(readings << " readings; furthest outside the bracket: " << worst << " ns");
    CHECK(readings > 1000);
}

TEST_CASE("known component types have consistent element types") {
    std::set<std::string_view> names;
    for (const auto& info : known_component_types()) {
        CHECK(names.insert(info.name).second);
        CHECK(info.type.width >= 1);
    }
    CHECK(known_element_type("rerun.components.Position3D") ==
          ElementType{ElementKind::Fixed, ScalarType::F32, 3});
    CHECK(known_element_type("rerun.components.LineStrip3D")->to_string() == "list<f32x3>");
    CHECK(known_element_type("rerun.components.Text")->to_string() == "utf8");
    CHECK_FALSE(known_element_type("my.custom.Thing"));
}

#include "rerun/core/chunk_ops.hpp"

TEST_CASE("chunks with the same schema concatenate into one valid chunk") {
    const auto a = sample_chunk("world/points", 3, 0);
    const auto b = sample_chunk("world/points", 4, 10);
    REQUIRE(same_schema(*a, *b));
    CHECK_FALSE(same_schema(*a, *sample_chunk("world/other", 3)));
    const std::vector<ChunkPtr> parts = {a, b};
    const Chunk joined = concat_chunks(parts);
    CHECK(joined.validate() == "");
    CHECK(joined.num_rows == 7);
    CHECK(joined.id != a->id);
    // Rows keep their ids and times.
    CHECK(joined.row_id_values()[3] == b->row_id_values()[0]);
    CHECK(joined.find_timeline("frame")->values()[3] == 10);
    // Offsets are rebased: row 3 of the result is row 0 of b.
    const auto* text = joined.find_component("TextLog:text");
    CHECK(text->string_at(3) == "row 0 \xC3\xA9");
    const auto* strips = joined.find_component("LineStrips2D:strips");
    const auto [begin, end] = strips->list_range(4);  // b's row 1: two points
    CHECK(end - begin == 2);
    const auto* positions = joined.find_component("Points3D:positions");
    CHECK(positions->num_instances() ==
          a->find_component("Points3D:positions")->num_instances() +
              b->find_component("Points3D:positions")->num_instances());
    const auto* sparse = joined.find_component("Custom:sparse");
    CHECK(sparse->is_present(3));        // b's row 0
    CHECK_FALSE(sparse->is_present(4));  // b's row 1
    CHECK_THROWS(concat_chunks(std::vector<ChunkPtr>{a, sample_chunk("elsewhere", 1)}));
}
