// Logs a grid of colored points. Usage: minimal [out.rrd]  (without a path: spawns the viewer)
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

int main(int argc, char** argv) {
    const auto rec = rerun::RecordingStream("rerun_example_minimal");
    if (argc > 1) {
        rec.save(argv[1]).exit_on_failure();
    } else {
        rec.spawn().exit_on_failure();
    }

    const auto points = rerun::demo::grid3d<rerun::Position3D, float>(-10.f, 10.f, 10);
    const auto colors = rerun::demo::grid3d<rerun::Color, uint8_t>(0, 255, 10);
    rec.log("my_points", rerun::Points3D(points).with_colors(colors).with_radii({0.5f}));
}
