// The user workflow of `rerun rrd merge`: one process logs spheres, another cubes, each with the
// Recording ID my_shared_recording, each saving its own file.
//   workflow_logger spheres|cubes OUT.rrd
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <rerun.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: workflow_logger spheres|cubes OUT.rrd\n");
        return 2;
    }
    const std::string kind = argv[1];
    const auto rec =
        rerun::RecordingStream("rerun_example_shared_recording", "my_shared_recording");
    rec.save(argv[2]).exit_on_failure();
    for (int frame = 0; frame < 10; ++frame) {
        rec.set_time_sequence("frame", frame);
        const float t = float(frame) * 0.3f;
        if (kind == "spheres") {
            std::vector<rerun::Position3D> points;
            for (int i = 0; i < 8; ++i) {
                const float a = float(i) * 0.785f + t;
                points.push_back({2.0f * std::cos(a), 2.0f * std::sin(a), 0.5f});
            }
            rec.log("spheres", rerun::Points3D(points).with_radii({0.3f}).with_colors(
                                   rerun::Color(255, 140, 0)));
        } else {
            rec.log("cubes", rerun::Boxes3D::from_centers_and_half_sizes(
                                 {{0.0f, 0.0f, t}, {3.0f, 0.0f, 0.0f}},
                                 {{0.5f, 0.5f, 0.5f}, {0.4f, 0.4f, 0.4f}})
                                 .with_colors(rerun::Color(60, 140, 255)));
        }
    }
    return 0;
}
