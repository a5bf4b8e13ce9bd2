// GUI tests: the real viewer (viewer_demo) renders synthetic recordings in a window under
// xvfb-run and writes a screenshot; the test checks pixel colours where the data must appear.
#include <doctest/doctest.h>
#include <stb_image.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#ifdef VIEWER_SDK_SENDER
#include "process.hpp"
#endif

namespace {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> px;
    const unsigned char* at(int x, int y) const {
        return &px[(size_t(y) * size_t(w) + size_t(x)) * 3];
    }
};

Image load_png(const std::string& path);

Image screenshot(const std::string& args, const std::string& name) {
    const std::string out =
        std::string(RERUN_BUILD_DIR) + "/tests/" + name + "_" + std::to_string(getpid()) + ".png";
    const std::string cmd =
        std::string(VIEWER_DEMO) + " " + args + " --window-size 1600x900 --screenshot-to " + out;
    const int rc = std::system(cmd.c_str());
    REQUIRE(rc == 0);
    Image img = load_png(out);
    std::remove(out.c_str());
    return img;
}

Image load_png(const std::string& path) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(path.c_str(), &img.w, &img.h, &channels, 3);
    REQUIRE_MESSAGE(data != nullptr, "cannot read " << path);
    img.px.assign(data, data + size_t(img.w) * size_t(img.h) * 3);
    stbi_image_free(data);
    return img;
}

struct Found {
    size_t count = 0;
    double cx = 0, cy = 0;
};

template <class Pred>
Found find(const Image& img, Pred pred, int x0 = 0, int y0 = 0, int x1 = -1, int y1 = -1) {
    if (x1 < 0) x1 = img.w;
    if (y1 < 0) y1 = img.h;
    Found f;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            const unsigned char* p = img.at(x, y);
            if (pred(p[0], p[1], p[2])) {
                ++f.count;
                f.cx += x;
                f.cy += y;
            }
        }
    if (f.count) f.cx /= double(f.count), f.cy /= double(f.count);
    return f;
}

}  // namespace

TEST_CASE("gui: red points of a 3D recording appear in the middle of the 3D view") {
    const Image img = screenshot("--pixel-test", "gui_pixel");
    REQUIRE(img.w == 1600);
    REQUIRE(img.h == 900);
    const auto red = find(img, [](int r, int g, int b) { return r > 200 && g < 60 && b < 60; });
    MESSAGE("red pixels: " << red.count << " centroid " << red.cx << "," << red.cy);
    CHECK(red.count > 2000);
    // The only view fills the area between the side panels (x 300..1270) above the time panel;
    // the camera frames the points, so they sit near its centre.
    CHECK(red.cx > 600);
    CHECK(red.cx < 1000);
    CHECK(red.cy > 200);
    CHECK(red.cy < 500);
}

TEST_CASE("gui: the demo recording shows points, the image with boxes, a series and text") {
    const Image img = screenshot("--demo", "gui_demo");
    // Boxes2D "person" is pure green (0x00ff00) over the image.
    const auto green = find(img, [](int r, int g, int b) { return g > 230 && r < 40 && b < 40; });
    CHECK(green.count > 100);
    // The sin(t) series is drawn in 0xff5050.
    const auto series = find(
        img, [](int r, int g, int b) { return r > 235 && g > 60 && g < 100 && b > 60 && b < 100; });
    CHECK(series.count > 100);
    // The orange crate (0xff8800) in the 3D view.
    const auto orange =
        find(img, [](int r, int g, int b) { return r > 230 && g > 110 && g < 160 && b < 40; });
    CHECK(orange.count > 30);
    // The time cursor (amber, 255,200,60) in the time panel at the bottom.
    const auto cursor = find(
        img, [](int r, int g, int b) { return r > 245 && g > 185 && g < 215 && b > 40 && b < 80; },
        0, 600, img.w, img.h);
    CHECK(cursor.count > 20);
}

TEST_CASE("gui: with nothing loaded the welcome screen is shown") {
    const Image img = screenshot("", "gui_welcome");
    // Mostly dark UI with text: some bright text pixels in the centre area.
    const auto text = find(
        img, [](int r, int g, int b) { return r > 180 && g > 180 && b > 180; }, 300, 50, 1300, 500);
    CHECK(text.count > 500);
}

#ifdef VIEWER_SDK_SENDER
TEST_CASE("gui: an SDK program logs over TCP to the real viewer; the screenshot shows its data") {
    using rerun::ingest::testing::Process;
    // A private XDG home: the viewer neither reads nor writes the user's layouts and settings.
    char home[] = "/tmp/rerun_gui_sdk_XXXXXX";
    REQUIRE(::mkdtemp(home) != nullptr);
    const std::string dir = home;
    ::setenv("XDG_DATA_HOME", (dir + "/data").c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (dir + "/config").c_str(), 1);
    const std::string png = dir + "/sdk.png";
    // The viewer listens on a free port and takes the picture once all of the sender's rows
    // are in (viewer_sdk_sender logs 109; see its header), not after a guessed delay.
    Process viewer(std::string(RERUN_BUILD_DIR) + "/rerun",
                   {"--new", "--port", "0", "--window-size", "1600x900", "--screenshot-to", png,
                    "--screenshot-when-rows", "109"},
                   dir + "/viewer.log");
    const auto line = viewer.wait_for_line("listening on", std::chrono::seconds(60));
    REQUIRE_MESSAGE(
        line.has_value(),
        "the viewer did not start: " << rerun::ingest::testing::read_file(dir + "/viewer.log"));
    const std::string address = "127.0.0.1:" + line->substr(line->rfind(':') + 1);
    Process sender(VIEWER_SDK_SENDER, {address}, dir + "/sender.log");
    REQUIRE(sender.wait(std::chrono::seconds(120)) == std::optional<int>(0));
    const auto status = viewer.wait(std::chrono::seconds(300));
    REQUIRE_MESSAGE(status == std::optional<int>(0),
                    "viewer: " << rerun::ingest::testing::read_file(dir + "/viewer.log"));
    const Image img = load_png(png);
    std::filesystem::remove_all(dir);
    REQUIRE(img.w == 1600);
    // Points3D: pure blue (0,0,255), big.
    const auto blue = find(img, [](int r, int g, int b) { return b > 200 && r < 40 && g < 40; });
    CHECK(blue.count > 100);
    // Boxes3D: magenta (255,0,255) edges.
    const auto magenta =
        find(img, [](int r, int g, int b) { return r > 200 && b > 200 && g < 50; });
    CHECK(magenta.count > 30);
    // Image: solid yellow.
    const auto yellow = find(img, [](int r, int g, int b) { return r > 230 && g > 230 && b < 30; });
    CHECK(yellow.count > 1000);
    // Scalars with SeriesLines colour cyan (0,255,255).
    const auto cyan = find(img, [](int r, int g, int b) { return g > 220 && b > 220 && r < 40; });
    CHECK(cyan.count > 50);
    // TextLog lines drawn in their colour (255,64,160): text, so fewer pixels, and antialiased.
    const auto pink = find(img, [](int r, int g, int b) {
        return r > 220 && g > 40 && g < 100 && b > 130 && b < 190;
    });
    CHECK(pink.count > 40);
}
#endif
