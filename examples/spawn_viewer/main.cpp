// Starts a viewer (or reuses the one on the port) and logs a spiral, a box and a text log.
// Usage: spawn_viewer [port]
#include <cstdlib>
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

int main(int argc, char** argv) {
    const auto rec = rerun::RecordingStream("rerun_example_spawn_viewer");
    rerun::SpawnOptions options;
    if (argc > 1) options.port = uint16_t(std::atoi(argv[1]));
    rec.spawn(options).exit_on_failure();

    std::vector<rerun::Position3D> points;
    std::vector<rerun::Color> colors;
    rerun::demo::color_spiral(200, 2.f, 0.02f, 0.f, 0.05f, points, colors);
    rec.log_static("world", rerun::ViewCoordinates::RIGHT_HAND_Z_UP);
    rec.log("world/spiral", rerun::Points3D(points).with_colors(colors).with_radii({0.05f}));
    rec.log("world/box", rerun::Boxes3D::from_half_sizes({{1.f, 1.f, 1.f}})
                             .with_colors({rerun::Color(255, 128, 0)}));
    rec.log("log", rerun::TextLog("spawned and logged").with_level(rerun::TextLogLevel::Info));
}
