// Code written for the upstream C++ SDK's common subset compiles unchanged and logs what it says.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

#include "test_support.hpp"

TEST_CASE("upstream-style programs compile and log") {
    const auto rec = rerun::RecordingStream("rerun_example_snippets");
    auto mem = rec.memory();

    // Points with colors and radii from the getting-started guide.
    std::vector<rerun::Position3D> points = {{0.0f, 0.0f, 0.0f}, {1.0f, 1.0f, 1.0f}};
    std::vector<rerun::Color> colors = {{255, 0, 0}, {0, 255, 0}};
    rec.log("my_points", rerun::Points3D(points).with_colors(colors).with_radii({0.5f}));
    rec.log("single", rerun::Points3D({{1.0f, 2.0f, 3.0f}}));
    rec.log("radius", rerun::Points3D(points).with_radii(0.1f));
    rec.log("grid", rerun::Points3D(rerun::demo::grid3d<rerun::Position3D, float>(-1.f, 1.f, 4)));

    // Time.
    rec.set_time_sequence("frame", 42);
    rec.set_time_duration_secs("elapsed", 1.0);
    rec.set_time_timestamp_secs_since_epoch("wall", 1'700'000'000.0);
    rec.set_time("now", std::chrono::system_clock::now());
    rec.set_time_duration("since_start", std::chrono::seconds(3));
    rec.set_time_seconds("legacy", 2.5);

    // Scalars and series styling.
    for (int step = 0; step < 10; ++step) {
        rec.set_time_sequence("step", step);
        rec.log("scalars/sin", rerun::Scalars(std::sin(step / 10.0)));
    }
    rec.log_static("scalars/sin", rerun::SeriesLines()
                                      .with_colors(rerun::Color(255, 0, 0))
                                      .with_names("sin(0.01t)")
                                      .with_widths(2.f));
    rec.log_static("scalars/cos", rerun::SeriesPoints()
                                      .with_colors(rerun::Color(0, 255, 0))
                                      .with_names("cos(0.01t)")
                                      .with_markers(rerun::components::MarkerShape::Circle)
                                      .with_marker_sizes(4.f));

    // Transforms, coordinates, cameras.
    rec.log_static("world", rerun::ViewCoordinates::RIGHT_HAND_Z_UP);
    rec.log("world/a", rerun::Transform3D::from_translation({1.0f, 2.0f, 3.0f}));
    rec.log("world/b", rerun::Transform3D::from_rotation(rerun::RotationAxisAngle(
                           {0.0f, 0.0f, 1.0f}, rerun::Angle::radians(rerun::demo::PI / 4))));
    rec.log("world/c", rerun::Transform3D::from_translation_rotation_scale(
                           {0.f, 0.f, 1.f}, rerun::Quaternion::IDENTITY, 2.0f));
    rec.log("world/d", rerun::Transform3D::from_mat3x3(
                           rerun::Mat3x3({1.f, 0.f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f, 1.f})));
    rec.log("world/camera", rerun::Pinhole::from_focal_length_and_resolution(3.0f, {3.0f, 3.0f})
                                .with_camera_xyz(rerun::components::ViewCoordinates::RDF));
    rec.log("world/camera2", rerun::Pinhole::from_fov_and_aspect_ratio(0.7f, 1.5f));

    // Shapes.
    rec.log("boxes",
            rerun::Boxes3D::from_centers_and_half_sizes({{2.0f, 0.0f, 0.0f}, {-2.0f, 0.0f, 0.0f}},
                                                        {{2.0f, 2.0f, 1.0f}, {1.0f, 1.0f, 0.5f}})
                .with_colors({rerun::Color(0, 0, 255), rerun::Color(0, 255, 0)})
                .with_labels({"big", "small"}));
    rec.log("box2d", rerun::Boxes2D::from_mins_and_sizes({{-1.f, -1.f}}, {{2.f, 2.f}}));
    rec.log("strips", rerun::LineStrips3D({{{0.f, 0.f, 0.f}, {0.f, 0.f, 1.f}},
                                           {{1.f, 0.f, 0.f}, {1.f, 0.f, 1.f}, {1.f, 1.f, 0.f}}}));
    const std::vector<rerun::Vec2D> strip2d = {{0.f, 0.f}, {2.f, 1.f}, {4.f, -1.f}};
    rec.log("strip2d", rerun::LineStrips2D(rerun::LineStrip2D(strip2d)));
    rec.log("arrows",
            rerun::Arrows3D::from_vectors({{1.0f, 0.0f, 0.0f}}).with_origins({{0.f, 0.f, 0.f}}));
    rec.log("arrows2d", rerun::Arrows2D::from_vectors({{1.f, 1.f}}));
    rec.log("mesh", rerun::Mesh3D({{0.f, 0.f, 0.f}, {1.f, 0.f, 0.f}, {0.f, 1.f, 0.f}})
                        .with_vertex_normals({{0.f, 0.f, 1.f}})
                        .with_vertex_colors({0xFF0000FF, 0x00FF00FF, 0x0000FFFF}));

    // Images.
    const int w = 8, h = 4;
    std::vector<uint8_t> rgb(size_t(w * h * 3), 128);
    rec.log("image", rerun::Image::from_rgb24(rgb, {w, h}));
    rec.log("image2", rerun::Image(rgb.data(), {w, h}, rerun::ColorModel::RGB));
    std::vector<uint8_t> grey(size_t(w * h), 64);
    rec.log("grey", rerun::Image::from_greyscale8(grey, {w, h}));
    std::vector<float> depth(size_t(w * h), 2.5f);
    rec.log("depth", rerun::DepthImage(depth.data(), {w, h})
                         .with_meter(1.0f)
                         .with_colormap(rerun::components::Colormap::Viridis));
    std::vector<float> f32(size_t(w * h), 0.5f);
    rec.log("float_image",
            rerun::Image(rerun::Collection<float>(f32), {w, h}, rerun::ColorModel::L));

    // Text.
    rec.log("log", rerun::TextLog("Application started").with_level(rerun::TextLogLevel::Info));
    rec.log("readme", rerun::TextDocument("# Hello").with_media_type(rerun::MediaType::markdown()));

    // Clearing, several archetypes at once, fallible variants.
    rec.log("boxes", rerun::Clear::FLAT);
    rec.log("world", rerun::Clear::RECURSIVE);
    rec.log("combo", rerun::Points3D(points), rerun::Clear(false));
    CHECK(rec.try_log("try", rerun::Scalars(1.0)).is_ok());
    CHECK(rec.try_log_static("try_static", rerun::Scalars(1.0)).is_ok());

    // Results.
    rerun::Error err = rec.flush_blocking();
    CHECK(err.is_ok());
    err.handle();

    const auto d = sdk_test::decode(mem.take());
    CHECK(d.issues.empty());
    for (const auto& c : d.chunks)
        CHECK(c.chunk->validate() == "");
    CHECK(d.rows("/my_points") == 1);
    CHECK(d.rows("/scalars/sin") == 11);  // 10 values + the static styling row
    CHECK(d.rows("/world/camera") == 1);
    CHECK(d.rows("/strips") == 1);
    const auto strips = d.chunks_of("/strips");
    REQUIRE(strips.size() == 1);
    CHECK(strips[0]->find_component("LineStrips3D:strips")->num_instances() == 2);
    const auto mesh = d.chunks_of("/mesh");
    REQUIRE(mesh.size() == 1);
    CHECK(mesh[0]->find_component("Mesh3D:vertex_colors")->values_as<uint32_t>()[0] == 0xFF0000FFu);
    const auto f =
        d.chunks_of("/float_image")[0]->find_component("Image:format")->values_as<uint32_t>();
    CHECK(f[3] == uint32_t(rerun::core::ScalarType::F32));
}

namespace {

// Every archetype: update_fields() sets nothing, clear_fields() sets every field to an empty
// batch (collect_batches sees each field once).
template <class T>
void check_partial_update_constructors(const char* name) {
    INFO(name);
    rerun::detail::BatchRef refs[T::kMaxBatches];
    CHECK(T::update_fields().collect_batches(refs) == 0);
    const size_t n = T::clear_fields().collect_batches(refs);
    CHECK(n == T::kMaxBatches);
    for (size_t i = 0; i < n; ++i)
        CHECK(refs[i].num_instances == 0);
}

}  // namespace

TEST_CASE("update_fields() and clear_fields() exist on every archetype") {
#define RERUN_CHECK_ARCHETYPE(T) check_partial_update_constructors<rerun::T>(#T)
    RERUN_CHECK_ARCHETYPE(Points3D);
    RERUN_CHECK_ARCHETYPE(Points2D);
    RERUN_CHECK_ARCHETYPE(Boxes3D);
    RERUN_CHECK_ARCHETYPE(Boxes2D);
    RERUN_CHECK_ARCHETYPE(LineStrips3D);
    RERUN_CHECK_ARCHETYPE(LineStrips2D);
    RERUN_CHECK_ARCHETYPE(Arrows3D);
    RERUN_CHECK_ARCHETYPE(Arrows2D);
    RERUN_CHECK_ARCHETYPE(Mesh3D);
    RERUN_CHECK_ARCHETYPE(Clear);
    RERUN_CHECK_ARCHETYPE(Scalars);
    RERUN_CHECK_ARCHETYPE(SeriesLines);
    RERUN_CHECK_ARCHETYPE(SeriesPoints);
    RERUN_CHECK_ARCHETYPE(TextLog);
    RERUN_CHECK_ARCHETYPE(TextDocument);
    RERUN_CHECK_ARCHETYPE(Image);
    RERUN_CHECK_ARCHETYPE(DepthImage);
    RERUN_CHECK_ARCHETYPE(Transform3D);
    RERUN_CHECK_ARCHETYPE(ViewCoordinates);
    RERUN_CHECK_ARCHETYPE(Pinhole);
#undef RERUN_CHECK_ARCHETYPE
}

TEST_CASE("upstream-style partial updates, clears, rotated boxes and multi-archetype columns") {
    const auto rec = rerun::RecordingStream("rerun_example_partial_updates");
    auto mem = rec.memory();

    // Partial updates (upstream's points3d_partial_updates): positions once, then only radii
    // and colors, then every field cleared except the positions given again.
    std::vector<rerun::Position3D> positions;
    for (int i = 0; i < 10; ++i)
        positions.emplace_back(float(i), 0.0f, 0.0f);
    rec.set_time_sequence("frame", 0);
    rec.log("points", rerun::Points3D(positions));
    for (int i = 0; i < 10; ++i) {
        std::vector<rerun::Color> colors;
        std::vector<rerun::Radius> radii;
        for (int n = 0; n < 10; ++n) {
            colors.emplace_back(n < i ? rerun::Color(20, 200, 20) : rerun::Color(200, 20, 20));
            radii.emplace_back(n < i ? 0.6f : 0.2f);
        }
        rec.set_time_sequence("frame", i);
        rec.log("points", rerun::Points3D::update_fields().with_radii(radii).with_colors(colors));
    }
    rec.set_time_sequence("frame", 20);
    rec.log("points", rerun::Points3D::clear_fields().with_positions(positions).with_radii(0.3f));

    // Clears by their upstream names.
    rec.log("flat", rerun::Clear::FLAT);
    rec.log("tree", rerun::Clear::RECURSIVE);

    // Boxes rotated both ways (upstream's box3d_batch, plus an axis-angle).
    rec.log("batch",
            rerun::Boxes3D::from_centers_and_half_sizes(
                {{2.0f, 0.0f, 0.0f}, {-2.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 2.0f}},
                {{2.0f, 2.0f, 1.0f}, {1.0f, 1.0f, 0.5f}, {2.0f, 0.5f, 1.0f}})
                .with_rotation_axis_angles(
                    {rerun::RotationAxisAngle({0.0f, 0.0f, 1.0f}, rerun::Angle::degrees(30.0f))})
                .with_quaternions({rerun::Quaternion::IDENTITY,
                                   rerun::Quaternion::from_xyzw(0.0f, 0.0f, 0.382683f, 0.923880f)})
                .with_radii({0.025f})
                .with_colors(
                    {rerun::Color(255, 0, 0), rerun::Color(0, 255, 0), rerun::Color(0, 0, 255)})
                .with_fill_mode(rerun::FillMode::Solid)
                .with_labels({"red", "green", "blue"}));

    // Columns of two archetype updates in one call (upstream's points3d_column_updates), on
    // two timelines at once.
    const std::vector<rerun::Position3D> column_positions = {
        {1.0f, 0.0f, 1.0f}, {0.5f, 0.5f, 2.0f},  {1.5f, -0.5f, 1.5f},
        {1.0f, 1.0f, 2.5f}, {-0.5f, 1.5f, 1.0f}, {-1.5f, 0.0f, 2.0f}};
    const std::vector<uint32_t> partition_lengths = {2, 1, 3};
    const std::vector<rerun::Color> column_colors = {0xFF0000FF, 0x00FF00FF, 0x0000FFFF};
    const std::vector<rerun::Radius> column_radii = {0.05f, 0.01f, 0.2f};
    CHECK(rec.send_columns(
                 "columns",
                 {rerun::TimeColumn::from_duration_secs("time", {10.0, 11.0, 12.0}),
                  rerun::TimeColumn::from_sequence("step", {1, 2, 3})},
                 rerun::Points3D().with_positions(column_positions).columns(partition_lengths),
                 rerun::Points3D::update_fields()
                     .with_colors(column_colors)
                     .with_radii(column_radii)
                     .columns())
              .is_ok());
    CHECK(rec.send_columns("single_time", rerun::TimeColumn::from_sequence("step", {1, 2, 3}),
                           rerun::Scalars({1.0, 2.0, 3.0}).columns())
              .is_ok());
    // A component in two of the columns is refused.
    const auto twice =
        rec.send_columns("twice", rerun::TimeColumn::from_sequence("step", {1, 2, 3}),
                         rerun::Points3D::update_fields().with_colors(column_colors).columns(),
                         rerun::Points3D::update_fields().with_colors(column_colors).columns());
    CHECK(twice.code == rerun::ErrorCode::InvalidArchetypeField);
    CHECK(twice.description.find("Points3D:colors") != std::string::npos);

    const auto d = sdk_test::decode(mem.take());
    CHECK(d.issues.empty());
    for (const auto& c : d.chunks)
        CHECK(c.chunk->validate() == "");

    // The partial updates carry only what they set; the clear sets every field, most empty.
    uint64_t update_rows = 0, clear_rows = 0;
    for (const auto* c : d.chunks_of("/points")) {
        const auto* positions_col = c->find_component("Points3D:positions");
        const auto* colors_col = c->find_component("Points3D:colors");
        if (positions_col == nullptr) {
            REQUIRE(colors_col != nullptr);
            CHECK(c->find_component("Points3D:radii") != nullptr);
            CHECK(c->components.size() == 2);
            update_rows += c->num_rows;
        } else if (colors_col != nullptr) {  // the clear
            CHECK(c->components.size() == rerun::Points3D::kMaxBatches);
            CHECK(colors_col->num_instances() == 0);
            CHECK(c->find_component("Points3D:labels")->num_instances() == 0);
            CHECK(positions_col->num_instances() == 10);
            CHECK(c->find_component("Points3D:radii")->num_instances() == 1);
            clear_rows += c->num_rows;
        }
    }
    CHECK(update_rows == 10);
    CHECK(clear_rows == 1);

    const auto flat = d.chunks_of("/flat");
    REQUIRE(flat.size() == 1);
    CHECK(flat[0]->find_component("Clear:is_recursive")->values_as<uint8_t>()[0] == 0);
    CHECK(d.chunks_of("/tree")[0]->find_component("Clear:is_recursive")->values_as<uint8_t>()[0] ==
          1);

    const auto boxes = d.chunks_of("/batch");
    REQUIRE(boxes.size() == 1);
    const auto* axis_angles = boxes[0]->find_component("Boxes3D:rotation_axis_angles");
    REQUIRE(axis_angles != nullptr);
    CHECK(axis_angles->descriptor.component_type == "rerun.components.RotationAxisAngle");
    const auto aa = axis_angles->values_as<float>();
    REQUIRE(aa.size() == 4);
    CHECK(aa[2] == 1.0f);
    CHECK(aa[3] == doctest::Approx(rerun::demo::PI / 6));
    CHECK(boxes[0]->find_component("Boxes3D:quaternions")->num_instances() == 2);

    const auto columns = d.chunks_of("/columns");
    REQUIRE(columns.size() == 1);
    CHECK(columns[0]->num_rows == 3);
    CHECK(columns[0]->timelines.size() == 2);
    const auto* col_positions = columns[0]->find_component("Points3D:positions");
    REQUIRE(col_positions != nullptr);
    CHECK(col_positions->instance_range(2) == std::pair<uint32_t, uint32_t>{3, 6});
    const auto* col_colors = columns[0]->find_component("Points3D:colors");
    REQUIRE(col_colors != nullptr);
    CHECK(col_colors->instance_range(1) == std::pair<uint32_t, uint32_t>{1, 2});
    CHECK(columns[0]->find_component("Points3D:radii")->values_as<float>()[2] == 0.2f);
    CHECK(d.rows("/single_time") == 3);
    CHECK(d.rows("/twice") == 0);
}
