#include "synthetic.hpp"

#include <cmath>
#include <cstring>
#include <random>

namespace rerun::viewer::testing {

namespace ct = core::component_types;

namespace {

core::Buffer row_ids(uint64_t rows) {
    std::vector<core::Tuid> ids(rows);
    for (auto& id : ids)
        id = core::Tuid::make();
    return core::Buffer::from_vector(std::move(ids));
}

core::ComponentColumn column(const std::string& archetype, const std::string& field,
                             const core::ComponentTypeInfo& type, uint64_t rows) {
    core::ComponentColumn c;
    c.descriptor = {"rerun.archetypes." + archetype, archetype + ":" + field,
                    std::string(type.name)};
    c.type = type.type;
    c.num_rows = rows;
    return c;
}

}  // namespace

ChunkBuilder::ChunkBuilder(const std::string& entity, const std::string& timeline,
                           std::vector<int64_t> times, core::TimeType type) {
    chunk_ = std::make_shared<core::Chunk>();
    chunk_->id = core::Tuid::make();
    chunk_->entity_path = core::EntityPath::parse_lenient(entity);
    chunk_->num_rows = times.size();
    chunk_->row_ids = row_ids(times.size());
    chunk_->timelines.push_back(
        {core::Timeline{timeline, type}, core::Buffer::from_vector(std::move(times))});
}

ChunkBuilder ChunkBuilder::static_chunk(const std::string& entity, uint64_t rows) {
    ChunkBuilder b;
    b.chunk_ = std::make_shared<core::Chunk>();
    b.chunk_->id = core::Tuid::make();
    b.chunk_->entity_path = core::EntityPath::parse_lenient(entity);
    b.chunk_->is_static = true;
    b.chunk_->num_rows = rows;
    b.chunk_->row_ids = row_ids(rows);
    return b;
}

template <class T>
ChunkBuilder& ChunkBuilder::fixed(const std::string& archetype, const std::string& field,
                                  const core::ComponentTypeInfo& type,
                                  const std::vector<std::vector<T>>& per_row) {
    auto c = column(archetype, field, type, chunk_->num_rows);
    std::vector<T> values;
    std::vector<uint32_t> offsets{0};
    bool one_each = true;
    for (const auto& row : per_row) {
        values.insert(values.end(), row.begin(), row.end());
        offsets.push_back(uint32_t(values.size() / type.type.width));
        one_each = one_each && row.size() == type.type.width;
    }
    if (!one_each) c.row_offsets = core::Buffer::from_vector(std::move(offsets));
    c.values = core::Buffer::from_vector(std::move(values));
    chunk_->components.push_back(std::move(c));
    return *this;
}

template <class T>
ChunkBuilder& ChunkBuilder::fixed_flat(const std::string& archetype, const std::string& field,
                                       const core::ComponentTypeInfo& type, std::vector<T> values) {
    auto c = column(archetype, field, type, chunk_->num_rows);
    c.values = core::Buffer::from_vector(std::move(values));
    chunk_->components.push_back(std::move(c));
    return *this;
}

template <class T>
ChunkBuilder& ChunkBuilder::list(const std::string& archetype, const std::string& field,
                                 const core::ComponentTypeInfo& type,
                                 const std::vector<std::vector<std::vector<T>>>& per_row) {
    auto c = column(archetype, field, type, chunk_->num_rows);
    std::vector<T> values;
    std::vector<uint32_t> row_offsets{0}, list_offsets{0};
    uint32_t instances = 0;
    for (const auto& row : per_row) {
        for (const auto& inst : row) {
            values.insert(values.end(), inst.begin(), inst.end());
            list_offsets.push_back(uint32_t(values.size() / type.type.width));
            ++instances;
        }
        row_offsets.push_back(instances);
    }
    c.row_offsets = core::Buffer::from_vector(std::move(row_offsets));
    c.list_offsets = core::Buffer::from_vector(std::move(list_offsets));
    c.values = core::Buffer::from_vector(std::move(values));
    chunk_->components.push_back(std::move(c));
    return *this;
}

ChunkBuilder& ChunkBuilder::text(const std::string& archetype, const std::string& field,
                                 const core::ComponentTypeInfo& type,
                                 const std::vector<std::string>& per_row) {
    auto c = column(archetype, field, type, chunk_->num_rows);
    std::vector<uint8_t> bytes;
    std::vector<uint32_t> offsets{0};
    for (const auto& s : per_row) {
        bytes.insert(bytes.end(), s.begin(), s.end());
        offsets.push_back(uint32_t(bytes.size()));
    }
    c.list_offsets = core::Buffer::from_vector(std::move(offsets));
    c.values = core::Buffer::from_vector(std::move(bytes));
    chunk_->components.push_back(std::move(c));
    return *this;
}

core::ChunkPtr ChunkBuilder::build() {
    const std::string err = chunk_->validate();
    if (!err.empty()) throw std::runtime_error("invalid synthetic chunk: " + err);
    return chunk_;
}

template ChunkBuilder& ChunkBuilder::fixed<float>(const std::string&, const std::string&,
                                                  const core::ComponentTypeInfo&,
                                                  const std::vector<std::vector<float>>&);
template ChunkBuilder& ChunkBuilder::fixed<double>(const std::string&, const std::string&,
                                                   const core::ComponentTypeInfo&,
                                                   const std::vector<std::vector<double>>&);
template ChunkBuilder& ChunkBuilder::fixed<uint32_t>(const std::string&, const std::string&,
                                                     const core::ComponentTypeInfo&,
                                                     const std::vector<std::vector<uint32_t>>&);
template ChunkBuilder& ChunkBuilder::fixed<uint8_t>(const std::string&, const std::string&,
                                                    const core::ComponentTypeInfo&,
                                                    const std::vector<std::vector<uint8_t>>&);
template ChunkBuilder& ChunkBuilder::list<float>(
    const std::string&, const std::string&, const core::ComponentTypeInfo&,
    const std::vector<std::vector<std::vector<float>>>&);
template ChunkBuilder& ChunkBuilder::list<uint8_t>(
    const std::string&, const std::string&, const core::ComponentTypeInfo&,
    const std::vector<std::vector<std::vector<uint8_t>>>&);

core::StoreInfo store_info(const std::string& recording_id, const std::string& app_id) {
    core::StoreInfo info;
    info.store = {core::StoreKind::Recording, recording_id};
    info.application_id = app_id;
    info.started_ns = core::now_nanos_since_epoch();
    info.source = {"cpp", "0.1.0", "viewer test"};
    return info;
}

namespace {
void send(ingest::StoreHub& hub, const std::string& rec, core::ChunkPtr chunk) {
    hub.handle("test", core::ChunkMessage{{core::StoreKind::Recording, rec}, std::move(chunk)});
}
}  // namespace

void fill_demo_recording(ingest::StoreHub& hub, const std::string& rec, const std::string& app,
                         int frames) {
    hub.handle("test", store_info(rec, app));
    const size_t nf = size_t(frames);
    std::vector<int64_t> times(nf);
    for (int i = 0; i < frames; ++i)
        times[size_t(i)] = i;
    // Points: a spiral that grows with the frame.
    {
        std::vector<std::vector<float>> pos(nf);
        std::vector<std::vector<uint32_t>> col(nf);
        for (int f = 0; f < frames; ++f) {
            const int n = 200;
            for (int i = 0; i < n; ++i) {
                const float t = float(i) / n * 12.0f;
                const float r = 0.5f + t * 0.25f + 0.02f * float(f);
                pos[size_t(f)].insert(pos[size_t(f)].end(),
                                      {r * std::cos(t), r * std::sin(t), t * 0.3f});
                const uint8_t g = uint8_t(255 * i / n);
                col[size_t(f)].push_back(0xff000000u | (uint32_t(g) << 16) |
                                         (uint32_t(255 - g) << 8) | 0xff);
            }
        }
        send(hub, rec,
             ChunkBuilder("/world/points", "frame", times)
                 .fixed<float>("Points3D", "positions", ct::Position3D, pos)
                 .fixed<uint32_t>("Points3D", "colors", ct::Color, col)
                 .fixed<float>("Points3D", "radii", ct::Radius,
                               std::vector<std::vector<float>>(nf, {0.06f}))
                 .build());
    }
    send(hub, rec,
         ChunkBuilder::static_chunk("/world")
             .fixed<uint8_t>("ViewCoordinates", "xyz", ct::ViewCoordinates, {{3, 5, 1}})
             .build());
    send(
        hub, rec,
        ChunkBuilder::static_chunk("/world/boxes")
            .fixed<float>("Boxes3D", "half_sizes", ct::HalfSize3D, {{1, 1, 0.5f, 0.5f, 0.5f, 1.5f}})
            .fixed<float>("Boxes3D", "centers", ct::PoseTranslation3D, {{-3, 0, 0.5f, 3, 0, 1.5f}})
            .fixed<uint32_t>("Boxes3D", "colors", ct::Color, {{0xff8800ff, 0x33ccffff}})
            .text("Boxes3D", "labels", ct::Text, {"crate"})
            .build());
    send(hub, rec,
         ChunkBuilder::static_chunk("/world/arrows")
             .fixed<float>("Arrows3D", "vectors", ct::Vector3D, {{1.5f, 0, 0, 0, 1.5f, 0}})
             .fixed<float>("Arrows3D", "origins", ct::Position3D, {{0, -4, 0}})
             .fixed<uint32_t>("Arrows3D", "colors", ct::Color, {{0xff4060ff, 0x40ff60ff}})
             .build());
    send(hub, rec,
         ChunkBuilder::static_chunk("/world/path")
             .list<float>("LineStrips3D", "strips", ct::LineStrip3D,
                          {{{-4, 4, 0, -2, 4, 1, 0, 4, 0, 2, 4, 1, 4, 4, 0}}})
             .fixed<uint32_t>("LineStrips3D", "colors", ct::Color, {{0xffff66ff}})
             .build());
    send(hub, rec,
         ChunkBuilder::static_chunk("/world/mesh")
             .fixed<float>("Mesh3D", "vertex_positions", ct::Position3D,
                           {{3, -4, 0, 5, -4, 0, 4, -2.5f, 0, 4, -3.3f, 1.5f}})
             .fixed<uint32_t>("Mesh3D", "triangle_indices", ct::TriangleIndices,
                              {{0, 1, 2, 0, 1, 3, 1, 2, 3, 2, 0, 3}})
             .fixed<uint32_t>("Mesh3D", "vertex_colors", ct::Color,
                              {{0xff0000ff, 0x00ff00ff, 0x0000ffff, 0xffffffff}})
             .build());
    // An RGB image with a gradient, and boxes/points over it.
    {
        const uint32_t w = 160, h = 120;
        std::vector<uint8_t> px(w * h * 3);
        for (uint32_t y = 0; y < h; ++y)
            for (uint32_t x = 0; x < w; ++x) {
                uint8_t* p = &px[(y * w + x) * 3];
                p[0] = uint8_t(x * 255 / w);
                p[1] = uint8_t(y * 255 / h);
                p[2] = 128;
            }
        send(hub, rec,
             ChunkBuilder::static_chunk("/camera/image")
                 .list<uint8_t>("Image", "buffer", ct::ImageBuffer, {{px}})
                 .fixed<uint32_t>(
                     "Image", "format", ct::ImageFormat,
                     {{w, h, uint32_t(core::ImageColorModel::RGB), uint32_t(core::ScalarType::U8)}})
                 .build());
        send(hub, rec,
             ChunkBuilder::static_chunk("/camera/image/detections")
                 .fixed<float>("Boxes2D", "half_sizes", ct::HalfSize2D, {{20, 15, 12, 12}})
                 .fixed<float>("Boxes2D", "centers", ct::Position2D, {{50, 40, 110, 80}})
                 .fixed<uint32_t>("Boxes2D", "colors", ct::Color, {{0x00ff00ff, 0xff00ffff}})
                 .text("Boxes2D", "labels", ct::Text, {"person"})
                 .build());
        std::vector<std::vector<float>> kp(nf);
        for (int f = 0; f < frames; ++f)
            kp[size_t(f)] = {20.0f + float(f), 100.0f, 140.0f - float(f) * 0.5f, 20.0f};
        send(hub, rec,
             ChunkBuilder("/camera/image/keypoints", "frame", times)
                 .fixed<float>("Points2D", "positions", ct::Position2D, kp)
                 .fixed<float>("Points2D", "radii", ct::Radius,
                               std::vector<std::vector<float>>(nf, {-4.0f}))
                 .build());
    }
    // Scalars: two entities, sine and cosine, with names and colours.
    {
        std::vector<std::vector<double>> sine(nf), cosine(nf);
        for (int f = 0; f < frames; ++f) {
            sine[size_t(f)] = {std::sin(f * 0.1)};
            cosine[size_t(f)] = {std::cos(f * 0.07) * 0.5};
        }
        send(hub, rec,
             ChunkBuilder("/metrics/sin", "frame", times)
                 .fixed<double>("Scalars", "scalars", ct::Scalar, sine)
                 .build());
        send(hub, rec,
             ChunkBuilder("/metrics/cos", "frame", times)
                 .fixed<double>("Scalars", "scalars", ct::Scalar, cosine)
                 .build());
        send(hub, rec,
             ChunkBuilder::static_chunk("/metrics/sin")
                 .fixed<uint32_t>("SeriesLines", "colors", ct::Color, {{0xff5050ff}})
                 .text("SeriesLines", "names", ct::Name, {"sin(t)"})
                 .build());
    }
    // Text log every 10 frames.
    {
        std::vector<int64_t> lt;
        std::vector<std::string> text, level;
        const char* levels[] = {"INFO", "DEBUG", "WARN", "ERROR", "INFO"};
        for (int f = 0; f < frames; f += 10) {
            lt.push_back(f);
            text.push_back("frame " + std::to_string(f) + ": processed " + std::to_string(f * 7) +
                           " items");
            level.push_back(levels[(f / 10) % 5]);
        }
        send(hub, rec,
             ChunkBuilder("/logs", "frame", lt)
                 .text("TextLog", "text", ct::Text, text)
                 .text("TextLog", "level", ct::TextLogLevel, level)
                 .build());
    }
    send(hub, rec,
         ChunkBuilder::static_chunk("/readme")
             .text("TextDocument", "text", ct::Text,
                   {"# Demo recording\n\nSynthetic data for the viewer tests.\n\n- points, "
                    "boxes, arrows\n- an image with detections\n- two scalar series"})
             .text("TextDocument", "media_type", ct::MediaType, {"text/markdown"})
             .build());
}

void fill_pixel_test_recording(ingest::StoreHub& hub, const std::string& rec) {
    hub.handle("test", store_info(rec, "pixel_test"));
    // A dense 9x9 block of big red points around the origin: the camera fits it in the middle.
    std::vector<float> pos;
    for (int i = -4; i <= 4; ++i)
        for (int j = -4; j <= 4; ++j)
            pos.insert(pos.end(), {float(i) * 0.1f, float(j) * 0.1f, 0.0f});
    send(hub, rec,
         ChunkBuilder("/world/red", "frame", {0})
             .fixed<float>("Points3D", "positions", ct::Position3D, {pos})
             .fixed<uint32_t>("Points3D", "colors", ct::Color, {{0xff0000ff}})
             .fixed<float>("Points3D", "radii", ct::Radius, {{-12.0f}})
             .build());
}

void fill_big_points(ingest::StoreHub& hub, const std::string& rec, size_t n) {
    hub.handle("test", store_info(rec, "bench_points"));
    std::mt19937 rng(1);
    std::normal_distribution<float> d(0.0f, 1.0f);
    std::vector<float> pos(n * 3);
    for (auto& v : pos)
        v = d(rng);
    send(hub, rec,
         ChunkBuilder("/cloud", "frame", {0})
             .fixed<float>("Points3D", "positions", ct::Position3D, {std::move(pos)})
             .build());
}

void fill_big_series(ingest::StoreHub& hub, const std::string& rec, size_t n) {
    hub.handle("test", store_info(rec, "bench_series"));
    const size_t per_chunk = 1'000'000;
    for (size_t start = 0; start < n; start += per_chunk) {
        const size_t m = std::min(per_chunk, n - start);
        std::vector<int64_t> times(m);
        std::vector<double> values(m);
        for (size_t i = 0; i < m; ++i) {
            times[i] = int64_t(start + i);
            const double t = double(start + i);
            values[i] = std::sin(t * 1e-4) + 0.1 * std::sin(t * 0.37);
        }
        send(hub, rec,
             ChunkBuilder("/series", "frame", std::move(times))
                 .fixed_flat<double>("Scalars", "scalars", ct::Scalar, std::move(values))
                 .build());
    }
}

}  // namespace rerun::viewer::testing
