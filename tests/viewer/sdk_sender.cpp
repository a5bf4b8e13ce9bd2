// Test-only SDK program for the end-to-end GUI test: logs points, boxes, an image, a scalar series
// and text logs to a viewer over TCP.  Usage: viewer_sdk_sender HOST:PORT
// It logs kSdkSenderRows rows (tests/viewer/test_gui.cpp waits for that many): 3 static rows
// (points, box, image), 100 scalars, 5 text logs and 1 static series style.
#include <rerun.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: viewer_sdk_sender HOST:PORT\n");
        return 2;
    }
    const auto rec = rerun::RecordingStream("viewer_gui_test");
    rec.connect_tcp(argv[1]).exit_on_failure();

    // Big pure-blue points in the 3D view.
    std::vector<rerun::Position3D> points;
    for (int i = -3; i <= 3; ++i)
        for (int j = -3; j <= 3; ++j)
            points.push_back({float(i) * 0.2f, float(j) * 0.2f, 0.0f});
    rec.log_static(
        "world/points",
        rerun::Points3D(points).with_colors({rerun::Color(0, 0, 255)}).with_radii({-10.0f}));
    rec.log_static("world/box", rerun::Boxes3D::from_centers_and_half_sizes({{2.0f, 0.0f, 0.5f}},
                                                                            {{0.5f, 0.5f, 0.5f}})
                                    .with_colors({rerun::Color(255, 0, 255)})
                                    .with_radii({-3.0f}));
    // A solid yellow image.
    std::vector<uint8_t> pixels(64 * 48 * 3);
    for (size_t i = 0; i < pixels.size(); i += 3) {
        pixels[i] = 255;
        pixels[i + 1] = 255;
        pixels[i + 2] = 0;
    }
    rec.log_static("camera/image", rerun::Image::from_rgb24(pixels, {64, 48}));
    for (int t = 0; t < 100; ++t) {
        rec.set_time_sequence("frame", t);
        rec.log("metrics/value", rerun::Scalars({std::sin(t * 0.1)}));
        if (t % 20 == 0) {
            rec.log("logs", rerun::TextLog("step " + std::to_string(t))
                                .with_level(rerun::TextLogLevel::Warning)
                                .with_color(rerun::Color(255, 64, 160)));
        }
    }
    rec.log_static("metrics/value", rerun::SeriesLines().with_colors({rerun::Color(0, 255, 255)}));
    rec.flush_blocking(5.0f);
    return 0;
}
