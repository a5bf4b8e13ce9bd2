#include "own_copy.hpp"

#include <cstring>
#include <memory>
#include <vector>

namespace rerun::ingest::detail {

namespace {

// Every column buffer starts at a multiple of this in the new allocation (the columns' element
// types need at most 8).
constexpr size_t kAlign = 16;

size_t aligned(size_t n) {
    return (n + kAlign - 1) / kAlign * kAlign;
}

}  // namespace

core::ChunkPtr own_copy(const core::Chunk& chunk) {
    auto copy = std::make_shared<core::Chunk>(chunk);
    // Every buffer of the copy, still sharing the original's memory.
    std::vector<core::Buffer*> buffers{&copy->row_ids};
    for (auto& time : copy->timelines)
        buffers.push_back(&time.times);
    for (auto& column : copy->components) {
        buffers.push_back(&column.validity);
        buffers.push_back(&column.row_offsets);
        buffers.push_back(&column.list_offsets);
        buffers.push_back(&column.values);
    }
    size_t total = 0;
    for (const core::Buffer* b : buffers)
        total += aligned(b->size());
    std::shared_ptr<uint8_t[]> memory(
        new (std::align_val_t(kAlign)) uint8_t[std::max<size_t>(total, 1)],
        [](uint8_t* p) { ::operator delete[](p, std::align_val_t(kAlign)); });
    size_t at = 0;
    for (core::Buffer* b : buffers) {
        if (b->empty()) {
            *b = core::Buffer();
            continue;
        }
        std::memcpy(memory.get() + at, b->data(), b->size());
        *b = core::Buffer(memory, memory.get() + at, b->size());
        at += aligned(b->size());
    }
    return copy;
}

}  // namespace rerun::ingest::detail
