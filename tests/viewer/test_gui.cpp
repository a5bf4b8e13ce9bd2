// GUI tests: the real viewer (viewer_demo) renders synthetic recordings in a window under
// xvfb-run and writes a screenshot; the test checks pixel colours where the data must appear.
#include <doctest/doctest.h>
#include <stb_image.h>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> px;
    const unsigned char* at(int x, int y) const {
        return &px[(size_t(y) * size_t(w) + size_t(x)) * 3];
    }
};

Image screenshot(const std::string& args, const std::string& name) {
    const std::string out =
        std::string(RERUN_BUILD_DIR) + "/tests/" + name + "_" + std::to_string(getpid()) + ".png";
    const std::string cmd =
        std::string(VIEWER_DEMO) + " " + args + " --window-size 1600x900 --screenshot-to " + out;
    const int rc = std::system(cmd.c_str());
    REQUIRE(rc == 0);
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(out.c_str(), &img.w, &img.h, &channels, 3);
    REQUIRE(data != nullptr);
    img.px.assign(data, data + size_t(img.w) * size_t(img.h) * 3);
    stbi_image_free(data);
    std::remove(out.c_str());
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
TEST_CASE(
    "gui: an SDK program logs over TCP; the screenshot shows its points, box, image, series") {
    // The viewer listens on a port of its own, waits 4 s for live data, then takes the picture;
    // the sender starts meanwhile.
    const int port = 20000 + int(getpid() % 20000);
    const std::string sender = std::string(VIEWER_SDK_SENDER) +
                               " 127.0.0.1:" + std::to_string(port) + " > /dev/null 2>&1 &";
    const std::string delayed = "(sleep 1; " + sender + ") ";
    REQUIRE(std::system(delayed.c_str()) == 0);
    const Image img =
        screenshot("--listen " + std::to_string(port) + " --screenshot-after 4", "gui_sdk");
    const auto blue = find(img, [](int r, int g, int b) { return b > 200 && r < 40 && g < 40; });
    CHECK(blue.count > 100);
    const auto magenta =
        find(img, [](int r, int g, int b) { return r > 200 && b > 200 && g < 50; });
    CHECK(magenta.count > 30);
    const auto yellow = find(img, [](int r, int g, int b) { return r > 230 && g > 230 && b < 30; });
    CHECK(yellow.count > 1000);
    const auto cyan = find(img, [](int r, int g, int b) { return g > 220 && b > 220 && r < 40; });
    CHECK(cyan.count > 50);
}
#endif
