// The viewer's one entry point. app/ owns the ingest side (StoreHub, TcpServer, FileLoader) and
// hands it in; the viewer only reads stores and shows what the sources are doing.
//
//   rerun::ingest::StoreHub hub({.memory_limit = limit});
//   rerun::viewer::install_viewer_hooks(hub);       // before any source starts
//   rerun::ingest::TcpServer server(hub, {...});   server.start(&error);
//   rerun::ingest::FileLoader files(hub);          files.open(path) ...
//   rerun::viewer::ViewerOptions vo;  vo.window_width = 1600; ...
//   return rerun::viewer::run_viewer(vo, {.hub = hub, .server = &server, .files = &files});
//
// install_viewer_hooks() sets the hub's change callback (wakes the idle window) and the ingest
// log sink (lines also shown in the viewer). Neither is synchronised with running sources, so it
// must be called before they start. Without it the viewer still works, but new data waits for the
// idle timeout (5 s) to show.
#pragma once

#include <cstdint>
#include <string>

namespace rerun::ingest {
class StoreHub;
class TcpServer;
class FileLoader;
}  // namespace rerun::ingest

namespace rerun::viewer {

struct ViewerOptions {
    std::string title = "Rerun Viewer";
    int window_width = 1600;
    int window_height = 900;
    // Remembered window size/position and UI preferences (ImGui .ini). Empty: none saved.
    // Default used by app/: $XDG_CONFIG_HOME/rerun/viewer.ini (see default_settings_path()).
    std::string settings_path;

    // --screenshot-to: render, write a PNG of the whole window, exit. The viewer waits until the
    // file loader is idle, then `screenshot_after_s` seconds (for live data), then renders a few
    // frames so layouts settle, saves and returns 0 (1 when the PNG cannot be written).
    // With screenshot_min_rows > 0 it also waits until the data stores (blueprints excluded)
    // have received that many rows in total, so a test can shoot once a sender's data is in.
    // Either wait gives up after 10 minutes (exit code 1, no PNG).
    std::string screenshot_to;
    double screenshot_after_s = 0.0;
    uint64_t screenshot_min_rows = 0;

    // Benchmark: draw this many frames back to back (no vsync, no idling), print the frame
    // times (wall clock, glFinish included) to stderr and exit. 0: off.
    int benchmark_frames = 0;
    // Benchmark: turn every 3D camera a little each frame, so each frame renders the scene.
    bool benchmark_orbit = false;

    // Shown in the status bar ("listening on 127.0.0.1:9876"); empty: not listening.
    std::string listen_address;
    // Multiplies the detected monitor content scale (1.0: as the system says).
    float ui_scale = 1.0f;
    // Starts on this timeline when a recording has it (e.g. "frame"); empty: the first one.
    std::string initial_timeline;
    // Until data arrives, a one-line "waiting for data" instead of the welcome screen
    // (--hide-welcome-screen; SpawnOptions::hide_welcome_screen passes it).
    bool hide_welcome_screen = false;

    // Blueprints (layouts) per application id are restored from and saved to this folder; app/
    // passes blueprint::default_blueprint_dir() ($XDG_DATA_HOME/rerun/blueprints). Empty: the
    // default layouts, nothing restored or saved.
    std::string blueprint_dir;
    // On exit, a JSON summary of the active blueprint of every application id seen (its layout
    // as blueprint::describe() writes it, where it came from, where it is saved). Empty: none.
    std::string stats_json_path;
};

struct ViewerSources {
    ingest::StoreHub& hub;
    ingest::TcpServer* server = nullptr;  // status bar: senders, bytes received
    ingest::FileLoader* files = nullptr;  // progress bars; File > Open and drag and drop
};

// Before the sources start; see above. Thread-safe afterwards.
void install_viewer_hooks(ingest::StoreHub& hub);
// Wakes the viewer's frame loop from any thread; a no-op when no window is open.
void wake_viewer();

// Opens the window and runs until it is closed. Returns the process exit code (0 on success,
// 1 when no window or GL 3.3 context can be created, or a screenshot cannot be written).
int run_viewer(const ViewerOptions& options, ViewerSources sources);

// $XDG_CONFIG_HOME/rerun/viewer.ini, or ~/.config/rerun/viewer.ini; "" when neither is known.
std::string default_settings_path();

}  // namespace rerun::viewer
