// A clock: hour, minute and second hands as arrows, on a `sim_time` timeline.
// Usage: clock [out.rrd] [steps]  (without a path: spawns the viewer)
#include <cmath>
#include <cstdlib>
#include <rerun.hpp>
#include <rerun/demo_utils.hpp>

int main(int argc, char** argv) {
    const auto rec = rerun::RecordingStream("rerun_example_clock");
    if (argc > 1) {
        rec.save(argv[1]).exit_on_failure();
    } else {
        rec.spawn().exit_on_failure();
    }
    const int steps = argc > 2 ? std::atoi(argv[2]) : 10000;
    const float length_s = 20.f, length_m = 10.f, length_h = 4.f;

    rec.log_static("world", rerun::ViewCoordinates::RIGHT_HAND_Y_UP);
    rec.log_static("world/frame", rerun::Boxes3D::from_half_sizes({{length_s, length_s, 1.f}}));

    auto hand = [&](const char* path, float fraction, float length, rerun::Color color,
                    float radius) {
        const float angle = fraction * rerun::demo::TAU;
        const rerun::Vec3D tip{length * std::sin(angle), length * std::cos(angle), 0.f};
        rec.log(
            std::string("world/") + path,
            rerun::Points3D({rerun::Position3D(tip)}).with_colors({color}).with_radii({radius}));
        rec.log(
            std::string("world/") + path + "_hand",
            rerun::Arrows3D::from_vectors({tip}).with_colors({color}).with_radii({radius * 0.5f}));
    };
    for (int step = 0; step < steps; ++step) {
        const double t_secs = step;
        rec.set_time_duration_secs("sim_time", t_secs);
        hand("seconds", float(std::fmod(t_secs, 60.0) / 60.0), length_s, rerun::Color(255, 80, 80),
             0.4f);
        hand("minutes", float(std::fmod(t_secs / 60.0, 60.0) / 60.0), length_m,
             rerun::Color(80, 255, 80), 0.6f);
        hand("hours", float(std::fmod(t_secs / 3600.0, 12.0) / 12.0), length_h,
             rerun::Color(80, 80, 255), 0.8f);
    }
}
