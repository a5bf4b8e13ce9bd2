#include "compact_chunk.hpp"

#include <limits>

namespace rerun::ingest::detail {

namespace {

bool fits_i32(int64_t v) {
    return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

core::Buffer own_copy(const core::Buffer& b) {
    return b.empty() ? core::Buffer() : core::Buffer::copy_of(b.data(), b.size());
}

CompactTimes compact_times(const core::TimeColumn& column) {
    CompactTimes out;
    out.timeline = column.timeline;
    const auto v = column.values();
    const size_t n = v.size();
    out.first = n ? v[0] : 0;
    out.step = n > 1 ? int64_t(uint64_t(v[1]) - uint64_t(v[0])) : 0;
    bool affine = true, small = true;
    for (size_t i = 0; i < n; ++i) {
        // Unsigned arithmetic: wrapping is defined; the comparisons catch a wrapped result.
        const uint64_t expect = uint64_t(out.first) + uint64_t(out.step) * uint64_t(i);
        if (uint64_t(v[i]) != expect) affine = false;
        if (i > 0) {
            const int64_t delta = int64_t(uint64_t(v[i]) - uint64_t(v[i - 1]));
            if (!fits_i32(delta) || (v[i] < v[i - 1]) != (delta < 0)) small = false;
        }
        if (!affine && !small) break;
    }
    if (affine) {
        out.mode = CompactTimes::Mode::Affine;
    } else if (small) {
        out.mode = CompactTimes::Mode::Delta32;
        std::vector<int32_t> deltas(n);
        for (size_t i = 1; i < n; ++i)
            deltas[i] = int32_t(v[i] - v[i - 1]);
        out.data = core::Buffer::from_vector(std::move(deltas));
    } else {
        out.mode = CompactTimes::Mode::Raw;
        out.data = own_copy(column.times);
    }
    return out;
}

}  // namespace

size_t CompactChunk::byte_size() const {
    size_t n = row_time.size() + row_inc.size();
    for (const auto& t : timelines)
        n += t.data.size();
    for (const auto& c : components)
        n += c.byte_size();
    return n;
}

std::optional<CompactChunk> compact(const core::Chunk& chunk, uint64_t min_rows) {
    if (chunk.is_static || chunk.timelines.empty() || chunk.num_rows == 0 ||
        chunk.num_rows < min_rows) {
        return std::nullopt;
    }
    // Only row ids and times shrink; the component columns are copied as they are. Decide before
    // copying anything, so that bulk chunks (images, point clouds) cost nothing here.
    size_t component_bytes = 0;
    for (const auto& c : chunk.components)
        component_bytes += c.byte_size();
    const size_t original_bytes = chunk.byte_size();
    if (component_bytes * 4 > original_bytes * 3) return std::nullopt;

    CompactChunk out;
    out.id = chunk.id;
    out.entity_path = chunk.entity_path;
    out.num_rows = chunk.num_rows;
    const auto ids = chunk.row_id_values();
    const size_t n = ids.size();
    out.first_row_id = ids[0];

    // Deltas from the previous row, modulo 2^64 (exact when they fit in 32 bits).
    bool small = true;
    out.inc_counts_up = true;
    for (size_t i = 1; i < n; ++i) {
        const int64_t dt = int64_t(ids[i].time_ns - ids[i - 1].time_ns);
        const int64_t di = int64_t(ids[i].inc - ids[i - 1].inc);
        if (!fits_i32(dt) || !fits_i32(di)) small = false;
        if (di != 1) out.inc_counts_up = false;
    }
    if (small) {
        std::vector<int32_t> dt(n);
        for (size_t i = 1; i < n; ++i)
            dt[i] = int32_t(int64_t(ids[i].time_ns - ids[i - 1].time_ns));
        out.row_time = core::Buffer::from_vector(std::move(dt));
        if (!out.inc_counts_up) {
            std::vector<int32_t> di(n);
            for (size_t i = 1; i < n; ++i)
                di[i] = int32_t(int64_t(ids[i].inc - ids[i - 1].inc));
            out.row_inc = core::Buffer::from_vector(std::move(di));
        }
    } else {
        out.raw_row_ids = true;
        out.inc_counts_up = false;
        out.row_time = own_copy(chunk.row_ids);
    }
    for (const auto& t : chunk.timelines)
        out.timelines.push_back(compact_times(t));
    if ((out.byte_size() + component_bytes) * 4 > original_bytes * 3) return std::nullopt;
    for (const auto& c : chunk.components) {
        core::ComponentColumn copy;
        copy.descriptor = c.descriptor;
        copy.type = c.type;
        copy.num_rows = c.num_rows;
        copy.validity = own_copy(c.validity);
        copy.row_offsets = own_copy(c.row_offsets);
        copy.list_offsets = own_copy(c.list_offsets);
        copy.values = own_copy(c.values);
        out.components.push_back(std::move(copy));
    }
    return out;
}

core::ChunkPtr expand(const CompactChunk& c) {
    auto chunk = std::make_shared<core::Chunk>();
    chunk->id = c.id;
    chunk->entity_path = c.entity_path;
    chunk->num_rows = c.num_rows;
    const size_t n = c.num_rows;
    if (c.raw_row_ids) {
        chunk->row_ids = c.row_time;
    } else {
        std::vector<core::Tuid> ids(n);
        const auto dt = c.row_time.as_span<int32_t>();
        const auto di = c.row_inc.as_span<int32_t>();
        core::Tuid id = c.first_row_id;
        for (size_t i = 0; i < n; ++i) {
            if (i > 0) {
                id.time_ns += uint64_t(int64_t(dt[i]));
                id.inc += c.inc_counts_up ? 1 : uint64_t(int64_t(di[i]));
            }
            ids[i] = id;
        }
        chunk->row_ids = core::Buffer::from_vector(std::move(ids));
    }
    for (const auto& t : c.timelines) {
        core::TimeColumn col;
        col.timeline = t.timeline;
        switch (t.mode) {
            case CompactTimes::Mode::Affine: {
                std::vector<core::TimeInt> v(n);
                for (size_t i = 0; i < n; ++i)
                    v[i] = core::TimeInt(uint64_t(t.first) + uint64_t(t.step) * uint64_t(i));
                col.times = core::Buffer::from_vector(std::move(v));
                break;
            }
            case CompactTimes::Mode::Delta32: {
                std::vector<core::TimeInt> v(n);
                const auto deltas = t.data.as_span<int32_t>();
                core::TimeInt value = t.first;
                for (size_t i = 0; i < n; ++i) {
                    if (i > 0) value += deltas[i];
                    v[i] = value;
                }
                col.times = core::Buffer::from_vector(std::move(v));
                break;
            }
            case CompactTimes::Mode::Raw:
                col.times = t.data;
                break;
        }
        chunk->timelines.push_back(std::move(col));
    }
    chunk->components = c.components;
    return chunk;
}

}  // namespace rerun::ingest::detail
