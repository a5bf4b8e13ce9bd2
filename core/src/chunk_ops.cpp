#include "rerun/core/chunk_ops.hpp"

#include <cstring>
#include <stdexcept>

namespace rerun::core {

bool same_schema(const Chunk& a, const Chunk& b) {
    if (!(a.entity_path == b.entity_path) || a.is_static != b.is_static ||
        a.timelines.size() != b.timelines.size() || a.components.size() != b.components.size()) {
        return false;
    }
    for (size_t i = 0; i < a.timelines.size(); ++i) {
        if (!(a.timelines[i].timeline == b.timelines[i].timeline)) return false;
    }
    for (size_t i = 0; i < a.components.size(); ++i) {
        if (!(a.components[i].descriptor == b.components[i].descriptor) ||
            !(a.components[i].type == b.components[i].type)) {
            return false;
        }
    }
    return true;
}

namespace {

Buffer concat_bytes(std::span<const ChunkPtr> chunks, auto&& buffer_of) {
    size_t total = 0;
    for (const auto& c : chunks)
        total += buffer_of(*c).size();
    std::vector<uint64_t> storage((total + 7) / 8);  // 8-byte aligned for any column type
    auto* out = reinterpret_cast<uint8_t*>(storage.data());
    for (const auto& c : chunks) {
        const Buffer& b = buffer_of(*c);
        if (b.size() != 0) std::memcpy(out, b.data(), b.size());
        out += b.size();
    }
    return Buffer::from_vector(std::move(storage)).slice(0, total);
}

ComponentColumn concat_column(std::span<const ChunkPtr> chunks, size_t index) {
    const ComponentColumn& first = chunks[0]->components[index];
    ComponentColumn out;
    out.descriptor = first.descriptor;
    out.type = first.type;
    bool any_validity = false, any_row_offsets = false;
    for (const auto& c : chunks) {
        const auto& col = c->components[index];
        out.num_rows += col.num_rows;
        any_validity |= !col.validity.empty();
        any_row_offsets |= !col.row_offsets.empty();
    }
    if (any_validity) {
        std::vector<uint8_t> validity;
        validity.reserve(out.num_rows);
        for (const auto& c : chunks) {
            const auto& col = c->components[index];
            for (uint64_t r = 0; r < col.num_rows; ++r)
                validity.push_back(col.is_present(r) ? 1 : 0);
        }
        out.validity = Buffer::from_vector(std::move(validity));
    }
    if (any_row_offsets) {
        std::vector<uint32_t> offsets{0};
        offsets.reserve(out.num_rows + 1);
        for (const auto& c : chunks) {
            const auto& col = c->components[index];
            for (uint64_t r = 0; r < col.num_rows; ++r) {
                const auto [begin, end] = col.instance_range(r);
                offsets.push_back(offsets.back() + (end - begin));
            }
        }
        out.row_offsets = Buffer::from_vector(std::move(offsets));
    }
    if (out.type.kind != ElementKind::Fixed) {
        std::vector<uint32_t> offsets{0};
        for (const auto& c : chunks) {
            const auto& col = c->components[index];
            const auto in = col.list_offsets.as_span<uint32_t>();
            const uint32_t base = offsets.back();
            for (size_t i = 1; i < in.size(); ++i)
                offsets.push_back(base + in[i]);
        }
        out.list_offsets = Buffer::from_vector(std::move(offsets));
    }
    out.values = concat_bytes(
        chunks, [index](const Chunk& c) -> const Buffer& { return c.components[index].values; });
    return out;
}

}  // namespace

Chunk concat_chunks(std::span<const ChunkPtr> chunks) {
    if (chunks.empty()) throw std::invalid_argument("concat_chunks: no chunks");
    const Chunk& first = *chunks[0];
    for (const auto& c : chunks) {
        if (!same_schema(first, *c)) throw std::invalid_argument("concat_chunks: schemas differ");
    }
    // Offsets are u32: the combined instances and elements of each column must fit.
    for (size_t i = 0; i < first.components.size(); ++i) {
        uint64_t instances = 0, elements = 0;
        for (const auto& c : chunks) {
            instances += c->components[i].num_instances();
            elements += c->components[i].num_elements();
        }
        if (instances > UINT32_MAX || elements > UINT32_MAX) {
            throw std::invalid_argument("concat_chunks: more than 2^32 instances in one column");
        }
    }
    Chunk out;
    out.id = Tuid::make();
    out.entity_path = first.entity_path;
    out.is_static = first.is_static;
    for (const auto& c : chunks)
        out.num_rows += c->num_rows;
    out.row_ids = concat_bytes(chunks, [](const Chunk& c) -> const Buffer& { return c.row_ids; });
    for (size_t t = 0; t < first.timelines.size(); ++t) {
        out.timelines.push_back({first.timelines[t].timeline,
                                 concat_bytes(chunks, [t](const Chunk& c) -> const Buffer& {
                                     return c.timelines[t].times;
                                 })});
    }
    for (size_t i = 0; i < first.components.size(); ++i) {
        out.components.push_back(concat_column(chunks, i));
    }
    return out;
}

}  // namespace rerun::core
