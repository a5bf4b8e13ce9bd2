// The demo scene of scripts/run.sh: a rainbow spiral of 3D points and two boxes moving over a
// `frame` timeline, a camera image, two time series, and text logs at every level.
// Usage: demo_scene [out.rrd]   (without a path: spawns the viewer and streams to it)
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

int main(int argc, char** argv) {
    const auto rec = rerun::RecordingStream("rerun_example_demo");
    if (argc > 1) {
        rec.save(argv[1]).exit_on_failure();
    } else {
        rec.spawn().exit_on_failure();
    }
    rec.log_static(
        "readme",
        rerun::TextDocument(
            "# Demo\nPoints, boxes, an image, time series and logs over the `frame` timeline.")
            .with_media_type(rerun::MediaType::markdown()));
    const int frames = 200;
    for (int frame = 0; frame < frames; ++frame) {
        rec.set_time_sequence("frame", frame);
        const float t = float(frame) / float(frames);

        std::vector<rerun::Position3D> points;
        std::vector<rerun::Color> colors;
        rerun::demo::color_spiral(400, 3.0f, 0.02f, t * rerun::demo::TAU, 0.02f, points, colors);
        rec.log("world/spiral", rerun::Points3D(points).with_colors(colors).with_radii({0.08f}));
        rec.log("world/boxes",
                rerun::Boxes3D::from_centers_and_half_sizes(
                    {{4.0f * std::cos(t * rerun::demo::TAU), 4.0f * std::sin(t * rerun::demo::TAU),
                      1.0f},
                     {0.0f, 0.0f, 9.0f}},
                    {{0.5f, 0.5f, 0.5f}, {1.0f, 1.0f, 0.2f}})
                    .with_colors({rerun::Color(255, 170, 60), rerun::Color(90, 200, 120)}));

        rec.log("metrics/sin", rerun::Scalars({std::sin(double(frame) * 0.1)}));
        rec.log("metrics/cos", rerun::Scalars({0.5 * std::cos(double(frame) * 0.05)}));

        if (frame % 10 == 0) {
            // A 64x48 gradient whose colour shifts with time.
            const uint32_t w = 64, h = 48;
            std::vector<uint8_t> rgb(w * h * 3);
            for (uint32_t y = 0; y < h; ++y) {
                for (uint32_t x = 0; x < w; ++x) {
                    uint8_t* px = &rgb[(y * w + x) * 3];
                    px[0] = uint8_t(255 * x / w);
                    px[1] = uint8_t(255 * y / h);
                    px[2] = uint8_t(255 * t);
                }
            }
            rec.log("camera/image", rerun::Image::from_rgb24(rgb, {w, h}));
        }
        if (frame % 25 == 0) {
            static const char* levels[] = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"};
            const char* level = levels[(frame / 25) % 6];
            rec.log("logs",
                    rerun::TextLog("frame " + std::to_string(frame) + ": all systems nominal")
                        .with_level(rerun::TextLogLevel(level)));
        }
    }
    return 0;
}
