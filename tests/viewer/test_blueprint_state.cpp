// BlueprintSet: the viewer's blueprints per application id, with real files in a temporary
// folder and real stores (the demo recording) for the heuristic layout.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "blueprint_state.hpp"
#include "layout.hpp"
#include "rerun/blueprint/blueprint_store.hpp"
#include "synthetic.hpp"

using namespace rerun;
using namespace rerun::viewer;
namespace fs = std::filesystem;

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/viewer_bp_XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
};

// A two-view layout as a producer or the user would make it.
blueprint::Blueprint custom_layout(const std::string& name) {
    blueprint::Blueprint bp;
    bp.auto_layout = false;
    bp.root().kind = blueprint::ContainerKind::Vertical;
    bp.root().name = name;
    for (auto cls : {blueprint::ViewClass::Spatial3D, blueprint::ViewClass::TextLog}) {
        blueprint::View v;
        v.id = blueprint::new_node_id();
        v.cls = cls;
        v.origin = EntityPath::parse_lenient("/world");
        bp.root().children.push_back(v);
    }
    return bp;
}

std::vector<ingest::EntityInfo> demo_entities(ingest::StoreHub& hub) {
    testing::fill_demo_recording(hub, "rec", "app", 5);
    return hub.find({core::StoreKind::Recording, "rec"})->entities();
}

bool has_message(BlueprintSet& set, int level, const std::string& needle) {
    bool found = false;
    for (const auto& [l, text] : set.take_messages())
        found = found || (l == level && text.find(needle) != std::string::npos);
    return found;
}

}  // namespace

TEST_CASE("blueprint set: the heuristic layout follows new entities until the first edit") {
    TempDir dir;
    BlueprintSet set(dir.path);
    ingest::StoreHub hub;
    const auto entities = demo_entities(hub);
    CHECK(set.get("app").active.view_count() == 0);
    CHECK(set.update_default("app", {entities.begin(), entities.begin() + 2}));
    const size_t few = set.get("app").active.view_count();
    CHECK(set.update_default("app", entities));
    CHECK(set.get("app").active.view_count() > few);
    CHECK_FALSE(set.update_default("app", entities));  // same entities: nothing to do
    CHECK(set.get("app").source == "default layout");
    CHECK_FALSE(set.get("app").dirty);

    // The first edit stops the heuristics and is saved after the delay.
    auto edited = set.get("app").active;
    edited.root().name = "mine";
    set.edit("app", edited);
    CHECK_FALSE(set.get("app").active.auto_layout);
    CHECK(set.get("app").dirty);
    CHECK_FALSE(set.update_default("app", {entities.begin(), entities.begin() + 1}));
    CHECK(set.get("app").active.root().name == "mine");
    const auto now = BlueprintSet::Clock::now();
    set.save_due(now, std::chrono::hours(1));  // not yet due
    CHECK_FALSE(fs::exists(set.path_for("app")));
    set.save_due(now + std::chrono::hours(2), std::chrono::hours(1));
    CHECK(fs::exists(set.path_for("app")));
    CHECK_FALSE(set.get("app").dirty);

    // Undo goes back to the heuristic layout and forgets the saved file; redo brings it back.
    CHECK(set.undo("app"));
    CHECK(set.get("app").active.auto_layout);
    CHECK_FALSE(fs::exists(set.path_for("app")));
    CHECK(set.redo("app"));
    CHECK(set.get("app").active.root().name == "mine");
    set.save_all();
    CHECK(fs::exists(set.path_for("app")));
}

TEST_CASE("blueprint set: a saved blueprint is restored by a new set (a restart)") {
    TempDir dir;
    {
        BlueprintSet set(dir.path);
        set.edit("X", custom_layout("for X"));
        set.save_all();
    }
    BlueprintSet set(dir.path);
    const auto& x = set.get("X");
    CHECK(x.active.root().name == "for X");
    CHECK(x.user_owned);
    CHECK(x.source.rfind("restored from", 0) == 0);
    CHECK(has_message(set, 1, "restored"));
    // Another application id keeps its default.
    CHECK(set.get("Y").active.auto_layout);
    CHECK(set.get("Y").source == "default layout");
    // A set without a folder neither restores nor saves.
    BlueprintSet none;
    CHECK(none.get("X").active.auto_layout);
    none.edit("X", custom_layout("unsaved"));
    none.save_all();
    CHECK(none.path_for("X").empty());
}

TEST_CASE("blueprint set: a corrupt saved blueprint falls back to the default with a warning") {
    TempDir dir;
    BlueprintSet writer(dir.path);
    const fs::path path = writer.path_for("X");
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "not a blueprint";
    BlueprintSet set(dir.path);
    CHECK(set.get("X").active.auto_layout);
    CHECK_FALSE(set.get("X").user_owned);
    CHECK(has_message(set, 2, "ignoring the saved blueprint"));
    CHECK_FALSE(fs::exists(path));  // moved aside, not overwritten
    size_t aside = 0;
    for (const auto& e : fs::directory_iterator(path.parent_path()))
        aside += e.path().string().find(".rbl.bad-") != std::string::npos;
    CHECK(aside == 1);
}

TEST_CASE("blueprint set: make_active replaces; make_default waits for a user without one") {
    TempDir dir;
    BlueprintSet set(dir.path);
    ingest::StoreHub hub;
    const auto entities = demo_entities(hub);
    set.update_default("app", entities);

    // No blueprint of the user's: make_default shows at once, and is not saved.
    set.apply("app", custom_layout("default"), false, true, "sent by a producer");
    CHECK(set.get("app").active.root().name == "default");
    CHECK_FALSE(set.get("app").user_owned);
    set.save_all();
    CHECK_FALSE(fs::exists(set.path_for("app")));

    // make_active replaces it (undoably) and is saved.
    set.apply("app", custom_layout("active"), true, false, "sent by a producer");
    CHECK(set.get("app").active.root().name == "active");
    CHECK(set.get("app").user_owned);
    set.save_all();
    CHECK(fs::exists(set.path_for("app")));

    // Now the user has one: a new make_default is only kept for reset.
    set.apply("app", custom_layout("default 2"), false, true, "sent by a producer");
    CHECK(set.get("app").active.root().name == "active");
    set.reset("app", entities);
    CHECK(set.get("app").active.root().name == "default 2");
    CHECK_FALSE(fs::exists(set.path_for("app")));  // reset forgets the saved one
    CHECK(set.undo("app"));
    CHECK(set.get("app").active.root().name == "active");

    // After a restart the saved blueprint counts as the user's: make_default does not replace it.
    set.save_all();
    BlueprintSet restarted(dir.path);
    restarted.apply("app", custom_layout("default 3"), false, true, "sent by a producer");
    CHECK(restarted.get("app").active.root().name == "active");
}

namespace {

// A blueprint store `id` of application "app" whose layout's root is named `name`, sent to `hub`
// with an activation when `make_active`.
void send_blueprint(ingest::StoreHub& hub, const std::string& name, const std::string& id,
                    bool make_active) {
    for (auto& m :
         blueprint::blueprint_to_messages(custom_layout(name), id, "app", make_active, false))
        hub.handle("test", std::move(m));
}

}  // namespace

TEST_CASE("blueprint set: activations received by the hub apply to their application id") {
    TempDir dir;
    BlueprintSet set(dir.path);
    ingest::StoreHub hub;
    testing::fill_demo_recording(hub, "rec", "app", 5);
    send_blueprint(hub, "sent", "bp-1", true);
    // An activation naming a store that does not exist is reported, not applied.
    hub.handle("test", core::BlueprintActivation{{core::StoreKind::Blueprint, "nope"}, true, true});
    DataAccess data(hub);
    size_t seen = 0;
    apply_activations(set, data, &seen);
    CHECK(seen == 2);
    CHECK(set.get("app").active.root().name == "sent");
    CHECK(set.get("app").source == "sent by a producer");
    CHECK(blueprint::describe(set.get("app").active) ==
          "Vertical \"sent\"[Spatial3D(/world), TextLog(/world)]");
    // Nothing new: nothing applied twice.
    set.edit("app", custom_layout("edited"));
    apply_activations(set, data, &seen);
    CHECK(set.get("app").active.root().name == "edited");
}

TEST_CASE("blueprint set: a burst of activations applies only the ones with a lasting effect") {
    TempDir dir;
    BlueprintSet set(dir.path);
    ingest::StoreHub hub;
    testing::fill_demo_recording(hub, "rec", "app", 5);
    send_blueprint(hub, "first", "bp-1", false);
    send_blueprint(hub, "second", "bp-2", false);
    // 500 alternating activations, the last making bp-1 active; one making bp-2 the default.
    for (int i = 0; i < 500; ++i) {
        const std::string id = i % 2 == 0 ? "bp-2" : "bp-1";
        hub.handle("test",
                   core::BlueprintActivation{{core::StoreKind::Blueprint, id}, true, false});
    }
    hub.handle("test",
               core::BlueprintActivation{{core::StoreKind::Blueprint, "bp-2"}, false, true});
    DataAccess data(hub);
    size_t seen = 0;
    (void)set.take_messages();
    apply_activations(set, data, &seen);
    CHECK(seen == 501);
    // As if applied one by one: bp-1 made active last (an active blueprint is kept over a later
    // default), bp-2 the default; each read and applied once (two notes), not 250 times each.
    REQUIRE(set.get("app").producer_default);
    CHECK(set.get("app").producer_default->root().name == "second");
    CHECK(set.get("app").active.root().name == "first");
    const auto messages = set.take_messages();
    CHECK(messages.size() == 2);
}

TEST_CASE("layout: a Tabs container gets a tab strip above its active child") {
    blueprint::Blueprint bp = custom_layout("tabs");
    bp.root().kind = blueprint::ContainerKind::Tabs;
    bp.root().active_tab = 1;
    std::vector<PlacedView> placed;
    std::vector<PlacedTabs> tabs;
    layout_container(bp.root(), Rect{0, 0, 400, 300}, 0.0f, placed, &tabs, 20.0f);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].view->cls == blueprint::ViewClass::TextLog);
    REQUIRE(tabs.size() == 1);
    CHECK(tabs[0].container == &bp.root());
    CHECK(tabs[0].rect.h == 20.0f);
    CHECK(placed[0].rect.y == 20.0f);
    CHECK(placed[0].rect.h == 280.0f);
    // Without a strip requested, the child takes the whole rectangle (as before).
    placed.clear();
    layout_container(bp.root(), Rect{0, 0, 400, 300}, 0.0f, placed);
    CHECK(placed[0].rect.h == 300.0f);
}
