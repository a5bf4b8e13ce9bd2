// `rerun` with a window: the same endpoint, files and stores as --headless, shown by the viewer.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli.hpp"
#include "rerun/blueprint/persistence.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/rrd_writer.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "rerun/ingest/tcp_server.hpp"
#include "rerun/viewer/viewer_app.hpp"

namespace rerun::app {

namespace {

bool has_display() {
    const char* x11 = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    return (x11 && *x11) || (wayland && *wayland);
}

}  // namespace

int run_gui(const ViewerOptions& options) {
    if (!has_display()) {
        std::fputs(
            "rerun: no display to open a window on (DISPLAY and WAYLAND_DISPLAY are not set).\n"
            "       On a machine without a screen, run 'xvfb-run -a rerun ...' for a virtual one,\n"
            "       or 'rerun --headless' to receive and store data without a window.\n",
            stderr);
        return 1;
    }
    ::signal(SIGPIPE, SIG_IGN);
    ingest::StoreHub hub(ingest::HubOptions{effective_memory_limit(options)});
    viewer::install_viewer_hooks(hub);  // before any source starts
    if (!options.save_path.empty()) {
        std::string error;
        auto writer = ingest::RrdWriter::create(options.save_path, &error);
        if (!writer) {
            ingest::log_error(error);
            return 1;
        }
        hub.set_writer(writer);
    }

    std::optional<ingest::TcpServer> server;
    std::string listen_address;
    if (!options.no_listen) {
        ingest::ServerOptions so;
        so.bind_address = options.bind;
        so.port = options.port;
        so.io_threads = options.io_threads;
        so.max_connections = options.max_connections;
        so.evict_idle_after = options.evict_idle_after;
        so.handshake_timeout = options.handshake_timeout;
        so.idle_timeout = options.idle_timeout;
        so.frame_timeout = options.frame_timeout;
        if (options.max_frame_bytes != 0) so.max_frame_bytes = options.max_frame_bytes;
        if (options.max_inflight_bytes) so.max_inflight_bytes = *options.max_inflight_bytes;
        server.emplace(hub, so);
        std::string error;
        if (!server->start(&error)) {
            ingest::log_error(
                error +
                " (another program holds the port: 'rerun --new' opens a window on a free port, "
                "'--port N' picks one)");
            return 1;
        }
        listen_address = options.bind + ":" + std::to_string(server->port());
        std::printf("rerun: listening on %s\n", listen_address.c_str());
        std::fflush(stdout);
        if (options.bind == "0.0.0.0" || options.bind == "::") {
            ingest::log_warn(
                "listening on all interfaces: anyone on the network can send data to this viewer");
        }
    }

    ingest::FileLoaderOptions file_options;
    file_options.follow = options.follow;
    ingest::FileLoader files(hub, file_options);
    for (const auto& input : options.inputs)
        files.open(input);

    viewer::ViewerOptions vo;
    vo.window_width = options.window_width;
    vo.window_height = options.window_height;
    vo.settings_path = options.screenshot_to.empty() ? viewer::default_settings_path() : "";
    vo.screenshot_to = options.screenshot_to;
    vo.screenshot_after_s = options.screenshot_after;
    vo.screenshot_min_rows = options.screenshot_min_rows;
    vo.benchmark_frames = options.benchmark_frames;
    vo.listen_address = listen_address;
    vo.hide_welcome_screen = options.hide_welcome_screen;
    vo.blueprint_dir = blueprint::default_blueprint_dir().string();
    vo.stats_json_path = options.stats_json_path;
    return viewer::run_viewer(vo, {hub, server ? &*server : nullptr, &files});
}

}  // namespace rerun::app
