// Unit tests of the viewer's GL-free logic: decimation, time control, camera, scene building from
// real stores, image conversion, the mock renderer, layout.
#include <doctest/doctest.h>

#include <cmath>
#include <glm/gtc/matrix_transform.hpp>
#include <random>
#include <set>

#include "camera.hpp"
#include "data_access.hpp"
#include "decimation.hpp"
#include "density.hpp"
#include "format.hpp"
#include "layout.hpp"
#include "properties.hpp"
#include "scene_builder.hpp"
#include "synthetic.hpp"
#include "time_control.hpp"

using namespace rerun;
using namespace rerun::viewer;
using viewer::testing::ChunkBuilder;
namespace ct = core::component_types;

namespace {

std::shared_ptr<ingest::RecordingStore> demo_store(ingest::StoreHub& hub) {
    viewer::testing::fill_demo_recording(hub, "rec", "app", 20);
    return hub.find({core::StoreKind::Recording, "rec"});
}

EntityPath path(const char* p) {
    return EntityPath::parse_lenient(p);
}

}  // namespace

TEST_CASE("decimation: pyramid min/max equals a scan for any range") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> d(-100, 100);
    const size_t n = 100'003;
    std::vector<double> t(n), v(n);
    for (size_t i = 0; i < n; ++i) {
        t[i] = double(i) * 0.5;
        v[i] = d(rng);
    }
    DecimatedSeries s;
    s.assign(t, v);
    std::uniform_int_distribution<size_t> idx(0, n);
    for (int k = 0; k < 500; ++k) {
        size_t a = idx(rng), b = idx(rng);
        if (a > b) std::swap(a, b);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = a; i < b; ++i)
            lo = std::min(lo, v[i]), hi = std::max(hi, v[i]);
        const auto [mn, mx] = s.minmax(a, b);
        CHECK(mn == lo);
        CHECK(mx == hi);
    }
}

TEST_CASE("decimation: columns cover every sample in the window once") {
    std::vector<double> t, v;
    for (int i = 0; i < 10'000; ++i) {
        t.push_back(i);
        v.push_back(std::sin(i * 0.01));
    }
    DecimatedSeries s;
    s.assign(t, v);
    std::vector<DecimatedSeries::Column> cols;
    s.decimate(1000, 3000, 300, cols);
    REQUIRE(cols.size() == 300);
    size_t total = 0;
    for (const auto& c : cols) {
        total += c.count;
        if (c.count) CHECK(c.min <= c.max);
    }
    CHECK(total == 2000);  // [1000, 3000)
    CHECK(cols.front().first == doctest::Approx(std::sin(10.0)));
    CHECK(s.nearest(2500.4) == 2500);
}

TEST_CASE("time control: timeline choice, stepping, playback with loop, follow") {
    TimeControl tc;
    ingest::TimelineInfo log_time{{"log_time", core::TimeType::Timestamp}, 100, 200};
    ingest::TimelineInfo frame{{"frame", core::TimeType::Sequence}, 0, 9};
    tc.set_timelines({log_time, frame});
    CHECK(tc.timeline() == "frame");  // log_time is not preferred
    CHECK(tc.time() == 9);            // follows live data by default
    tc.step(-1);
    CHECK(tc.time() == 8);
    CHECK_FALSE(tc.follow);
    tc.set_time(0);
    tc.play();
    CHECK(tc.advance(1.0 / TimeControl::kSequenceRate * 3.0));
    CHECK(tc.time() == 3);
    tc.set_time(9);
    tc.advance(2.0 / TimeControl::kSequenceRate);
    CHECK(tc.time() == 0);  // looped
    tc.loop = false;
    tc.set_time(9);
    tc.advance(1.0);
    CHECK(tc.time() == 9);
    CHECK_FALSE(tc.playing);
    // New data extends the timeline; following jumps to the end.
    tc.follow = true;
    frame.max = 20;
    tc.set_timelines({log_time, frame});
    CHECK(tc.time() == 20);
    tc.select_timeline("log_time");
    CHECK(tc.timeline() == "log_time");
    CHECK(tc.type() == core::TimeType::Timestamp);
}

TEST_CASE("camera: the target projects to the centre; fit keeps the bounds in view") {
    OrbitCamera cam;
    Bounds b;
    b.add({-2, -1, 0});
    b.add({4, 3, 2});
    cam.fit(b);
    const glm::vec3 c = cam.project(b.center(), 800, 600);
    CHECK(c.x == doctest::Approx(400).epsilon(0.01));
    CHECK(c.y == doctest::Approx(300).epsilon(0.01));
    for (int k = 0; k < 8; ++k) {
        const glm::vec3 corner((k & 1) ? b.max.x : b.min.x, (k & 2) ? b.max.y : b.min.y,
                               (k & 4) ? b.max.z : b.min.z);
        const glm::vec3 p = cam.project(corner, 800, 600);
        CHECK(p.x >= 0);
        CHECK(p.x <= 800);
        CHECK(p.y >= 0);
        CHECK(p.y <= 600);
    }
    const float d = cam.distance;
    cam.zoom(0.5f);
    CHECK(cam.distance == doctest::Approx(d * 0.5f));
    const glm::vec3 before = cam.target;
    cam.pan(100, 0, 600);
    CHECK(glm::length(cam.target - before) > 0);
}

TEST_CASE("data access: latest-at rows, type checks, entity tree") {
    ingest::StoreHub hub;
    auto store = demo_store(hub);
    REQUIRE(store);
    RecordingQuery q(store, "frame", 5);
    auto pos = q.latest(path("/world/points"), "Points3D:positions", &ct::Position3D);
    REQUIRE(pos);
    CHECK(pos->size() == 200);
    CHECK(pos->time == 5);
    // The same column asked for as another type is refused.
    CHECK_FALSE(q.latest(path("/world/points"), "Points3D:positions", &ct::Color));
    // Static data holds at every time.
    RecordingQuery q0(store, "frame", 0);
    CHECK(q0.latest(path("/world/boxes"), "Boxes3D:half_sizes", &ct::HalfSize3D));

    const auto tree = build_entity_tree(store->entities());
    REQUIRE(!tree.children.empty());
    const EntityNode* world = nullptr;
    for (const auto& c : tree.children)
        if (c.name == "world") world = &c;
    REQUIRE(world);
    CHECK(world->has_data);  // ViewCoordinates is logged at /world
    CHECK(world->children.size() == 5);

    DataAccess data(hub);
    const auto recs = data.recordings();
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].application_id == "app");
}

TEST_CASE("scene 3D: points, boxes, arrows, meshes, strips, transforms, view coordinates") {
    ingest::StoreHub hub;
    auto store = demo_store(hub);
    RecordingQuery q(store, "frame", 3);
    Scene3D scene;
    build_scene3d(q,
                  {path("/world"), path("/world/points"), path("/world/boxes"),
                   path("/world/arrows"), path("/world/mesh"), path("/world/path")},
                  scene);
    CHECK(scene.points.size() == 200);
    CHECK(scene.point_ids.size() == 200);
    CHECK(scene.points[0].radius == doctest::Approx(0.06f));
    CHECK(scene.lines.size() ==
          24 + 2 + 4);  // 2 boxes x 12 edges, 2 arrow shafts, 4 strip segments
    CHECK(scene.triangles.size() == (4 + 2 * 16) * 3);  // mesh + 2 arrow heads
    CHECK(scene.labels.size() == 1);
    CHECK(scene.up == glm::vec3(0, 0, 1));  // RFU
    CHECK(scene.bounds.valid());
    const uint64_t v = scene.version;
    build_scene3d(q, {path("/world/points")}, scene);
    CHECK(scene.version == v + 1);

    // A Transform3D on a parent moves its children.
    hub.handle("t", core::ChunkMessage{{core::StoreKind::Recording, "rec"},
                                       ChunkBuilder::static_chunk("/moved")
                                           .fixed<float>("Transform3D", "translation",
                                                         ct::Translation3D, {{10, 0, 0}})
                                           .build()});
    hub.handle("t", core::ChunkMessage{
                        {core::StoreKind::Recording, "rec"},
                        ChunkBuilder::static_chunk("/moved/child")
                            .fixed<float>("Points3D", "positions", ct::Position3D, {{1, 2, 3}})
                            .build()});
    build_scene3d(q, {path("/moved/child")}, scene);
    REQUIRE(scene.points.size() == 1);
    CHECK(scene.points[0].position == glm::vec3(11, 2, 3));
    CHECK(scene.points[0].radius == kDefaultPointRadius);
    CHECK(scene.points[0].color == auto_color(path("/moved/child")));
}

TEST_CASE("scene 3D: a box's axis-angle rotation applies after its centre, before its quaternion") {
    ingest::StoreHub hub;
    auto boxes = [&](const char* entity, bool with_quaternion) {
        ChunkBuilder b = ChunkBuilder::static_chunk(entity);
        b.fixed<float>("Boxes3D", "half_sizes", ct::HalfSize3D, {{3, 2, 1}})
            .fixed<float>("Boxes3D", "centers", ct::PoseTranslation3D, {{10, 0, 0}})
            // 90 degrees about z: half sizes (3, 2, 1) become (2, 3, 1).
            .fixed<float>("Boxes3D", "rotation_axis_angles", ct::RotationAxisAngle,
                          {{0, 0, 1, float(M_PI / 2)}});
        // With 90 degrees about x applied first (in the box's frame): (3, 1, 2), then the
        // axis-angle: (1, 3, 2). The other order would give (2, 1, 3).
        if (with_quaternion)
            b.fixed<float>("Boxes3D", "quaternions", ct::PoseRotationQuat,
                           {{float(std::sin(M_PI / 4)), 0, 0, float(std::cos(M_PI / 4))}});
        hub.handle("t", core::ChunkMessage{{core::StoreKind::Recording, "rec"}, b.build()});
    };
    boxes("/turned", false);
    boxes("/turned_twice", true);
    auto store = hub.find({core::StoreKind::Recording, "rec"});
    REQUIRE(store);
    RecordingQuery q(store, "frame", 0);
    auto extent = [&](const char* entity) {
        Scene3D scene;
        build_scene3d(q, {path(entity)}, scene);
        REQUIRE(scene.lines.size() == 12);
        glm::vec3 lo(1e9f), hi(-1e9f);
        for (const auto& l : scene.lines) {
            lo = glm::min(lo, glm::min(l.a, l.b));
            hi = glm::max(hi, glm::max(l.a, l.b));
        }
        CHECK((lo + hi).x / 2 == doctest::Approx(10).epsilon(1e-4));  // centred on (10, 0, 0)
        return (hi - lo) / 2.0f;
    };
    const glm::vec3 once = extent("/turned");
    CHECK(once.x == doctest::Approx(2).epsilon(1e-4));
    CHECK(once.y == doctest::Approx(3).epsilon(1e-4));
    CHECK(once.z == doctest::Approx(1).epsilon(1e-4));
    const glm::vec3 twice = extent("/turned_twice");
    CHECK(twice.x == doctest::Approx(1).epsilon(1e-4));
    CHECK(twice.y == doctest::Approx(3).epsilon(1e-4));
    CHECK(twice.z == doctest::Approx(2).epsilon(1e-4));
}

TEST_CASE("scene 2D: image, boxes, points; images converted once per row") {
    ingest::StoreHub hub;
    auto store = demo_store(hub);
    RecordingQuery q(store, "frame", 4);
    ImageCache cache;
    Scene2D scene;
    const std::vector<EntityPath> ents{path("/camera/image"), path("/camera/image/detections"),
                                       path("/camera/image/keypoints")};
    build_scene2d(q, ents, cache, scene);
    REQUIRE(scene.images.size() == 1);
    CHECK(scene.images[0].pixels->width == 160);
    CHECK(scene.images[0].pixels->height == 120);
    CHECK(scene.segments.size() == 8);
    CHECK(scene.points.size() == 2);
    CHECK(scene.points[0].position == glm::vec2(24, 100));
    const uint64_t version = scene.images[0].version;
    build_scene2d(RecordingQuery(store, "frame", 7), ents, cache, scene);
    CHECK(scene.images[0].version == version);  // static image: same row, no new conversion
}

TEST_CASE("image conversion: RGB, BGRA, L16, depth") {
    ImageRGBA out;
    const std::vector<uint8_t> rgb = {255, 0, 0, 0, 255, 0};
    REQUIRE(image_to_rgba(rgb, 2, 1, uint32_t(core::ImageColorModel::RGB),
                          uint32_t(core::ScalarType::U8), false, out));
    CHECK(out.rgba == std::vector<uint8_t>{255, 0, 0, 255, 0, 255, 0, 255});
    const std::vector<uint8_t> bgra = {10, 20, 30, 40};
    REQUIRE(image_to_rgba(bgra, 1, 1, uint32_t(core::ImageColorModel::BGRA),
                          uint32_t(core::ScalarType::U8), false, out));
    CHECK(out.rgba == std::vector<uint8_t>{30, 20, 10, 40});
    const uint16_t l16[2] = {0, 65535};
    REQUIRE(image_to_rgba({reinterpret_cast<const uint8_t*>(l16), 4}, 2, 1,
                          uint32_t(core::ImageColorModel::L), uint32_t(core::ScalarType::U16),
                          false, out));
    CHECK(out.rgba[0] == 0);
    CHECK(out.rgba[4] == 255);
    const float depth[3] = {0.0f, 1.0f, 2.0f};
    REQUIRE(image_to_rgba({reinterpret_cast<const uint8_t*>(depth), 12}, 3, 1, 0,
                          uint32_t(core::ScalarType::F32), true, out));
    CHECK(out.rgba[3] == 0);  // no depth: transparent
    CHECK(out.rgba[7] == 255);
    CHECK(out.rgba[4] != out.rgba[8]);  // near and far map to different colours
    // Too few bytes for the format: refused.
    CHECK_FALSE(image_to_rgba(rgb, 4, 4, uint32_t(core::ImageColorModel::RGB),
                              uint32_t(core::ScalarType::U8), false, out));
}

TEST_CASE("mock renderer: GPU uploads happen only when a scene changes") {
    auto r = make_mock_renderer();
    Scene3D scene, overlay;
    scene.points.push_back({{0, 0, 0}, 1.0f, 0xffffffff});
    scene.version = 1;
    overlay.version = 1;
    Renderer::Frame3D frame;
    frame.width = 100;
    frame.height = 100;
    r->render3d(7, scene, overlay, frame);
    r->render3d(7, scene, overlay, frame);
    CHECK(r->stats().scene_uploads == 1);
    CHECK(r->stats().points_drawn == 1);
    ++scene.version;
    r->render3d(7, scene, overlay, frame);
    CHECK(r->stats().scene_uploads == 2);
    ImageRGBA img;
    r->image_texture(1, 5, img);
    r->image_texture(1, 5, img);
    CHECK(r->stats().image_uploads == 1);
}

TEST_CASE("layout: one view per kind of data, rectangles inside the area without overlap") {
    ingest::StoreHub hub;
    auto store = demo_store(hub);
    const auto bp = default_layout(store->entities());
    std::vector<PlacedView> placed;
    const Rect area{100, 50, 1000, 600};
    layout_container(bp.root(), area, 0.0f, placed);
    std::set<blueprint::ViewClass> classes;
    for (const auto& p : placed)
        classes.insert(p.view->cls);
    CHECK(classes.count(blueprint::ViewClass::Spatial3D));
    CHECK(classes.count(blueprint::ViewClass::Spatial2D));
    CHECK(classes.count(blueprint::ViewClass::TimeSeries));
    CHECK(classes.count(blueprint::ViewClass::TextLog));
    CHECK(classes.count(blueprint::ViewClass::TextDocument));
    float total = 0;
    for (const auto& p : placed) {
        CHECK(p.rect.x >= area.x - 0.01f);
        CHECK(p.rect.y >= area.y - 0.01f);
        CHECK(p.rect.x + p.rect.w <= area.x + area.w + 0.01f);
        CHECK(p.rect.y + p.rect.h <= area.y + area.h + 0.01f);
        total += p.rect.w * p.rect.h;
    }
    CHECK(total == doctest::Approx(area.w * area.h).epsilon(0.01));
    // The key of a view does not depend on its (random) node id.
    const auto bp2 = default_layout(store->entities());
    CHECK(view_key(*bp.views()[0]) == view_key(*bp2.views()[0]));
}

TEST_CASE("format: times and values") {
    CHECK(format_time(core::TimeType::Sequence, 42) == "#42");
    CHECK(format_time(core::TimeType::Duration, 1'500'000'000) == "1.500 s");
    CHECK(format_time(core::TimeType::Timestamp, 0) == "1970-01-01 00:00:00.000");
    CHECK(format_color(0xff8800ff) == "#ff8800");
    CHECK(format_count(1'234'567) == "1.2M");
}

TEST_CASE("auto colours: sibling entities get distinct hues") {
    const uint32_t a = auto_color(EntityPath::parse_lenient("/metrics/sin"));
    const uint32_t b = auto_color(EntityPath::parse_lenient("/metrics/cos"));
    CHECK(a != b);
    CHECK((a & 0xff) == 0xff);
    CHECK(auto_color(EntityPath::parse_lenient("/metrics/sin")) == a);
}

TEST_CASE("latest signature: changes only when the rows a view shows change") {
    ingest::StoreHub hub;
    auto store = demo_store(hub);
    const std::vector<EntityPath> ents{path("/world/points")};
    auto sig = [&](TimeInt t) {
        return RecordingQuery(store, "frame", t).latest_signature(store->entities(), ents);
    };
    const uint64_t at5 = sig(5);
    CHECK(sig(5) == at5);
    CHECK(sig(6) != at5);  // /world/points has a row at every frame
    // Data for another entity leaves it alone...
    hub.handle("t", core::ChunkMessage{
                        {core::StoreKind::Recording, "rec"},
                        ChunkBuilder("/elsewhere", "frame", {5})
                            .fixed<float>("Points3D", "positions", ct::Position3D, {{0, 0, 0}})
                            .build()});
    CHECK(sig(5) == at5);
    // ...a transform on an ancestor does not.
    hub.handle("t", core::ChunkMessage{{core::StoreKind::Recording, "rec"},
                                       ChunkBuilder("/world", "frame", {2})
                                           .fixed<float>("Transform3D", "translation",
                                                         ct::Translation3D, {{1, 0, 0}})
                                           .build()});
    CHECK(sig(5) != at5);
}

TEST_CASE("view properties: time range, home axes, fixed value axis, background") {
    namespace bp = rerun::blueprint;
    using rerun::core::kTimeMax;
    using rerun::core::kTimeMin;
    bp::ViewProperties none;
    CHECK(visible_time_bounds(none) == std::pair{kTimeMin, kTimeMax});
    CHECK(in_visible_time_range(none, kTimeMin));
    CHECK(time_series_home_x(none, 10.0, 20.0) == std::pair{10.0, 20.0});
    CHECK(time_series_home_x(none, 5.0, 5.0) == std::pair{5.0, 6.0});  // one sample: unit wide
    CHECK_FALSE(fixed_y_range(none).has_value());
    CHECK(background_or(none, 0x112233ff) == 0x112233ffu);
    CHECK(query_properties_hash(none) == 0);

    bp::ViewProperties ranged;
    ranged.time_range = std::pair<int64_t, int64_t>{40, 10};  // reversed ends are normalised
    CHECK(visible_time_bounds(ranged) ==
          std::pair<rerun::core::TimeInt, rerun::core::TimeInt>{10, 40});
    CHECK(in_visible_time_range(ranged, 10));
    CHECK(in_visible_time_range(ranged, 40));
    CHECK_FALSE(in_visible_time_range(ranged, 9));
    CHECK_FALSE(in_visible_time_range(ranged, 41));
    // The time axis spans the time range, whatever the data's extent...
    CHECK(time_series_home_x(ranged, 0.0, 100.0) == std::pair{10.0, 40.0});
    // ...unless a fixed x range says otherwise.
    ranged.x_range = std::pair{25.0, 30.0};
    CHECK(time_series_home_x(ranged, 0.0, 100.0) == std::pair{25.0, 30.0});
    CHECK(query_properties_hash(ranged) != 0);
    bp::ViewProperties other = ranged;
    other.time_range = std::pair<int64_t, int64_t>{10, 41};
    CHECK(query_properties_hash(other) != query_properties_hash(ranged));

    ranged.y_range = std::pair{2.0, -2.0};
    REQUIRE(fixed_y_range(ranged).has_value());
    CHECK(*fixed_y_range(ranged) == std::pair{-2.0, 2.0});
    ranged.y_range = std::pair{1.0, 1.0};  // empty: fitted instead
    CHECK_FALSE(fixed_y_range(ranged).has_value());
    ranged.background = 0x204080ffu;
    CHECK(background_or(ranged, 0x112233ff) == 0x204080ffu);
}

// ---- incremental series (DecimatedSeries append/drop, SeriesCache over a real store) ---------

namespace {

// Everything observable of a series equals a from-scratch assign of the same samples.
void check_series_equal(const DecimatedSeries& s, const std::vector<double>& t,
                        const std::vector<double>& v, std::mt19937& rng) {
    REQUIRE(s.size() == t.size());
    bool same = true;
    for (size_t i = 0; i < t.size(); ++i) {
        same = same && s.times()[i] == t[i] &&
               (s.values()[i] == v[i] || (std::isnan(s.values()[i]) && std::isnan(v[i])));
    }
    if (!same) {
        for (size_t i = 0; i < t.size(); ++i) {
            if (s.times()[i] != t[i] || s.values()[i] != v[i]) {
                MESSAGE("first difference at " << i << ": " << s.times()[i] << " " << s.values()[i]
                                               << " vs " << t[i] << " " << v[i]);
                break;
            }
        }
    }
    CHECK(same);
    DecimatedSeries ref;
    ref.assign(t, v);
    std::uniform_int_distribution<size_t> idx(0, t.size());
    for (int k = 0; k < 200; ++k) {
        size_t a = idx(rng), b = idx(rng);
        if (a > b) std::swap(a, b);
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = a; i < b; ++i)
            lo = std::fmin(lo, v[i]), hi = std::fmax(hi, v[i]);
        const auto [mn, mx] = s.minmax(a, b);
        CHECK(mn == lo);
        CHECK(mx == hi);
        CHECK(ref.minmax(a, b) == s.minmax(a, b));
    }
    if (!t.empty()) {
        std::vector<DecimatedSeries::Column> c1, c2;
        s.decimate(t.front(), t.back() + 1, 97, c1);
        ref.decimate(t.front(), t.back() + 1, 97, c2);
        REQUIRE(c1.size() == c2.size());
        for (size_t c = 0; c < c1.size(); ++c) {
            CHECK(c1[c].count == c2[c].count);
            if (c1[c].count) {
                CHECK(c1[c].min == c2[c].min);
                CHECK(c1[c].max == c2[c].max);
                CHECK(c1[c].first_t == c2[c].first_t);
            }
        }
        CHECK(s.nearest(t[t.size() / 2]) == ref.nearest(t[t.size() / 2]));
    }
}

struct Snapshot {
    EntityPath entity;
    uint32_t instance;
    std::string name;
    uint32_t color;
    bool points;
    std::vector<double> t, v;
};

std::vector<Snapshot> snapshot(const SeriesCache& cache) {
    std::vector<Snapshot> out;
    for (const PlotSeries* s : cache.series()) {
        Snapshot snap{s->entity, s->instance, s->name, s->color, s->points, {}, {}};
        for (size_t i = 0; i < s->data.size(); ++i) {
            snap.t.push_back(s->data.times()[i] + double(cache.origin()));
            snap.v.push_back(s->data.values()[i]);
        }
        out.push_back(std::move(snap));
    }
    return out;
}

// The cache equals a cache built from scratch now (series, styles, samples, min/max).
void check_same_as_fresh(const SeriesCache& cache, const RecordingQuery& q,
                         const std::vector<EntityPath>& entities, std::mt19937& rng,
                         core::TimeInt t_lo = core::kTimeMin, core::TimeInt t_hi = core::kTimeMax) {
    SeriesCache fresh;
    fresh.set_window_rows(1000);
    CHECK_FALSE(fresh.update(q, entities, t_lo, t_hi, cache.origin(), 1.0f));
    const auto a = snapshot(cache), b = snapshot(fresh);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].entity == b[i].entity);
        CHECK(a[i].instance == b[i].instance);
        CHECK(a[i].name == b[i].name);
        CHECK(a[i].color == b[i].color);
        CHECK(a[i].points == b[i].points);
        CHECK(a[i].t == b[i].t);
        // Same origin: the relative times are equal too.
        const auto& f = fresh.series()[i]->data;
        const std::vector<double> ft(f.times().begin(), f.times().end());
        const std::vector<double> fv(f.values().begin(), f.values().end());
        check_series_equal(cache.series()[i]->data, ft, fv, rng);
    }
}

core::ChunkPtr scalar_rows(const char* entity, int64_t first, size_t rows, size_t instances,
                           double phase) {
    std::vector<int64_t> times(rows);
    std::vector<std::vector<double>> values(rows);
    for (size_t r = 0; r < rows; ++r) {
        times[r] = first + int64_t(r);
        for (size_t k = 0; k < instances; ++k)
            values[r].push_back(std::sin(double(first + int64_t(r)) * 0.01 + phase) + double(k));
    }
    return ChunkBuilder(entity, "frame", times)
        .fixed<double>("Scalars", "scalars", ct::Scalar, values)
        .build();
}

}  // namespace

TEST_CASE("decimation: append and drop_front equal assign, on random data") {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> d(-50, 50);
    std::uniform_int_distribution<size_t> batch(0, 700);
    DecimatedSeries s;
    std::vector<double> t, v;
    double now = 0;
    for (int step = 0; step < 60; ++step) {
        const size_t add = batch(rng) * (step % 7 == 0 ? 20 : 1);
        for (size_t i = 0; i < add; ++i) {
            now += (rng() % 3 == 0) ? 0.0 : 0.25;  // equal times happen
            const double value = rng() % 97 == 0 ? NAN : d(rng);
            s.append(now, value);
            t.push_back(now);
            v.push_back(value);
        }
        // Drop a random amount from the front: sometimes all, sometimes a few.
        size_t drop = step % 11 == 10 ? t.size() : std::min(t.size(), batch(rng) / 2);
        if (step % 5 == 1) {
            const double cut = t.empty() ? 0 : t[t.size() / 3];
            drop = size_t(std::lower_bound(t.begin(), t.end(), cut) - t.begin());
            CHECK(s.drop_before(cut) == drop);
        } else {
            s.drop_front(drop);
        }
        t.erase(t.begin(), t.begin() + std::ptrdiff_t(drop));
        v.erase(v.begin(), v.begin() + std::ptrdiff_t(drop));
        check_series_equal(s, t, v, rng);
    }
}

TEST_CASE("decimation: memory stays near 18 bytes a sample while streaming through") {
    DecimatedSeries s;
    for (int i = 0; i < 2'000'000; ++i) {
        s.append(i, std::sin(i * 0.001));
        if (i % 100'000 == 99'999 && s.size() > 1'000'000) s.drop_front(100'000);
    }
    CHECK(s.size() == 1'000'000);
    const double per_sample = double(s.memory_bytes()) / double(s.size());
    MESSAGE("bytes per sample: " << per_sample);
    CHECK(per_sample >= 18.0);
    CHECK(per_sample < 20.0);
}

TEST_CASE("series cache: streaming appends and evictions equal a from-scratch build") {
    std::mt19937 rng(5);
    ingest::StoreOptions options;  // compact chunks, as the viewer keeps them
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, options);
    const RecordingQuery q(store, "frame", core::kTimeMax);
    const std::vector<EntityPath> entities = {path("/a"), path("/b")};
    SeriesCache cache;
    cache.set_window_rows(700);
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache.series().empty());

    int64_t t = 100;
    for (int step = 0; step < 40; ++step) {
        // /a: one scalar per row; /b: two, then three from step 10 on, in chunks of any size.
        const size_t rows_a = 16 + rng() % 900, rows_b = 1 + rng() % 300;
        store->insert(scalar_rows("/a", t, rows_a, 1, 0.0));
        store->insert(scalar_rows("/b", t, rows_b, step >= 10 ? 3 : 2, 1.0));
        t += int64_t(std::max(rows_a, rows_b));
        if (step % 4 == 3) {
            // Keep ~70 %: the oldest chunks go.
            CHECK(store->evict_oldest(store->bytes() * 7 / 10) > 0);
        }
        if (step == 20) {
            // The names arrive later: restyled without a rebuild.
            store->insert(ChunkBuilder("/a", "frame", {t})
                              .text("SeriesLines", "names", ct::Name, {"alpha"})
                              .build());
        }
        CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
        check_same_as_fresh(cache, q, entities, rng);
    }
    REQUIRE(cache.series().size() == 4);
    CHECK(cache.series()[0]->name == "alpha");
    CHECK(cache.series()[3]->name == "/b[2]");
    CHECK(store->stats().dropped_rows > 0);
    // Only the first update built from scratch (one per entity); the rest were incremental.
    CHECK(cache.stats().full_builds == 2);
    CHECK(cache.stats().incremental_updates >= 70);
    // It read what arrived (and the last row again per update), not the whole range each time.
    CHECK(cache.stats().rows_read <= store->stats().rows_total + 2 * 40);
}

TEST_CASE("series cache: a visible time range, and a build spread over calls") {
    std::mt19937 rng(9);
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    const RecordingQuery q(store, "frame", core::kTimeMax);
    const std::vector<EntityPath> entities = {path("/a")};
    for (int c = 0; c < 30; ++c)
        store->insert(scalar_rows("/a", c * 1000, 1000, 1, 0.0));
    store->insert(scalar_rows("/a", 5, 20000, 1, 0.5));  // one big chunk over many others
    SeriesCache cache;
    cache.set_window_rows(500);
    // A budget of 1 ns: one range query per call; the plot fills in over the calls.
    int calls = 1;
    while (cache.update(q, entities, 2500, 26000, 7, 1.0f, std::chrono::nanoseconds(1)))
        ++calls;
    CHECK(calls > 10);
    CHECK(cache.origin() == 7);
    check_same_as_fresh(cache, q, entities, rng, 2500, 26000);
    // Rows past the range's end change nothing; rows inside it are appended.
    store->insert(scalar_rows("/a", 30000, 100, 1, 0.0));
    CHECK_FALSE(cache.update(q, entities, 2500, 26000, 7, 1.0f));
    check_same_as_fresh(cache, q, entities, rng, 2500, 26000);
    CHECK(cache.stats().full_builds == 1);
}

TEST_CASE("series cache: out-of-order arrival rebuilds, and is right") {
    std::mt19937 rng(3);
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    const RecordingQuery q(store, "frame", core::kTimeMax);
    const std::vector<EntityPath> entities = {path("/a")};
    store->insert(scalar_rows("/a", 0, 100, 1, 0.0));
    store->insert(scalar_rows("/a", 100, 100, 1, 0.0));
    SeriesCache cache;
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache.stats().full_builds == 1);

    // Earlier times than what is shown: a rebuild.
    store->insert(scalar_rows("/a", 50, 20, 1, 2.0));
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache.stats().full_builds == 2);
    check_same_as_fresh(cache, q, entities, rng);
    REQUIRE(cache.series().size() == 1);
    CHECK(cache.series()[0]->data.size() == 220);

    // The same time as the last row shown: a greater row id is appended, a smaller one is not.
    const auto older = ChunkBuilder("/a", "frame", {199})
                           .fixed<double>("Scalars", "scalars", ct::Scalar, {{-5.0}})
                           .build();  // made first: smaller row id
    const auto newer = ChunkBuilder("/a", "frame", {199, 200})
                           .fixed<double>("Scalars", "scalars", ct::Scalar, {{5.0}, {6.0}})
                           .build();
    store->insert(newer);
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache.stats().full_builds == 2);
    check_same_as_fresh(cache, q, entities, rng);
    store->insert(older);
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache.stats().full_builds == 3);
    check_same_as_fresh(cache, q, entities, rng);
    CHECK(cache.series()[0]->data.size() == 223);

    // An eviction that is not the oldest times (a chunk holding the latest value stays, an
    // older-by-row-id chunk with later times goes): rebuilt, never a stale sample.
    auto store2 = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "t"}, ingest::StoreOptions{});
    const RecordingQuery q2(store2, "frame", core::kTimeMax);
    store2->insert(scalar_rows("/a", 1000, 50, 1, 0.0));  // oldest row ids, latest times
    store2->insert(scalar_rows("/a", 0, 50, 1, 0.0));
    store2->insert(scalar_rows("/a", 2000, 50, 1, 0.0));
    SeriesCache cache2;
    CHECK_FALSE(cache2.update(q2, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    const uint64_t before = cache2.stats().full_builds;
    CHECK(store2->evict_oldest(store2->bytes() - 1) > 0);  // drops the first chunk (1000..1049)
    CHECK_FALSE(cache2.update(q2, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    CHECK(cache2.stats().full_builds == before + 1);
    check_same_as_fresh(cache2, q2, entities, rng);
    CHECK(cache2.series()[0]->data.size() == 100);
}

TEST_CASE("series cache: legend toggles survive rebuilds; static and other types show nothing") {
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    const RecordingQuery q(store, "frame", core::kTimeMax);
    store->insert(scalar_rows("/a", 10, 20, 2, 0.0));
    store->insert(ChunkBuilder("/f", "frame", {1, 2})
                      .fixed<float>("Scalars", "scalars", ct::Radius, {{1.f}, {2.f}})
                      .build());
    const std::vector<EntityPath> entities = {path("/a"), path("/f"), path("/s")};
    SeriesCache cache;
    cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f);
    REQUIRE(cache.series().size() == 2);  // /a[0], /a[1]; /f is not f64
    cache.series()[1]->visible = false;
    store->insert(scalar_rows("/a", 0, 5, 2, 0.0));  // out of order: rebuilt
    cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f);
    REQUIRE(cache.series().size() == 2);
    CHECK(cache.series()[0]->visible);
    CHECK_FALSE(cache.series()[1]->visible);
    CHECK(cache.series()[0]->data.size() == 25);
    // A static value of the component wins over the temporal rows: no series, as in range().
    store->insert(ChunkBuilder::static_chunk("/a")
                      .fixed<double>("Scalars", "scalars", ct::Scalar, {{1.0}})
                      .build());
    cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f);
    CHECK(cache.series().empty());
}

TEST_CASE(
    "series cache: inserts and evictions between budgeted calls, many entities, a new store") {
    std::mt19937 rng(17);
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    std::vector<EntityPath> entities;
    const char* names[] = {"/e0", "/e1", "/e2", "/e3", "/e4", "/e5"};
    for (const char* n : names)
        entities.push_back(path(n));
    const core::TimeInt t_lo = 300, t_hi = 9000;
    SeriesCache cache;
    cache.set_window_rows(100);
    int64_t t = 0;
    bool pending = false;
    for (int step = 0; step < 60; ++step) {
        // Data arrives (and old data goes) while a budgeted build is still under way.
        for (const char* n : names)
            store->insert(scalar_rows(n, t, 40 + rng() % 120, 1, double(step)));
        t += 160;
        if (step % 6 == 5) CHECK(store->evict_oldest(store->bytes() * 3 / 4) > 0);
        const RecordingQuery q(store, "frame", core::kTimeMax);
        pending = cache.update(q, entities, t_lo, t_hi, 0, 1.0f, std::chrono::nanoseconds(1));
    }
    CHECK(pending);  // one range query a call cannot keep up: work was left every time
    // Every entity got its turn meanwhile (a shared budget goes round, none starves).
    std::set<EntityPath> shown;
    for (const PlotSeries* s : cache.series())
        if (s->data.size() > 0) shown.insert(s->entity);
    CHECK(shown.size() == entities.size());
    // Left to finish, it equals a build from scratch.
    const RecordingQuery q(store, "frame", core::kTimeMax);
    int calls = 0;
    while (cache.update(q, entities, t_lo, t_hi, 0, 1.0f, std::chrono::nanoseconds(1)))
        REQUIRE(++calls < 100000);
    check_same_as_fresh(cache, q, entities, rng, t_lo, t_hi);

    // The store closes and another takes its place (maybe at the same address): a fresh build.
    const uint64_t builds = cache.stats().full_builds;
    store.reset();
    auto store2 = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    store2->insert(scalar_rows("/e0", 500, 10, 1, 0.0));
    const RecordingQuery q2(store2, "frame", core::kTimeMax);
    CHECK_FALSE(cache.update(q2, entities, t_lo, t_hi, 0, 1.0f));
    CHECK(cache.stats().full_builds > builds);
    REQUIRE(cache.series().size() == 1);
    CHECK(cache.series()[0]->data.size() == 10);
    check_same_as_fresh(cache, q2, entities, rng, t_lo, t_hi);
}

TEST_CASE("density strips: exact per row when small, spread by chunk when large, same totals") {
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    // Rows at 0..999 and 3000..3999; nothing in between.
    store->insert(scalar_rows("/a", 0, 1000, 1, 0.0));
    store->insert(scalar_rows("/a", 3000, 1000, 1, 0.0));
    const std::string_view comp = "Scalars:scalars";
    const auto exact = density_bins(*store, path("/a"), "frame", comp, 0, 3999, 4, 2000);
    CHECK(exact == std::vector<uint32_t>{1000, 0, 0, 1000});
    // By chunk (exact_rows 0): a chunk within one bin lands there whole; one across bins is
    // spread by the share of its span each covers; the totals are the rows either way.
    const auto by_chunk = density_bins(*store, path("/a"), "frame", comp, 0, 3999, 4, 2000, 0);
    CHECK(by_chunk == exact);
    store->insert(scalar_rows("/a", 500, 2001, 1, 0.0));  // 500..2500: bins 0 (1/4), 1, 2 (1/4)
    const auto spread = density_bins(*store, path("/a"), "frame", comp, 0, 3999, 4, 4001, 0);
    REQUIRE(spread.size() == 4);
    CHECK(spread[0] + spread[1] + spread[2] + spread[3] == 4001);
    CHECK(spread[0] == doctest::Approx(1000 + 500).epsilon(0.01));
    CHECK(spread[1] == doctest::Approx(1000).epsilon(0.01));
    CHECK(spread[2] == doctest::Approx(500).epsilon(0.01));
    CHECK(spread[3] == 1000);
    const auto exact2 = density_bins(*store, path("/a"), "frame", comp, 0, 3999, 4, 4001);
    CHECK(exact2 == std::vector<uint32_t>{1500, 1000, 501, 1000});
    // Unknown entity or timeline, and static data: nothing.
    CHECK(density_bins(*store, path("/b"), "frame", comp, 0, 10, 3, 0) ==
          std::vector<uint32_t>(3, 0));
    CHECK(density_bins(*store, path("/a"), "other", comp, 0, 10, 3, 5000, 0) ==
          std::vector<uint32_t>(3, 0));
}

TEST_CASE("series cache: while a rebuild takes frames, the series it had stay on screen") {
    std::mt19937 rng(23);
    auto store = std::make_shared<ingest::RecordingStore>(
        core::StoreId{core::StoreKind::Recording, "s"}, ingest::StoreOptions{});
    const RecordingQuery q(store, "frame", core::kTimeMax);
    const std::vector<EntityPath> entities = {path("/a")};
    for (int c = 0; c < 20; ++c)
        store->insert(scalar_rows("/a", c * 100, 100, 2, 0.0));
    SeriesCache cache;
    cache.set_window_rows(100);
    CHECK_FALSE(cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f));
    REQUIRE(cache.series().size() == 2);
    cache.series()[1]->visible = false;
    // Rows earlier than those shown: a rebuild of 20 windows, one per call.
    store->insert(scalar_rows("/a", -50, 10, 2, 0.0));
    int calls = 0;
    while (cache.update(q, entities, core::kTimeMin, core::kTimeMax, 0, 1.0f,
                        std::chrono::nanoseconds(1))) {
        ++calls;
        // Meanwhile: the 2000 samples of before, not a plot filling in from empty.
        REQUIRE(cache.series().size() == 2);
        CHECK(cache.series()[0]->data.size() == 2000);
        CHECK_FALSE(cache.series()[1]->visible);
        if (calls == 3) cache.series()[0]->visible = false;  // a toggle during the rebuild
    }
    CHECK(calls > 5);
    CHECK(cache.stats().full_builds == 2);
    REQUIRE(cache.series().size() == 2);
    CHECK(cache.series()[0]->data.size() == 2010);
    CHECK_FALSE(cache.series()[0]->visible);  // made during the rebuild: kept
    CHECK_FALSE(cache.series()[1]->visible);
    check_same_as_fresh(cache, q, entities, rng);
}

TEST_CASE("time axis ticks: exact multiples of a nice step, even for timestamps") {
    // A 221 ms window of timestamps (ns since the epoch, ~1.8e18): ticks every 50 ms, exact.
    const int64_t t0 = 1'796'673'229'763'000'000;
    const auto ts = rerun::viewer::axis_ticks(double(t0), double(t0 + 221'000'000), 1200, 250);
    REQUIRE(ts.size() == 4);
    for (size_t i = 0; i < ts.size(); ++i) {
        CHECK(ts[i] % 50'000'000 == 0);
        CHECK(ts[i] == 1'796'673'229'800'000'000 + int64_t(i) * 50'000'000);
    }
    // Sequences: integer steps, never a fraction, even when the span is tiny; negative ranges.
    CHECK(rerun::viewer::axis_ticks(0, 199, 1240, 110) ==
          std::vector<rerun::core::TimeInt>{0, 20, 40, 60, 80, 100, 120, 140, 160, 180});
    CHECK(rerun::viewer::axis_ticks(3, 5, 1000, 100) == std::vector<rerun::core::TimeInt>{3, 4, 5});
    CHECK(rerun::viewer::axis_ticks(-7, 7, 700, 100) ==
          std::vector<rerun::core::TimeInt>{-6, -4, -2, 0, 2, 4, 6});
    CHECK(rerun::viewer::axis_ticks(5, 4, 100, 10).empty());
}
