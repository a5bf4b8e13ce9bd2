// own_copy(): the store's copy of a chunk into memory of its own, column by column.
#include <doctest/doctest.h>

#include "own_copy.hpp"
#include "sample_data.hpp"
#include "test_data.hpp"

using namespace rerun;
using ingest::testing::same_bytes;

namespace {

// No byte of `copy` lies inside `original`'s memory (given as its buffers).
bool disjoint(const core::Buffer& copy, const core::Buffer& original) {
    if (copy.empty() || original.empty()) return true;
    return copy.data() + copy.size() <= original.data() ||
           original.data() + original.size() <= copy.data();
}

}  // namespace

TEST_CASE("own_copy: the same chunk, every column in new memory") {
    // Strings, lists, several instances per row, absent rows, two timelines.
    const core::ChunkPtr original = core::testing::sample_chunk("/world/points", 37);
    const core::ChunkPtr copy = ingest::detail::own_copy(*original);
    CHECK(copy->validate().empty());
    CHECK(core::testing::messages_equal(core::ChunkMessage{{}, original},
                                        core::ChunkMessage{{}, copy}));
    CHECK(copy->id == original->id);
    CHECK(copy->is_static == original->is_static);
    CHECK(same_bytes(copy->row_ids, original->row_ids));
    CHECK(disjoint(copy->row_ids, original->row_ids));
    REQUIRE(copy->timelines.size() == original->timelines.size());
    for (size_t i = 0; i < copy->timelines.size(); ++i) {
        CHECK(same_bytes(copy->timelines[i].times, original->timelines[i].times));
        CHECK(disjoint(copy->timelines[i].times, original->timelines[i].times));
    }
    REQUIRE(copy->components.size() == original->components.size());
    bool saw_validity = false, saw_offsets = false, saw_lists = false;
    for (size_t i = 0; i < copy->components.size(); ++i) {
        const auto& a = copy->components[i];
        const auto& b = original->components[i];
        CAPTURE(b.descriptor.component);
        CHECK(a.descriptor == b.descriptor);
        CHECK(a.type == b.type);
        for (auto [x, y] : {std::pair{&a.values, &b.values}, std::pair{&a.validity, &b.validity},
                            std::pair{&a.row_offsets, &b.row_offsets},
                            std::pair{&a.list_offsets, &b.list_offsets}}) {
            CHECK(same_bytes(*x, *y));
            CHECK(disjoint(*x, *y));
            CHECK(reinterpret_cast<uintptr_t>(x->data()) % 8 == 0);
        }
        saw_validity |= !b.validity.empty();
        saw_offsets |= !b.row_offsets.empty();
        saw_lists |= !b.list_offsets.empty();
    }
    // The sample covers every kind of buffer.
    CHECK(saw_validity);
    CHECK(saw_offsets);
    CHECK(saw_lists);
}
