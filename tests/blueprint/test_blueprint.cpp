#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "rerun/blueprint/blueprint_store.hpp"
#include "rerun/blueprint/heuristics.hpp"
#include "rerun/blueprint/persistence.hpp"

using namespace rerun::blueprint;
using rerun::core::EntityPath;
namespace fs = std::filesystem;

// GCC 12 reports a false "may be used uninitialized" when a variant that holds a unique_ptr is
// moved inside a vector.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

// A blueprint that uses every element: every container kind, every view class, shares, tabs,
// grid columns, queries with exclusions, and every view property.
Blueprint full_blueprint() {
    Blueprint bp;
    bp.auto_layout = false;
    bp.root().kind = ContainerKind::Horizontal;
    bp.root().name = "root";
    bp.root().shares = {2.0f, 1.0f};

    View v3d;
    v3d.id = new_node_id();
    v3d.cls = ViewClass::Spatial3D;
    v3d.name = "World";
    v3d.origin = *EntityPath::parse("/world");
    v3d.contents = *EntityQuery::parse("+ $origin/**\n- /world/noise");
    v3d.properties.background = 0x202020FF;
    bp.root().children.push_back(v3d);

    auto tabs = std::make_unique<Container>();
    tabs->id = new_node_id();
    tabs->kind = ContainerKind::Tabs;
    tabs->active_tab = 1;
    View series;
    series.id = new_node_id();
    series.cls = ViewClass::TimeSeries;
    series.name = "Metrics";
    series.origin = *EntityPath::parse("/metrics");
    series.properties.time_range = std::pair<int64_t, int64_t>{-100, 0};
    series.properties.x_range = std::pair<double, double>{0.5, 10.25};
    series.properties.y_range = std::pair<double, double>{-1.0, 1.0};
    tabs->children.push_back(series);
    auto grid = std::make_unique<Container>();
    grid->id = new_node_id();
    grid->kind = ContainerKind::Grid;
    grid->grid_columns = 2;
    for (auto cls : {ViewClass::Spatial2D, ViewClass::TextLog, ViewClass::TextDocument}) {
        View v;
        v.id = new_node_id();
        v.cls = cls;
        v.name = std::string(view_class_name(cls)) + " \xC3\xA9";
        grid->children.push_back(v);
    }
    tabs->children.push_back(std::move(grid));
    auto vertical = std::make_unique<Container>();
    vertical->id = new_node_id();
    vertical->kind = ContainerKind::Vertical;
    tabs->children.push_back(std::move(vertical));  // an empty container survives too
    bp.root().children.push_back(std::move(tabs));
    return bp;
}

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/bp_test_XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("every blueprint element round-trips through chunks and .rbl files") {
    const Blueprint bp = full_blueprint();
    std::string error;
    const auto back = blueprint_from_chunks(blueprint_to_chunks(bp), &error);
    REQUIRE_MESSAGE(back, error);
    CHECK(*back == bp);
    const auto bytes = encode_rbl(bp, "my_app");
    const auto from_file = decode_rbl(bytes, &error);
    REQUIRE_MESSAGE(from_file, error);
    CHECK(*from_file == bp);
    CHECK(from_file->view_count() == 5);
}

TEST_CASE("a later version of a node wins") {
    Blueprint bp = full_blueprint();
    auto chunks = blueprint_to_chunks(bp);
    bp.find_view(std::get<View>(bp.root().children[0]).id)->name = "Renamed";
    bp.root().kind = ContainerKind::Vertical;
    for (auto& c : blueprint_to_chunks(bp))
        chunks.push_back(c);
    std::string error;
    const auto back = blueprint_from_chunks(chunks, &error);
    REQUIRE(back);
    CHECK(*back == bp);
}

TEST_CASE("a node listed twice is refused, not expanded") {
    std::string error;
    SUBCASE("the same view twice in one container") {
        Blueprint bp;
        View v;
        v.id = new_node_id();
        bp.root().children.push_back(v);
        bp.root().children.push_back(v);
        CHECK_FALSE(blueprint_from_chunks(blueprint_to_chunks(bp), &error));
        CHECK(error.find("appears more than once") != std::string::npos);
    }
    SUBCASE("a chain of containers, each listing the next twice") {
        // Decoded naively this is 2^40 nodes from a few KB. First a chain root -> n1 -> ... ->
        // a view; then, newer, each container again, now listing the next node twice.
        constexpr size_t kDepth = 40;
        std::vector<NodeId> ids(kDepth + 1);
        for (auto& id : ids)
            id = new_node_id();
        Blueprint chain;
        chain.root().id = ids[0];
        Container* at = &chain.root();
        for (size_t i = 1; i < kDepth; ++i) {
            auto next = std::make_unique<Container>();
            next->id = ids[i];
            Container* raw = next.get();
            at->children.push_back(std::move(next));
            at = raw;
        }
        View leaf;
        leaf.id = ids[kDepth];
        at->children.push_back(leaf);
        auto chunks = blueprint_to_chunks(chain);
        for (size_t i = 0; i < kDepth; ++i) {
            Blueprint twice;
            twice.root().id = ids[i];
            View next;
            next.id = ids[i + 1];
            twice.root().children.push_back(next);
            twice.root().children.push_back(next);
            for (auto& c : blueprint_to_chunks(twice)) {
                if (c->entity_path.to_string().rfind("/container/", 0) == 0) chunks.push_back(c);
            }
        }
        CHECK_FALSE(blueprint_from_chunks(chunks, &error));
        CHECK(error.find("appears more than once") != std::string::npos);
    }
}

TEST_CASE("queries: most specific rule wins, exclusion wins ties, $origin resolves") {
    const auto q = EntityQuery::parse("+ /world/**\n- /world/noise/**\n+ /world/noise/keep");
    REQUIRE(q);
    const EntityPath origin;
    CHECK(q->matches(*EntityPath::parse("/world"), origin));
    CHECK(q->matches(*EntityPath::parse("/world/robot/arm"), origin));
    CHECK_FALSE(q->matches(*EntityPath::parse("/world/noise"), origin));
    CHECK_FALSE(q->matches(*EntityPath::parse("/world/noise/x"), origin));
    CHECK(q->matches(*EntityPath::parse("/world/noise/keep"), origin));
    CHECK_FALSE(q->matches(*EntityPath::parse("/other"), origin));
    const auto tie = EntityQuery::parse("+ /a\n- /a");
    CHECK_FALSE(tie->matches(*EntityPath::parse("/a"), origin));
    const auto under = EntityQuery::everything_under_origin();
    CHECK(under.matches(*EntityPath::parse("/cam/image"), *EntityPath::parse("/cam")));
    CHECK_FALSE(under.matches(*EntityPath::parse("/world"), *EntityPath::parse("/cam")));
    CHECK(EntityQuery::parse(q->to_string()) == q);
    // matching(): the entities matches() accepts, in their order, with rules resolved once.
    const std::vector<EntityPath> entities{
        *EntityPath::parse("/world/noise/keep"), *EntityPath::parse("/other"),
        *EntityPath::parse("/world"), *EntityPath::parse("/world/noise/x"),
        *EntityPath::parse("/cam/image")};
    CHECK(q->matching(entities, origin) == std::vector<EntityPath>{entities[0], entities[2]});
    CHECK(under.matching(entities, *EntityPath::parse("/cam")) ==
          std::vector<EntityPath>{entities[4]});
    const auto relative = EntityQuery::parse("+ $origin/**\n- $origin/noise");
    REQUIRE(relative);
    CHECK(relative->matching(entities, *EntityPath::parse("/world")) ==
          std::vector<EntityPath>{entities[0], entities[2], entities[3]});
    std::string error;
    CHECK_FALSE(EntityQuery::parse("+ /a//b", &error));
    CHECK(error.find("empty part") != std::string::npos);
}

TEST_CASE("edits: insert, move, split, remove, undo and redo") {
    Blueprint bp = full_blueprint();
    History history;
    const NodeId first = std::get<View>(bp.root().children[0]).id;
    const NodeId tabs = std::get<std::unique_ptr<Container>>(bp.root().children[1])->id;

    history.record(bp);
    View extra;
    extra.id = new_node_id();
    extra.cls = ViewClass::TextLog;
    REQUIRE(bp.split(first, ContainerKind::Vertical, extra));
    CHECK(bp.view_count() == 6);
    CHECK(std::holds_alternative<std::unique_ptr<Container>>(bp.root().children[0]));

    history.record(bp);
    REQUIRE(bp.move(extra.id, tabs, 0));
    CHECK(std::get<View>(bp.find_container(tabs)->children[0]).id == extra.id);
    CHECK_FALSE(bp.move(tabs, tabs));  // not into itself
    CHECK_FALSE(bp.remove(bp.root().id));

    history.record(bp);
    REQUIRE(bp.remove(first));
    CHECK(bp.find_view(first) == nullptr);
    CHECK(bp.view_count() == 5);

    const Blueprint after = bp;
    auto undone = history.undo(bp);
    REQUIRE(undone);
    CHECK(undone->find_view(first) != nullptr);
    auto redone = history.redo(*undone);
    REQUIRE(redone);
    CHECK(*redone == after);
}

TEST_CASE("default layout from the data present") {
    std::vector<EntityInfo> entities = {
        {*EntityPath::parse("/world/points"),
         {"rerun.components.Position3D", "rerun.components.Color"}},
        {*EntityPath::parse("/world/boxes"), {"rerun.components.HalfSize3D"}},
        {*EntityPath::parse("/camera/image"),
         {"rerun.components.ImageBuffer", "rerun.components.ImageFormat"}},
        {*EntityPath::parse("/camera/detections"), {"rerun.components.HalfSize2D"}},
        {*EntityPath::parse("/metrics/loss"), {"rerun.components.Scalar"}},
        {*EntityPath::parse("/metrics/accuracy"), {"rerun.components.Scalar"}},
        {*EntityPath::parse("/logs"), {"rerun.components.Text", "rerun.components.TextLogLevel"}},
        {*EntityPath::parse("/readme"), {"rerun.components.Text", "rerun.components.MediaType"}},
        // A TextLog without a level is still a log, by its archetype.
        {*EntityPath::parse("/updates"), {"rerun.components.Text"}, {"rerun.archetypes.TextLog"}},
    };
    const Blueprint bp = default_blueprint(entities);
    CHECK(bp.auto_layout);
    std::multiset<ViewClass> classes;
    for (const View* v : bp.views())
        classes.insert(v->cls);
    CHECK(classes.count(ViewClass::Spatial3D) == 1);
    CHECK(classes.count(ViewClass::Spatial2D) == 1);  // detections are drawn over the camera image
    CHECK(classes.count(ViewClass::TimeSeries) == 1);
    CHECK(classes.count(ViewClass::TextLog) == 1);
    CHECK(classes.count(ViewClass::TextDocument) == 1);
    for (const View* v : bp.views()) {
        if (v->cls == ViewClass::Spatial2D) CHECK(v->origin == *EntityPath::parse("/camera"));
    }
    // Bounded, whatever the data.
    std::vector<EntityInfo> many;
    for (int i = 0; i < 100; ++i) {
        many.push_back({*EntityPath::parse("/cam" + std::to_string(i) + "/image"),
                        {"rerun.components.ImageBuffer"}});
    }
    CHECK(default_blueprint(many).view_count() == kMaxDefaultViews);
    CHECK(default_blueprint({}).view_count() == 0);
}

TEST_CASE("hostile application ids stay inside the folder and never share a file") {
    TempDir dir;
    const BlueprintStorage storage(dir.path / "blueprints");
    const std::vector<std::string> ids = {"../../etc/x",
                                          "..",
                                          ".",
                                          "",
                                          "a/b",
                                          "a_b",
                                          "a\\b",
                                          "a\nb",
                                          std::string(10000, 'x'),
                                          std::string(10000, 'x') + "y",
                                          "caf\xC3\xA9",
                                          "caf_",
                                          "caf__",
                                          "normal.app-id_1",
                                          "x-0123456789abcdef",
                                          "CON",
                                          "/absolute/path",
                                          std::string("nul\0byte", 8)};
    std::set<std::string> stems;
    for (const auto& id : ids) {
        const auto path = storage.path_for(id);
        CAPTURE(id);
        CHECK(path.parent_path() == storage.dir());
        const auto stem = path.stem().string();
        CHECK(stem.size() <= 120);
        CHECK(stem.find('/') == std::string::npos);
        CHECK(stem.front() != '.');
        CHECK(stems.insert(stem).second);
    }
    CHECK(blueprint_file_stem("normal.app-id_1") == "normal.app-id_1");
    // Every id saves and loads back its own layout.
    for (size_t i = 0; i < ids.size(); ++i) {
        Blueprint bp;
        bp.root().name = "layout " + std::to_string(i);
        std::string error;
        REQUIRE_MESSAGE(storage.save(ids[i], bp, &error), error);
    }
    for (size_t i = 0; i < ids.size(); ++i) {
        std::string warning;
        const auto bp = storage.load(ids[i], &warning);
        REQUIRE(bp);
        CHECK(bp->root().name == "layout " + std::to_string(i));
    }
    size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path))
        files += entry.is_regular_file();
    CHECK(files == ids.size());
    CHECK(storage.reset() == ids.size());
    CHECK_FALSE(storage.load(ids[0], nullptr));
}

TEST_CASE("a corrupt or newer blueprint file is set aside with a warning") {
    TempDir dir;
    const BlueprintStorage storage(dir.path);
    std::string error;
    REQUIRE(storage.save("app", full_blueprint(), &error));
    const auto path = storage.path_for("app");
    {
        // A byte flipped, not set: a set value may already be there.
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekg(100);
        const char byte = char(f.get());
        f.seekp(100);
        f.put(char(~byte));
    }
    std::string warning;
    CHECK_FALSE(storage.load("app", &warning));
    CHECK(warning.find("ignoring the saved blueprint") != std::string::npos);
    CHECK(warning.find("default layout") != std::string::npos);
    CHECK_FALSE(fs::exists(path));
    size_t aside = 0;
    for (const auto& entry : fs::directory_iterator(dir.path)) {
        aside += entry.path().string().find(".rbl.bad-") != std::string::npos;
    }
    CHECK(aside == 1);

    // A newer format version.
    Blueprint bp;
    auto chunks = blueprint_to_chunks(bp);
    auto viewport = std::make_shared<rerun::core::Chunk>(*chunks[0]);
    for (auto& c : viewport->components) {
        if (c.descriptor.component == "Viewport:version") {
            c.values = rerun::core::Buffer::from_vector(std::vector<uint32_t>{99});
        }
    }
    viewport->row_ids =
        rerun::core::Buffer::from_vector(std::vector<rerun::core::Tuid>{rerun::core::Tuid::make()});
    chunks.push_back(viewport);
    CHECK_FALSE(blueprint_from_chunks(chunks, &error));
    CHECK(error.find("newer") != std::string::npos);
}
