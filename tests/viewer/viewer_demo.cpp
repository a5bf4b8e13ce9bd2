// Test-only program: opens the viewer on synthetic data and/or .rrd files.
//   viewer_demo [--demo] [--pixel-test] [--points N] [--series N] [--listen PORT (0: a free one;
//               the address is printed: "viewer_demo: listening on 127.0.0.1:P")]
//               [--memory-limit SIZE] [--screenshot-to OUT.png] [--screenshot-after S]
//               [--window-size WxH] [FILES...]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/memory_limit.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "rerun/ingest/tcp_server.hpp"
#include "rerun/viewer/viewer_app.hpp"
#include "synthetic.hpp"

int main(int argc, char** argv) {
    using namespace rerun;
    viewer::ViewerOptions opts;
    opts.settings_path.clear();
    bool demo = false, pixel = false;
    size_t points = 0, series = 0;
    int port = -1;
    uint64_t memory_limit = 0;  // none, unless --memory-limit
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "missing value after %s\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--demo")
            demo = true;
        else if (a == "--pixel-test")
            pixel = true;
        else if (a == "--points")
            points = std::stoull(next());
        else if (a == "--series")
            series = std::stoull(next());
        else if (a == "--memory-limit") {
            std::string error;
            const auto limit = ingest::parse_memory_limit(next(), &error);
            if (!limit) {
                std::fprintf(stderr, "--memory-limit: %s\n", error.c_str());
                return 2;
            }
            memory_limit = *limit;
        } else if (a == "--listen")
            port = std::stoi(next());
        else if (a == "--screenshot-to")
            opts.screenshot_to = next();
        else if (a == "--screenshot-after")
            opts.screenshot_after_s = std::stod(next());
        else if (a == "--benchmark-frames")
            opts.benchmark_frames = std::stoi(next());
        else if (a == "--benchmark-orbit")
            opts.benchmark_orbit = true;
        else if (a == "--settings")
            opts.settings_path = next();
        else if (a == "--window-size") {
            const std::string v = next();
            if (std::sscanf(v.c_str(), "%dx%d", &opts.window_width, &opts.window_height) != 2) {
                std::fprintf(stderr, "bad --window-size %s\n", v.c_str());
                return 2;
            }
        } else {
            files.push_back(a);
        }
    }
    ingest::StoreHub hub(ingest::HubOptions{memory_limit});
    viewer::install_viewer_hooks(hub);
    if (demo) viewer::testing::fill_demo_recording(hub, "demo-recording", "viewer_demo");
    if (pixel) viewer::testing::fill_pixel_test_recording(hub, "pixel-recording");
    if (points) viewer::testing::fill_big_points(hub, "points-recording", points);
    if (series) viewer::testing::fill_big_series(hub, "series-recording", series);
    std::unique_ptr<ingest::TcpServer> server;
    if (port >= 0) {
        ingest::ServerOptions so;
        so.port = uint16_t(port);
        server = std::make_unique<ingest::TcpServer>(hub, so);
        std::string error;
        if (!server->start(&error)) {
            std::fprintf(stderr, "cannot listen: %s\n", error.c_str());
            return 1;
        }
        opts.listen_address = server->bind_address() + ":" + std::to_string(server->port());
        std::printf("viewer_demo: listening on %s\n", opts.listen_address.c_str());
        std::fflush(stdout);
    }
    ingest::FileLoader loader(hub);
    for (const auto& f : files)
        loader.open(f);
    return viewer::run_viewer(opts, {hub, server.get(), &loader});
}
