// The SDK's blueprint builder (rerun/blueprint.hpp, rerun::blueprint::api) against the viewer's
// blueprint model (rerun_blueprint): every element built in code reaches the model unchanged,
// through send_blueprint() (a memory sink) and through Blueprint::save() (.rbl file).
//
// Both live in namespace rerun::blueprint; the SDK's names are in the inline namespace `api`, so
// `api::Blueprint` names the builder, and the model's Blueprint is only ever held by `auto`.
// The model's headers come first: once the SDK's Blueprint is declared, the model header's own
// unqualified uses of `Blueprint` would be ambiguous. (Programs of users never include both.)
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

// clang-format off
#include "rerun/blueprint/blueprint_store.hpp"
#include "rerun.hpp"
// clang-format on
#include "rerun/core/codec.hpp"

namespace fs = std::filesystem;
namespace rrb = rerun::blueprint::api;
namespace model = rerun::blueprint;
using rerun::core::EntityPath;

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

// Every element: the four container kinds (nested), the five view classes, names, origins,
// contents with exclusions and $origin, every view property, shares, active tab, grid columns.
rrb::Blueprint full_sdk_blueprint() {
    return rrb::Blueprint(
        rrb::Horizontal(
            rrb::Spatial3DView("/world", "+ $origin/**; - /world/noise", "World")
                .with_background(rerun::Color(32, 64, 192)),
            rrb::Tabs(rrb::TimeSeriesView("/metrics")
                          .with_name("Metrics")
                          .with_time_range(-100, 0)
                          .with_x_range(0.5, 10.25)
                          .with_y_range(-1.0, 1.0),
                      rrb::Grid(rrb::Spatial2DView("/camera"), rrb::TextLogView("/logs"),
                                rrb::TextDocumentView("/readme").with_name("caf\xC3\xA9"))
                          .with_grid_columns(2),
                      rrb::Vertical().with_name("empty"))
                .with_active_tab(1))
            .with_name("root")
            .with_column_shares({2.0f, 1.0f}));
}

const model::View& view_at(const model::Container& c, size_t i) {
    REQUIRE(i < c.children.size());
    const auto* v = std::get_if<model::View>(&c.children[i]);
    REQUIRE(v != nullptr);
    return *v;
}
const model::Container& container_at(const model::Container& c, size_t i) {
    REQUIRE(i < c.children.size());
    const auto* sub = std::get_if<std::unique_ptr<model::Container>>(&c.children[i]);
    REQUIRE(sub != nullptr);
    return **sub;
}

// Checks the decoded model against full_sdk_blueprint(), element by element.
template <class ModelBlueprint>
void check_full(const ModelBlueprint& bp) {
    CHECK_FALSE(bp.auto_layout);
    const auto& root = bp.root();
    CHECK(root.kind == model::ContainerKind::Horizontal);
    CHECK(root.name == "root");
    CHECK(root.shares == std::vector<float>{2.0f, 1.0f});
    const auto& world = view_at(root, 0);
    CHECK(world.cls == model::ViewClass::Spatial3D);
    CHECK(world.name == "World");
    CHECK(world.origin == *EntityPath::parse("/world"));
    CHECK(world.contents == *model::EntityQuery::parse("+ $origin/**\n- /world/noise"));
    CHECK(world.properties.background == std::optional<uint32_t>(0x2040C0FF));
    CHECK_FALSE(world.properties.time_range);
    const auto& tabs = container_at(root, 1);
    CHECK(tabs.kind == model::ContainerKind::Tabs);
    CHECK(tabs.active_tab == 1);
    const auto& metrics = view_at(tabs, 0);
    CHECK(metrics.cls == model::ViewClass::TimeSeries);
    CHECK(metrics.name == "Metrics");
    CHECK(metrics.contents == model::EntityQuery::everything_under_origin());
    CHECK(metrics.properties.time_range == std::optional<std::pair<int64_t, int64_t>>({-100, 0}));
    CHECK(metrics.properties.x_range == std::optional<std::pair<double, double>>({0.5, 10.25}));
    CHECK(metrics.properties.y_range == std::optional<std::pair<double, double>>({-1.0, 1.0}));
    const auto& grid = container_at(tabs, 1);
    CHECK(grid.kind == model::ContainerKind::Grid);
    CHECK(grid.grid_columns == 2);
    CHECK(view_at(grid, 0).cls == model::ViewClass::Spatial2D);
    CHECK(view_at(grid, 0).origin == *EntityPath::parse("/camera"));
    CHECK(view_at(grid, 1).cls == model::ViewClass::TextLog);
    CHECK(view_at(grid, 2).cls == model::ViewClass::TextDocument);
    CHECK(view_at(grid, 2).name == "caf\xC3\xA9");
    const auto& empty = container_at(tabs, 2);
    CHECK(empty.kind == model::ContainerKind::Vertical);
    CHECK(empty.name == "empty");
    CHECK(empty.children.empty());
    CHECK(bp.view_count() == 5);
    CHECK(model::describe(bp) ==
          "Horizontal \"root\"[Spatial3D(/world \"World\" {+ $origin/**;- /world/noise}), "
          "Tabs[TimeSeries(/metrics \"Metrics\"), Grid[Spatial2D(/camera), TextLog(/logs), "
          "TextDocument(/readme \"caf\xC3\xA9\")], Vertical \"empty\"[]]]");
}

struct Decoded {
    std::vector<rerun::core::Message> messages;
    std::vector<rerun::core::ChunkPtr> blueprint_chunks;
};

Decoded decode(std::span<const uint8_t> bytes, rerun::core::FrameDecoder::Framing framing) {
    rerun::core::FrameDecoder decoder(framing);
    decoder.feed(bytes);
    Decoded out;
    while (auto event = decoder.next()) {
        const auto* frame = std::get_if<rerun::core::DecodedFrame>(&*event);
        REQUIRE_MESSAGE(frame != nullptr, std::get<rerun::core::DecodeIssue>(*event).message);
        if (const auto* chunk = std::get_if<rerun::core::ChunkMessage>(&frame->message)) {
            if (chunk->store.kind == rerun::core::StoreKind::Blueprint)
                out.blueprint_chunks.push_back(chunk->chunk);
        }
        out.messages.push_back(frame->message);
    }
    return out;
}

}  // namespace

TEST_CASE("every SDK blueprint element reaches the blueprint model through send_blueprint") {
    const auto rec = rerun::RecordingStream("sdk_blueprint_app");
    const auto sink = rec.memory();
    rec.log_static("world/points", rerun::Points3D({{0.0f, 0.0f, 0.0f}}));
    REQUIRE(rec.send_blueprint(full_sdk_blueprint(), true, false).is_ok());
    rec.flush_blocking(5.0f);
    const auto bytes = sink.take();
    const auto decoded = decode(bytes, rerun::core::FrameDecoder::Framing::File);

    // The blueprint store: its own StoreInfo with the stream's application id, its chunks, and
    // last the activation with the flags given.
    std::optional<rerun::core::StoreId> store;
    size_t info_at = 0, activation_at = 0, last_chunk_at = 0;
    for (size_t i = 0; i < decoded.messages.size(); ++i) {
        const auto& m = decoded.messages[i];
        if (const auto* info = std::get_if<rerun::core::StoreInfo>(&m)) {
            if (info->store.kind != rerun::core::StoreKind::Blueprint) continue;
            store = info->store;
            info_at = i;
            CHECK(info->application_id == "sdk_blueprint_app");
            CHECK(info->store.id != rec.get_recording_id());
        } else if (const auto* act = std::get_if<rerun::core::BlueprintActivation>(&m)) {
            activation_at = i;
            REQUIRE(store);
            CHECK(act->blueprint == *store);
            CHECK(act->make_active);
            CHECK_FALSE(act->make_default);
        } else if (const auto* chunk = std::get_if<rerun::core::ChunkMessage>(&m)) {
            if (chunk->store.kind == rerun::core::StoreKind::Blueprint) last_chunk_at = i;
        }
    }
    REQUIRE(store);
    CHECK(info_at < last_chunk_at);
    CHECK(last_chunk_at < activation_at);

    std::string error;
    const auto bp = model::blueprint_from_chunks(decoded.blueprint_chunks, &error);
    REQUIRE_MESSAGE(bp, error);
    check_full(*bp);
}

TEST_CASE("Blueprint::save writes a .rbl file the model reads, activated on open") {
    char pattern[] = "/tmp/bp_sdk_XXXXXX";
    const fs::path dir = ::mkdtemp(pattern);
    const fs::path path = dir / "layout.rbl";
    REQUIRE(full_sdk_blueprint().save("my_app", path.string()).is_ok());
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(text.data()),
                                         text.size());
    std::string error;
    const auto bp = model::decode_rbl(bytes, &error);
    REQUIRE_MESSAGE(bp, error);
    check_full(*bp);
    const auto decoded = decode(bytes, rerun::core::FrameDecoder::Framing::File);
    REQUIRE_FALSE(decoded.messages.empty());
    const auto* act = std::get_if<rerun::core::BlueprintActivation>(&decoded.messages.back());
    REQUIRE(act != nullptr);
    CHECK(act->make_active);
    // The viewer's own .rbl files carry the same activation.
    const auto again =
        decode(model::encode_rbl(*bp, "my_app"), rerun::core::FrameDecoder::Framing::File);
    const auto* own = std::get_if<rerun::core::BlueprintActivation>(&again.messages.back());
    REQUIRE(own != nullptr);
    CHECK(own->make_active);
    fs::remove_all(dir);
}

TEST_CASE("a bad blueprint is refused with a clear error, nothing is sent") {
    const auto rec = rerun::RecordingStream("sdk_blueprint_app");
    const auto sink = rec.memory();
    rerun::set_strict_mode(false);
    const auto bad_origin = rec.send_blueprint(rrb::Blueprint(rrb::Spatial3DView("/a//b")));
    CHECK(bad_origin.code == rerun::ErrorCode::InvalidEntityPath);
    CHECK(bad_origin.description.find("/a//b") != std::string::npos);
    const auto bad_shares = rec.send_blueprint(rrb::Blueprint(
        rrb::Horizontal(rrb::TextLogView("/logs")).with_column_shares({1.0f, 2.0f})));
    CHECK(bad_shares.code == rerun::ErrorCode::InvalidArchetypeField);
    CHECK(bad_shares.description.find("1 children but 2 shares") != std::string::npos);
    rec.flush_blocking(5.0f);
    const auto decoded = decode(sink.take(), rerun::core::FrameDecoder::Framing::File);
    CHECK(decoded.blueprint_chunks.empty());
}

TEST_CASE("views alone become a grid root; one container is the root") {
    const auto rec = rerun::RecordingStream("sdk_blueprint_app");
    const auto sink = rec.memory();
    REQUIRE(rec.send_blueprint(rrb::Blueprint(rrb::Spatial3DView(), rrb::TimeSeriesView("/m")))
                .is_ok());
    rec.flush_blocking(5.0f);
    const auto decoded = decode(sink.take(), rerun::core::FrameDecoder::Framing::File);
    std::string error;
    const auto bp = model::blueprint_from_chunks(decoded.blueprint_chunks, &error);
    REQUIRE_MESSAGE(bp, error);
    CHECK(model::describe(*bp) == "Grid[Spatial3D(/), TimeSeries(/m)]");
    // Copying a container copies it (it does not nest the copy).
    rrb::Vertical v(rrb::TextLogView("/logs"));
    rrb::Vertical copy(v);
    CHECK(copy.children().size() == 1);
    CHECK(copy.children()[0].view() != nullptr);
}
