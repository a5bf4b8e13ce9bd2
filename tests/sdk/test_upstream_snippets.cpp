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
    rec.log("boxes", rerun::Clear::FLUSH);
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
