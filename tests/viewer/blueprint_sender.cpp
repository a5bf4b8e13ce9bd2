// Test-only SDK program for the blueprint restart test: logs a small recording (3D points under
// /world, a scalar series under /metrics, text logs under /logs) for an application id, and with
// --blueprint also sends a layout built with the SDK's blueprint API (make_active).
//
//   blueprint_sender (HOST:PORT | --save FILE.rrd) APP_ID [--blueprint] [--save-rbl FILE.rbl]
#include <rerun.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace rrb = rerun::blueprint;

// The layout the test expects back after a restart (tests/viewer/test_blueprint_gui.cpp).
rrb::Blueprint test_layout() {
    return rrb::Blueprint(
        rrb::Horizontal(
            rrb::Spatial3DView("/world").with_name("World").with_background(
                rerun::Color(32, 64, 192)),
            rrb::Vertical(rrb::TimeSeriesView("/metrics", {}, "Metrics"), rrb::TextLogView("/logs"))
                .with_row_shares({2.0f, 1.0f}))
            .with_column_shares({2.0f, 1.0f}));
}

int main(int argc, char** argv) {
    std::string target, save_path, rbl_path, app_id;
    bool blueprint = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--blueprint") {
            blueprint = true;
        } else if (a == "--save" && i + 1 < argc) {
            save_path = argv[++i];
        } else if (a == "--save-rbl" && i + 1 < argc) {
            rbl_path = argv[++i];
        } else if (target.empty() && save_path.empty() && a.find(':') != std::string::npos) {
            target = a;
        } else if (app_id.empty()) {
            app_id = a;
        } else {
            std::fprintf(stderr, "blueprint_sender: unexpected argument %s\n", a.c_str());
            return 2;
        }
    }
    if (app_id.empty() || (target.empty() && save_path.empty() && rbl_path.empty())) {
        std::fprintf(stderr,
                     "usage: blueprint_sender (HOST:PORT | --save FILE.rrd) APP_ID [--blueprint] "
                     "[--save-rbl FILE.rbl]\n");
        return 2;
    }
    if (!rbl_path.empty()) {
        test_layout().save(app_id, rbl_path).exit_on_failure();
        if (target.empty() && save_path.empty()) return 0;
    }
    const auto rec = rerun::RecordingStream(app_id);
    if (!save_path.empty()) {
        rec.save(save_path).exit_on_failure();
    } else {
        rec.connect_tcp(target).exit_on_failure();
    }
    std::vector<rerun::Position3D> points;
    for (int i = -4; i <= 4; ++i)
        for (int j = -4; j <= 4; ++j)
            points.push_back({float(i) * 0.25f, float(j) * 0.25f, float(i * j) * 0.02f});
    rec.log_static(
        "world/points",
        rerun::Points3D(points).with_colors({rerun::Color(255, 200, 0)}).with_radii({-4.0f}));
    for (int t = 0; t < 100; ++t) {
        rec.set_time_sequence("frame", t);
        rec.log("metrics/value", rerun::Scalars({std::sin(t * 0.1)}));
        if (t % 25 == 0) rec.log("logs", rerun::TextLog("step " + std::to_string(t)));
    }
    if (blueprint) rec.send_blueprint(test_layout(), true, false).exit_on_failure();
    if (rec.flush_blocking(10.0f).is_err()) return 1;
    return 0;
}
