// Blueprint restart test (label gui, under xvfb-run): the real viewer, real processes, real TCP
// on loopback and a temporary XDG_DATA_HOME.
//   1. A viewer runs; blueprint_sender (application id X) logs data and sends a layout built with
//      the SDK's blueprint API. The viewer saves it to <XDG_DATA_HOME>/rerun/blueprints/X.rbl,
//      then quits on SIGTERM (cleanly: --stats-json says which layout was active).
//   2. A new viewer opens a recording of X (no blueprint in it): the same layout comes back
//      (stats and pixels: the 3D view's blue background).
//   3. A new viewer opens a recording of Y: its own default layout, not X's.
#include <doctest/doctest.h>
#include <signal.h>
#include <stb_image.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using rerun::ingest::testing::Process;

namespace {

const std::string kRerun = std::string(RERUN_BUILD_DIR) + "/rerun";
const std::string kSender = std::string(RERUN_BUILD_DIR) + "/tests/blueprint_sender";
// What blueprint_sender's layout looks like in blueprint::describe().
const std::string kSentLayout =
    "Horizontal[Spatial3D(/world \"World\"), Vertical[TimeSeries(/metrics \"Metrics\"), "
    "TextLog(/logs)]]";

struct Env {
    fs::path root, data, blueprints;
    Env() {
        char tmpl[] = "/tmp/rerun_blueprint_gui_XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        root = tmpl;
        data = root / "data";
        blueprints = data / "rerun" / "blueprints";
        fs::create_directories(root / "config");
        // Children inherit these: the viewers keep their blueprints and settings here.
        ::setenv("XDG_DATA_HOME", data.c_str(), 1);
        ::setenv("XDG_CONFIG_HOME", (root / "config").c_str(), 1);
    }
    ~Env() {
        std::error_code ec;
        if (!std::getenv("RERUN_TEST_KEEP")) fs::remove_all(root, ec);
    }
};

int run(const std::vector<std::string>& args, const std::string& log) {
    Process p(args[0], std::vector<std::string>(args.begin() + 1, args.end()), log);
    auto status = p.wait(std::chrono::seconds(120));
    return status.value_or(-1);
}

json read_json(const fs::path& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "no stats file " << path);
    return json::parse(in);
}

const json* find_app(const json& stats, const std::string& app_id) {
    for (const auto& b : stats.at("blueprints")) {
        if (b.at("application_id") == app_id) return &b;
    }
    return nullptr;
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Pixels of the 3D view's background colour set by the blueprint (32, 64, 192).
size_t blue_background_pixels(const fs::path& png) {
    int w = 0, h = 0, channels = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &channels, 3);
    REQUIRE_MESSAGE(px != nullptr, "cannot read " << png);
    size_t count = 0;
    for (size_t i = 0; i < size_t(w) * size_t(h); ++i) {
        const int r = px[3 * i], g = px[3 * i + 1], b = px[3 * i + 2];
        if (std::abs(r - 32) < 8 && std::abs(g - 64) < 8 && std::abs(b - 192) < 8) ++count;
    }
    stbi_image_free(px);
    return count;
}

}  // namespace

TEST_CASE("gui: a blueprint sent for X survives a restart; Y keeps its own layout") {
    Env env;
    const fs::path x_rrd = env.root / "x.rrd", y_rrd = env.root / "y.rrd";
    REQUIRE(run({kSender, "--save", x_rrd.string(), "X"}, (env.root / "sx.log").string()) == 0);
    REQUIRE(run({kSender, "--save", y_rrd.string(), "Y"}, (env.root / "sy.log").string()) == 0);

    // ---- run 1: live viewer, the program sends data and its blueprint -------------------------
    {
        const fs::path log = env.root / "viewer1.log";
        Process viewer(kRerun,
                       {"--new", "--port", "0", "--window-size", "1600x900", "--stats-json",
                        (env.root / "run1.json").string()},
                       log.string());
        auto line = viewer.wait_for_line("listening on", std::chrono::seconds(30));
        REQUIRE_MESSAGE(line.has_value(), "the viewer did not start:\n" << file_text(log));
        const std::string address = "127.0.0.1:" + line->substr(line->rfind(':') + 1);
        REQUIRE(run({kSender, address, "X", "--blueprint"}, (env.root / "s1.log").string()) == 0);
        // The viewer saves a second after the blueprint arrived; wait for the file (bounded).
        const fs::path saved = env.blueprints / "X.rbl";
        for (int i = 0; i < 600 && !fs::exists(saved); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        REQUIRE_MESSAGE(fs::exists(saved), "no " << saved << "; viewer log:\n" << file_text(log));
        viewer.signal(SIGTERM);
        const auto status = viewer.wait(std::chrono::seconds(60));
        REQUIRE(status.has_value());
        CHECK(*status == 0);
        const json stats = read_json(env.root / "run1.json");
        const json* x = find_app(stats, "X");
        REQUIRE(x != nullptr);
        CHECK(x->at("layout") == kSentLayout);
        CHECK(x->at("user_owned") == true);
        CHECK(x->at("saved_to") == saved.string());
    }

    // ---- run 2: a new viewer on a recording of X (without a blueprint) restores the layout ----
    const fs::path x_png = env.root / "blueprint-x.png", y_png = env.root / "blueprint-y.png";
    {
        const fs::path log = env.root / "viewer2.log";
        const int rc =
            run({kRerun, "--new", "--port", "0", "--window-size", "1600x900", "--screenshot-to",
                 x_png.string(), "--stats-json", (env.root / "run2.json").string(), x_rrd.string()},
                log.string());
        REQUIRE_MESSAGE(rc == 0, file_text(log));
        const json stats = read_json(env.root / "run2.json");
        const json* x = find_app(stats, "X");
        REQUIRE(x != nullptr);
        CHECK(x->at("layout") == kSentLayout);
        CHECK(x->at("source").get<std::string>().rfind("restored from", 0) == 0);
        const size_t blue = blue_background_pixels(x_png);
        MESSAGE("X: " << blue << " pixels of the blueprint's background colour");
        CHECK(blue > 100000);  // the 3D view takes 2/3 of the middle area
    }

    // ---- run 3: Y has no saved blueprint: its default layout, not X's -------------------------
    {
        const fs::path log = env.root / "viewer3.log";
        const int rc =
            run({kRerun, "--new", "--port", "0", "--window-size", "1600x900", "--screenshot-to",
                 y_png.string(), "--stats-json", (env.root / "run3.json").string(), y_rrd.string()},
                log.string());
        REQUIRE_MESSAGE(rc == 0, file_text(log));
        const json stats = read_json(env.root / "run3.json");
        const json* y = find_app(stats, "Y");
        REQUIRE(y != nullptr);
        CHECK(y->at("layout") != kSentLayout);
        CHECK(y->at("source") == "default layout");
        CHECK(y->at("user_owned") == false);
        CHECK(find_app(stats, "X") == nullptr);
        CHECK(blue_background_pixels(y_png) < 1000);
        CHECK(!fs::exists(env.blueprints / "Y.rbl"));  // defaults are not saved
    }
    CHECK(fs::exists(env.blueprints / "X.rbl"));
}
