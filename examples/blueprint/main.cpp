// Sends a layout (blueprint) with the data: a 3D view of /world beside a time series of /metrics
// above the text log. The viewer shows it and keeps it for this application id: the next run
// (and the next viewer) opens with the same layout, also after the user edits it.
// Usage: blueprint [port]        (spawns the viewer, or reuses the one on the port)
//        blueprint --save DIR    (writes DIR/data.rrd and DIR/layout.rbl: `rerun DIR/*`)
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>
#include <string>

namespace rrb = rerun::blueprint;

int main(int argc, char** argv) {
    const auto layout = rrb::Blueprint(
        rrb::Horizontal(rrb::Spatial3DView("/world").with_name("World"),
                        rrb::Vertical(rrb::TimeSeriesView("/metrics").with_name("Metrics"),
                                      rrb::TextLogView("/logs").with_name("Log"))
                            .with_row_shares({2.0f, 1.0f})));

    const auto rec = rerun::RecordingStream("rerun_example_blueprint");
    if (argc > 2 && std::strcmp(argv[1], "--save") == 0) {
        const std::string dir = argv[2];
        layout.save("rerun_example_blueprint", dir + "/layout.rbl").exit_on_failure();
        rec.save(dir + "/data.rrd").exit_on_failure();
    } else {
        rerun::SpawnOptions options;
        if (argc > 1) options.port = uint16_t(std::atoi(argv[1]));
        rec.spawn(options).exit_on_failure();
        // make_active: shown now; make_default: what "reset" returns to.
        rec.send_blueprint(layout, true, true).exit_on_failure();
    }

    std::vector<rerun::Position3D> points;
    std::vector<rerun::Color> colors;
    rerun::demo::color_spiral(200, 2.f, 0.02f, 0.f, 0.05f, points, colors);
    rec.log_static("world/spiral", rerun::Points3D(points).with_colors(colors).with_radii({0.05f}));
    for (int step = 0; step < 100; ++step) {
        rec.set_time_sequence("step", step);
        rec.log("metrics/sin", rerun::Scalars({std::sin(step * 0.1)}));
        rec.log("metrics/cos", rerun::Scalars({std::cos(step * 0.1)}));
        if (step % 20 == 0) rec.log("logs", rerun::TextLog("step " + std::to_string(step)));
    }
}
