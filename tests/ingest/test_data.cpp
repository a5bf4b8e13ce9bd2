#include "test_data.hpp"

#include <cstring>

#include "rerun/core/component_types.hpp"

namespace rerun::ingest::testing {

namespace {
core::Buffer row_ids(uint64_t rows) {
    std::vector<core::Tuid> ids(rows);
    for (auto& id : ids)
        id = core::Tuid::make();
    return core::Buffer::from_vector(std::move(ids));
}
}  // namespace

core::ChunkPtr scalar_chunk(const ScalarChunkSpec& spec) {
    auto chunk = std::make_shared<core::Chunk>();
    chunk->id = core::Tuid::make();
    chunk->entity_path = core::EntityPath::parse_lenient(spec.entity);
    chunk->is_static = spec.is_static;
    chunk->num_rows = spec.rows;
    chunk->row_ids = row_ids(spec.rows);
    if (!spec.is_static) {
        std::vector<int64_t> times(spec.rows);
        for (uint64_t i = 0; i < spec.rows; ++i)
            times[i] = spec.first_time + int64_t(i) * spec.time_step;
        chunk->timelines.push_back({core::Timeline{spec.timeline, core::TimeType::Sequence},
                                    core::Buffer::from_vector(std::move(times))});
    }
    std::vector<double> values(spec.rows);
    for (uint64_t i = 0; i < spec.rows; ++i)
        values[i] = spec.first_value + double(i);
    core::ComponentColumn col;
    col.descriptor = {"rerun.archetypes.Scalars", spec.component,
                      std::string(core::component_types::Scalar.name)};
    col.type = core::component_types::Scalar.type;
    col.num_rows = spec.rows;
    col.values = core::Buffer::from_vector(std::move(values));
    chunk->components.push_back(std::move(col));
    if (spec.blob_bytes > 0) {
        core::ComponentColumn blob;
        blob.descriptor = {"rerun.archetypes.Blob", "Blob:data", "rerun.components.Blob"};
        blob.type = {core::ElementKind::List, core::ScalarType::U8, 1};
        blob.num_rows = spec.rows;
        std::vector<uint32_t> offsets(spec.rows + 1);
        for (uint64_t i = 0; i <= spec.rows; ++i)
            offsets[i] = uint32_t(i * spec.blob_bytes);
        std::vector<uint8_t> bytes(spec.rows * spec.blob_bytes);
        for (size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = uint8_t(i * 131u);
        blob.list_offsets = core::Buffer::from_vector(std::move(offsets));
        blob.values = core::Buffer::from_vector(std::move(bytes));
        chunk->components.push_back(std::move(blob));
    }
    return chunk;
}

core::ChunkPtr scalar_chunk_at(const std::string& entity, const std::string& timeline,
                               const std::vector<int64_t>& times, const std::vector<double>& values,
                               const std::string& component) {
    auto chunk = std::make_shared<core::Chunk>();
    chunk->id = core::Tuid::make();
    chunk->entity_path = core::EntityPath::parse_lenient(entity);
    chunk->num_rows = times.size();
    chunk->row_ids = row_ids(times.size());
    chunk->timelines.push_back({core::Timeline{timeline, core::TimeType::Sequence},
                                core::Buffer::from_vector(std::vector<int64_t>(times))});
    core::ComponentColumn col;
    col.descriptor = {"rerun.archetypes.Scalars", component,
                      std::string(core::component_types::Scalar.name)};
    col.type = core::component_types::Scalar.type;
    col.num_rows = times.size();
    col.values = core::Buffer::from_vector(std::vector<double>(values));
    chunk->components.push_back(std::move(col));
    return chunk;
}

core::ChunkPtr clear_chunk(const std::string& entity, const std::string& timeline,
                           const std::vector<int64_t>& times, bool recursive) {
    auto chunk = std::make_shared<core::Chunk>();
    chunk->id = core::Tuid::make();
    chunk->entity_path = core::EntityPath::parse_lenient(entity);
    const uint64_t rows = times.empty() ? 1 : times.size();
    chunk->num_rows = rows;
    chunk->row_ids = row_ids(rows);
    if (times.empty()) {
        chunk->is_static = true;
    } else {
        chunk->timelines.push_back({core::Timeline{timeline, core::TimeType::Sequence},
                                    core::Buffer::from_vector(std::vector<int64_t>(times))});
    }
    core::ComponentColumn col;
    col.descriptor = {"rerun.archetypes.Clear", "Clear:is_recursive",
                      std::string(core::component_types::ClearIsRecursive.name)};
    col.type = core::component_types::ClearIsRecursive.type;
    col.num_rows = rows;
    col.values = core::Buffer::from_vector(std::vector<uint8_t>(rows, recursive ? 1 : 0));
    chunk->components.push_back(std::move(col));
    return chunk;
}

core::StoreInfo store_info(const std::string& recording, const std::string& application,
                           core::StoreKind kind) {
    core::StoreInfo info;
    info.store = {kind, recording};
    info.application_id = application;
    info.started_ns = core::now_nanos_since_epoch();
    info.source = {"cpp", "0.1.0", "ingest test"};
    return info;
}

core::Message chunk_message(const std::string& recording, core::ChunkPtr chunk,
                            core::StoreKind kind) {
    return core::ChunkMessage{{kind, recording}, std::move(chunk)};
}

double scalar_at(const core::Chunk&, const core::ComponentColumn& column, uint64_t row) {
    const auto [begin, end] = column.instance_range(row);
    if (begin >= end) return -1;
    return column.values_as<double>()[begin];
}

bool same_bytes(const core::Buffer& a, const core::Buffer& b) {
    return a.size() == b.size() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace rerun::ingest::testing
