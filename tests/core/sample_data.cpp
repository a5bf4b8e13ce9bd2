#include "sample_data.hpp"

#include <cstring>

namespace rerun::core::testing {

ComponentColumn text_column(std::string name, const std::vector<std::string>& rows) {
    ComponentColumn c;
    c.descriptor = {"rerun.archetypes.TextLog", std::move(name), "rerun.components.Text"};
    c.type = {ElementKind::Utf8, ScalarType::U8, 1};
    c.num_rows = rows.size();
    std::vector<uint32_t> offsets{0};
    std::vector<uint8_t> bytes;
    for (const auto& s : rows) {
        bytes.insert(bytes.end(), s.begin(), s.end());
        offsets.push_back(uint32_t(bytes.size()));
    }
    c.list_offsets = Buffer::from_vector(std::move(offsets));
    c.values = Buffer::from_vector(std::move(bytes));
    return c;
}

ChunkPtr sample_chunk(const std::string& path, uint64_t rows, int64_t first_frame) {
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = EntityPath::parse_lenient(path);
    chunk->num_rows = rows;
    std::vector<Tuid> ids;
    std::vector<int64_t> frames, stamps;
    for (uint64_t r = 0; r < rows; ++r) {
        ids.push_back(Tuid::make());
        frames.push_back(first_frame + int64_t(r));
        stamps.push_back(1'700'000'000'000'000'000 + int64_t(r) * 1000);
    }
    chunk->row_ids = Buffer::from_vector(std::move(ids));
    chunk->timelines.push_back(
        {{"frame", TimeType::Sequence}, Buffer::from_vector(std::move(frames))});
    chunk->timelines.push_back(
        {{"log_time", TimeType::Timestamp}, Buffer::from_vector(std::move(stamps))});

    // Positions: row r has r % 3 points (zero points is an explicit empty value).
    ComponentColumn positions;
    positions.descriptor = {"rerun.archetypes.Points3D", "Points3D:positions",
                            "rerun.components.Position3D"};
    positions.type = {ElementKind::Fixed, ScalarType::F32, 3};
    positions.num_rows = rows;
    std::vector<uint32_t> row_offsets{0};
    std::vector<float> xyz;
    for (uint64_t r = 0; r < rows; ++r) {
        for (uint64_t i = 0; i < r % 3; ++i) {
            xyz.insert(xyz.end(), {float(r), float(i), -1.5f});
        }
        row_offsets.push_back(uint32_t(xyz.size() / 3));
    }
    positions.row_offsets = Buffer::from_vector(std::move(row_offsets));
    positions.values = Buffer::from_vector(std::move(xyz));
    chunk->components.push_back(std::move(positions));

    std::vector<uint32_t> colors;
    std::vector<double> scalars;
    std::vector<std::string> texts;
    for (uint64_t r = 0; r < rows; ++r) {
        colors.push_back(0xFF000000u | uint32_t(r));
        scalars.push_back(double(r) * 0.25);
        texts.push_back("row " + std::to_string(r) + " \xC3\xA9");
    }
    chunk->components.push_back(
        fixed_column("Points3D:colors", ScalarType::U32, 1, std::move(colors), rows));
    chunk->components.push_back(
        fixed_column("Scalars:scalars", ScalarType::F64, 1, std::move(scalars), rows));
    chunk->components.push_back(text_column("TextLog:text", texts));

    // A list column: one line strip per row with r + 1 points (f32x2).
    ComponentColumn strips;
    strips.descriptor = {"rerun.archetypes.LineStrips2D", "LineStrips2D:strips",
                         "rerun.components.LineStrip2D"};
    strips.type = {ElementKind::List, ScalarType::F32, 2};
    strips.num_rows = rows;
    std::vector<uint32_t> list_offsets{0};
    std::vector<float> points;
    for (uint64_t r = 0; r < rows; ++r) {
        for (uint64_t p = 0; p <= r; ++p)
            points.insert(points.end(), {float(p), float(r)});
        list_offsets.push_back(uint32_t(points.size() / 2));
    }
    strips.list_offsets = Buffer::from_vector(std::move(list_offsets));
    strips.values = Buffer::from_vector(std::move(points));
    chunk->components.push_back(std::move(strips));

    // Absent on odd rows.
    ComponentColumn sparse;
    sparse.descriptor = {"", "Custom:sparse", ""};
    sparse.type = {ElementKind::Fixed, ScalarType::I16, 2};
    sparse.num_rows = rows;
    std::vector<uint8_t> validity;
    std::vector<uint32_t> sparse_offsets{0};
    std::vector<int16_t> sparse_values;
    for (uint64_t r = 0; r < rows; ++r) {
        const bool present = r % 2 == 0;
        validity.push_back(present ? 1 : 0);
        if (present) sparse_values.insert(sparse_values.end(), {int16_t(-int(r)), int16_t(r)});
        sparse_offsets.push_back(uint32_t(sparse_values.size() / 2));
    }
    sparse.validity = Buffer::from_vector(std::move(validity));
    sparse.row_offsets = Buffer::from_vector(std::move(sparse_offsets));
    sparse.values = Buffer::from_vector(std::move(sparse_values));
    chunk->components.push_back(std::move(sparse));
    return chunk;
}

std::vector<Message> sample_messages() {
    // Built once: the ids inside are random, and tests compare decoded files with these.
    static const std::vector<Message> messages = [] {
        const StoreId rec{StoreKind::Recording, "my_shared_recording"};
        const StoreId bp{StoreKind::Blueprint, "bp-1"};
        std::vector<Message> out;
        out.push_back(
            StoreInfo{rec, "my_app", 1'700'000'000'000'000'000, {"cpp", "0.1.0", "test"}});
        out.push_back(ChunkMessage{rec, sample_chunk("world/points", 5)});
        out.push_back(ChunkMessage{rec, sample_chunk("/world/robot/arm", 1, 100)});
        auto static_chunk = std::make_shared<Chunk>();
        static_chunk->id = Tuid::make();
        static_chunk->entity_path = EntityPath::parse_lenient("world/label");
        static_chunk->is_static = true;
        static_chunk->num_rows = 1;
        static_chunk->row_ids = Buffer::from_vector(std::vector<Tuid>{Tuid::make()});
        static_chunk->components.push_back(text_column("TextDocument:text", {"# hello"}));
        out.push_back(ChunkMessage{rec, static_chunk});
        out.push_back(StoreInfo{bp, "my_app", 5, {"cpp", "0.1.0", ""}});
        out.push_back(BlueprintActivation{bp, true, false});
        out.push_back(EndOfStream{rec});
        return out;
    }();
    return messages;
}

Bytes sample_file(bool compress) {
    Bytes out;
    append_file_header(out);
    for (const auto& m : sample_messages())
        append_frame(out, m, {compress});
    return out;
}

DecodeResult decode_all(std::span<const uint8_t> input, size_t piece, FrameDecoder::Framing framing,
                        DecoderLimits limits) {
    DecodeResult result;
    FrameDecoder decoder(framing, limits);
    auto drain = [&] {
        while (auto event = decoder.next()) {
            if (auto* f = std::get_if<DecodedFrame>(&*event)) {
                result.frames.push_back(std::move(*f));
            } else {
                result.issues.push_back(std::get<DecodeIssue>(*event));
            }
        }
    };
    for (size_t at = 0; at < input.size(); at += piece) {
        decoder.feed(input.subspan(at, std::min(piece, input.size() - at)));
        drain();
    }
    drain();
    if (auto issue = decoder.finish()) result.issues.push_back(*issue);
    return result;
}

namespace {

bool buffers_equal(const Buffer& a, const Buffer& b) {
    return a.size() == b.size() &&
           (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

bool chunks_equal(const Chunk& a, const Chunk& b) {
    if (a.id != b.id || !(a.entity_path == b.entity_path) || a.is_static != b.is_static ||
        a.num_rows != b.num_rows || !buffers_equal(a.row_ids, b.row_ids) ||
        a.timelines.size() != b.timelines.size() || a.components.size() != b.components.size()) {
        return false;
    }
    for (size_t i = 0; i < a.timelines.size(); ++i) {
        if (!(a.timelines[i].timeline == b.timelines[i].timeline) ||
            !buffers_equal(a.timelines[i].times, b.timelines[i].times)) {
            return false;
        }
    }
    for (size_t i = 0; i < a.components.size(); ++i) {
        const auto& x = a.components[i];
        const auto& y = b.components[i];
        if (!(x.descriptor == y.descriptor) || !(x.type == y.type) || x.num_rows != y.num_rows ||
            !buffers_equal(x.validity, y.validity) ||
            !buffers_equal(x.row_offsets, y.row_offsets) ||
            !buffers_equal(x.list_offsets, y.list_offsets) || !buffers_equal(x.values, y.values)) {
            return false;
        }
    }
    return true;
}

}  // namespace

bool messages_equal(const Message& a, const Message& b) {
    if (a.index() != b.index()) return false;
    if (const auto* ca = std::get_if<ChunkMessage>(&a)) {
        const auto& cb = std::get<ChunkMessage>(b);
        return ca->store == cb.store && chunks_equal(*ca->chunk, *cb.chunk);
    }
    return std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, ChunkMessage>) {
                return false;
            } else {
                return x == std::get<T>(b);
            }
        },
        a);
}

ChunkPtr point_cloud_chunk(std::vector<uint32_t> row_offsets) {
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = EntityPath::parse_lenient("cloud");
    chunk->num_rows = row_offsets.size() - 1;
    std::vector<Tuid> ids;
    for (uint64_t r = 0; r < chunk->num_rows; ++r)
        ids.push_back(Tuid::make());
    chunk->row_ids = Buffer::from_vector(std::move(ids));
    std::vector<float> xyz(3 * size_t(row_offsets.back()));
    for (size_t i = 0; i < xyz.size(); ++i)
        xyz[i] = float(i) * 0.5f;
    ComponentColumn c;
    c.descriptor.component = "Points3D:positions";
    c.type = {ElementKind::Fixed, ScalarType::F32, 3};
    c.num_rows = chunk->num_rows;
    c.row_offsets = Buffer::from_vector(std::move(row_offsets));
    c.values = Buffer::from_vector(std::move(xyz));
    chunk->components.push_back(std::move(c));
    return chunk;
}

}  // namespace rerun::core::testing
