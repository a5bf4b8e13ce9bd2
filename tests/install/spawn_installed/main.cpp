// Spawns the viewer that goes with the installed SDK (no executable_path: the SDK's own lookup),
// headless, writing its summary to STATS_JSON when it exits, and logs ROWS scalars to it.
// Usage: spawn_installed PORT STATS_JSON ROWS
#include <cstdio>
#include <cstdlib>
#include <string>

#include <rerun.hpp>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: spawn_installed PORT STATS_JSON ROWS\n");
        return 2;
    }
    const int port = std::atoi(argv[1]);
    const int rows = std::atoi(argv[3]);
    if (port <= 0 || port > 65535 || rows <= 0) {
        std::fprintf(stderr, "spawn_installed: bad PORT '%s' or ROWS '%s'\n", argv[1], argv[3]);
        return 2;
    }
    const auto rec = rerun::RecordingStream("rerun_example_spawn_installed");
    rerun::SpawnOptions options;
    options.port = uint16_t(port);
    options.memory_limit = "1GB";
    options.extra_args = {"--headless", "--stats-json", argv[2]};
    options.startup_timeout_sec = 60.f;  // a loaded machine; bounds a wait, asserts no duration
    rec.spawn(options).exit_on_failure();

    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("step", i);
        rec.log("installed/series", rerun::Scalars({double(i)}));
    }
    rec.flush_blocking(60.f).exit_on_failure();
    std::printf("spawn_installed: logged %d rows to the viewer on port %d\n", rows, port);
    return 0;
}
