// Every archetype produces columns whose descriptors and element types match the core
// vocabulary, with the logged values.
#include <doctest/doctest.h>

#include <cstring>
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

#include "rerun/core/component_types.hpp"
#include "test_support.hpp"

namespace {

const rerun::core::Chunk& single_chunk(const sdk_test::Decoded& d, const std::string& entity) {
    const auto chunks = d.chunks_of(entity);
    REQUIRE(chunks.size() == 1);
    return *chunks[0];
}

// Checks the descriptor and type of every column of the chunk against the vocabulary.
void check_columns(const rerun::core::Chunk& chunk, const std::string& archetype) {
    CHECK(chunk.validate() == "");
    for (const auto& col : chunk.components) {
        INFO(col.descriptor.component);
        CHECK(col.descriptor.archetype == "rerun.archetypes." + archetype);
        CHECK(col.descriptor.component.rfind(archetype + ":", 0) == 0);
        const auto known = rerun::core::known_element_type(col.descriptor.component_type);
        REQUIRE(known.has_value());
        CHECK(*known == col.type);
    }
}

}  // namespace

TEST_CASE("archetypes map to the core vocabulary") {
    const rerun::RecordingStream rec("archetypes");
    auto mem = rec.memory();

    const auto points = rerun::demo::grid3d<rerun::Position3D, float>(-1.f, 1.f, 3);
    const auto colors = rerun::demo::grid3d<rerun::Color, uint8_t>(0, 255, 3);
    rec.log("points3d", rerun::Points3D(points)
                            .with_colors(colors)
                            .with_radii({0.5f})
                            .with_labels({"a", "b"})
                            .with_class_ids({1, 2}));
    rec.log("points2d", rerun::Points2D({{1.f, 2.f}, {3.f, 4.f}}).with_draw_order(2.f));
    rec.log("boxes3d",
            rerun::Boxes3D::from_centers_and_half_sizes({{0.f, 0.f, 0.f}}, {{1.f, 2.f, 3.f}})
                .with_quaternions({rerun::Quaternion::IDENTITY})
                .with_fill_mode(rerun::components::FillMode::Solid));
    rec.log("boxes2d", rerun::Boxes2D::from_mins_and_sizes({{0.f, 0.f}}, {{2.f, 4.f}}));
    rec.log("strips3d", rerun::LineStrips3D({rerun::LineStrip3D({{0.f, 0.f, 0.f}, {1.f, 1.f, 1.f}}),
                                             rerun::LineStrip3D({{2.f, 2.f, 2.f}})}));
    rec.log("strips2d", rerun::LineStrips2D({rerun::LineStrip2D({{0.f, 0.f}, {1.f, 1.f}})}));
    rec.log("arrows3d",
            rerun::Arrows3D::from_vectors({{1.f, 0.f, 0.f}}).with_origins({{0.f, 0.f, 0.f}}));
    rec.log("arrows2d", rerun::Arrows2D::from_vectors({{1.f, 0.f}}));
    rec.log("scalars", rerun::Scalars(3.25));
    rec.log_static("scalars", rerun::SeriesLines()
                                  .with_colors({rerun::Color(255, 0, 0)})
                                  .with_names({"sin"})
                                  .with_widths({2.f}));
    rec.log_static("series_points", rerun::SeriesPoints()
                                        .with_markers({rerun::components::MarkerShape::Cross})
                                        .with_marker_sizes({3.f}));
    rec.log("text_log", rerun::TextLog("hello").with_level(rerun::TextLogLevel::Warning));
    rec.log("text_doc",
            rerun::TextDocument("# Title").with_media_type(rerun::MediaType::markdown()));
    const std::vector<uint8_t> rgb(4 * 3 * 3, 7);
    rec.log("image", rerun::Image::from_rgb24(rgb, {4, 3}));
    const std::vector<float> depth(4 * 3, 1.5f);
    rec.log("depth", rerun::DepthImage(depth.data(), {4, 3}).with_meter(1000.f));
    rec.log("transform", rerun::Transform3D::from_translation_rotation(
                             {1.f, 2.f, 3.f},
                             rerun::RotationAxisAngle({0.f, 0.f, 1.f}, rerun::Angle::degrees(90.f)))
                             .with_scale(2.f));
    rec.log("transform_q",
            rerun::Transform3D::from_rotation(rerun::Quaternion::from_xyzw(0.f, 0.f, 0.f, 1.f)));
    rec.log("transform_m", rerun::Transform3D::from_mat3x3(rerun::Mat3x3::IDENTITY));
    rec.log_static("world", rerun::ViewCoordinates::RIGHT_HAND_Z_UP);
    rec.log("camera", rerun::Pinhole::from_focal_length_and_resolution(500.f, {640.f, 480.f})
                          .with_camera_xyz(rerun::components::ViewCoordinates::RDF));
    rec.log("mesh", rerun::Mesh3D({{0.f, 0.f, 0.f}, {1.f, 0.f, 0.f}, {0.f, 1.f, 0.f}})
                        .with_triangle_indices({{0, 1, 2}})
                        .with_vertex_colors({rerun::Color(255, 0, 0), rerun::Color(0, 255, 0),
                                             rerun::Color(0, 0, 255)}));
    rec.log("cleared", rerun::Clear::RECURSIVE);
    rec.log("two_in_one", rerun::Points3D({{1.f, 1.f, 1.f}}), rerun::Clear::FLAT);

    const auto d = sdk_test::decode(mem.take());
    CHECK(d.issues.empty());

    {
        const auto& c = single_chunk(d, "/points3d");
        check_columns(c, "Points3D");
        const auto* pos = c.find_component("Points3D:positions");
        REQUIRE(pos);
        CHECK(pos->descriptor.component_type == "rerun.components.Position3D");
        REQUIRE(pos->values.size() == points.size() * 12);
        CHECK(std::memcmp(pos->values.data(), points.data(), pos->values.size()) == 0);
        const auto* col = c.find_component("Points3D:colors");
        REQUIRE(col);
        CHECK(col->values_as<uint32_t>()[1] == colors[1].rgba);
        const auto* labels = c.find_component("Points3D:labels");
        REQUIRE(labels);
        CHECK(labels->string_at(1) == "b");
        CHECK(c.find_component("Points3D:radii")->values_as<float>()[0] == 0.5f);
    }
    check_columns(single_chunk(d, "/points2d"), "Points2D");
    check_columns(single_chunk(d, "/boxes3d"), "Boxes3D");
    {
        const auto& c = single_chunk(d, "/boxes2d");
        check_columns(c, "Boxes2D");
        CHECK(c.find_component("Boxes2D:half_sizes")->values_as<float>()[1] == 2.f);
        CHECK(c.find_component("Boxes2D:centers")->values_as<float>()[0] == 1.f);
    }
    {
        const auto& c = single_chunk(d, "/strips3d");
        check_columns(c, "LineStrips3D");
        const auto* strips = c.find_component("LineStrips3D:strips");
        REQUIRE(strips);
        CHECK(strips->num_instances() == 2);
        CHECK(strips->list_range(0) == std::pair<uint32_t, uint32_t>{0, 2});
        CHECK(strips->list_range(1) == std::pair<uint32_t, uint32_t>{2, 3});
    }
    check_columns(single_chunk(d, "/strips2d"), "LineStrips2D");
    check_columns(single_chunk(d, "/arrows3d"), "Arrows3D");
    check_columns(single_chunk(d, "/arrows2d"), "Arrows2D");
    {
        const auto chunks = d.chunks_of("/scalars");
        REQUIRE(chunks.size() == 2);  // temporal Scalars + static SeriesLines
        for (const auto* c : chunks) {
            if (c->is_static)
                check_columns(*c, "SeriesLines");
            else {
                check_columns(*c, "Scalars");
                CHECK(c->find_component("Scalars:scalars")->values_as<double>()[0] == 3.25);
            }
        }
    }
    check_columns(single_chunk(d, "/series_points"), "SeriesPoints");
    {
        const auto& c = single_chunk(d, "/text_log");
        check_columns(c, "TextLog");
        CHECK(c.find_component("TextLog:text")->string_at(0) == "hello");
        CHECK(c.find_component("TextLog:level")->string_at(0) == "WARN");
    }
    check_columns(single_chunk(d, "/text_doc"), "TextDocument");
    {
        const auto& c = single_chunk(d, "/image");
        check_columns(c, "Image");
        const auto* fmt = c.find_component("Image:format");
        REQUIRE(fmt);
        const auto f = fmt->values_as<uint32_t>();
        CHECK(f[0] == 4);
        CHECK(f[1] == 3);
        CHECK(f[2] == uint32_t(rerun::core::ImageColorModel::RGB));
        CHECK(f[3] == uint32_t(rerun::core::ScalarType::U8));
        CHECK(c.find_component("Image:buffer")->values.size() == rgb.size());
    }
    {
        const auto& c = single_chunk(d, "/depth");
        check_columns(c, "DepthImage");
        CHECK(c.find_component("DepthImage:format")->values_as<uint32_t>()[3] ==
              uint32_t(rerun::core::ScalarType::F32));
        CHECK(c.find_component("DepthImage:buffer")->values.size() == depth.size() * 4);
    }
    {
        const auto& c = single_chunk(d, "/transform");
        check_columns(c, "Transform3D");
        const auto aa = c.find_component("Transform3D:rotation_axis_angle")->values_as<float>();
        CHECK(aa[2] == 1.f);
        CHECK(aa[3] == doctest::Approx(1.5707963f));
        CHECK(c.find_component("Transform3D:scale")->values_as<float>()[1] == 2.f);
        CHECK(c.find_component("Transform3D:translation")->values_as<float>()[2] == 3.f);
    }
    check_columns(single_chunk(d, "/transform_q"), "Transform3D");
    check_columns(single_chunk(d, "/transform_m"), "Transform3D");
    {
        const auto& c = single_chunk(d, "/world");
        check_columns(c, "ViewCoordinates");
        const auto* xyz = c.find_component("ViewCoordinates:xyz");
        REQUIRE(xyz);
        const auto v = xyz->values_as<uint8_t>();
        CHECK(v[0] == uint8_t(rerun::ViewDir::Right));
        CHECK(v[1] == uint8_t(rerun::ViewDir::Forward));
        CHECK(v[2] == uint8_t(rerun::ViewDir::Up));
    }
    {
        const auto& c = single_chunk(d, "/camera");
        check_columns(c, "Pinhole");
        const auto m = c.find_component("Pinhole:image_from_camera")->values_as<float>();
        CHECK(m[0] == 500.f);
        CHECK(m[6] == 320.f);
        CHECK(m[7] == 240.f);
    }
    check_columns(single_chunk(d, "/mesh"), "Mesh3D");
    CHECK(
        single_chunk(d, "/cleared").find_component("Clear:is_recursive")->values_as<uint8_t>()[0] ==
        1);
    {
        const auto& c = single_chunk(d, "/two_in_one");
        CHECK(c.find_component("Points3D:positions") != nullptr);
        CHECK(c.find_component("Clear:is_recursive") != nullptr);
        CHECK(c.validate() == "");
    }
}

TEST_CASE("big batches travel without loss (owned: no copy; borrowed: one copy)") {
    const rerun::RecordingStream rec("big");
    auto mem = rec.memory();
    std::vector<rerun::Position3D> points(1'000'000);
    for (size_t i = 0; i < points.size(); ++i)
        points[i] = {float(i), 0.f, -float(i)};
    rec.log("borrowed", rerun::Points3D(points));
    auto copy = points;
    rec.log("owned", rerun::Points3D(std::move(copy)));
    std::vector<uint8_t> image(640 * 480 * 4, 3);
    rec.log("image", rerun::Image::from_rgba32(image, {640, 480}));
    const auto d = sdk_test::decode(mem.take());
    for (const char* e : {"/borrowed", "/owned"}) {
        const auto& c = single_chunk(d, e);
        const auto* pos = c.find_component("Points3D:positions");
        REQUIRE(pos);
        REQUIRE(pos->values.size() == points.size() * 12);
        CHECK(std::memcmp(pos->values.data(), points.data(), pos->values.size()) == 0);
    }
    CHECK(single_chunk(d, "/image").find_component("Image:buffer")->values.size() == image.size());
}
