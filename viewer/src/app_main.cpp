// run_viewer(): the window, ImGui on OpenGL 3.3 core, the frame loop and its idle behaviour, the
// fixed panel layout and --screenshot-to.
//
// Idle: after any input or new data the loop draws a few frames (ImGui needs one or two to
// settle), then sleeps in glfwWaitEventsTimeout. The ingest threads wake it through the hub's
// change callback (glfwPostEmptyEvent). Playback, loading files and views that ask for more
// frames keep it drawing.
#include "gl_api.hpp"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>
#include <stb_image_write.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app_state.hpp"
#include "panels.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "rerun/viewer/viewer_app.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

// Rows ever inserted into the data stores (blueprint stores excluded): --screenshot-when-rows.
uint64_t data_rows_received(const ingest::StoreHub& hub) {
    uint64_t rows = 0;
    for (const auto& store : hub.stores()) {
        if (store->id().kind == core::StoreKind::Recording) rows += store->stats().rows_total;
    }
    return rows;
}

std::atomic<int> g_input_events{0};
// SIGINT/SIGTERM close the window cleanly (settings saved); the idle wait polls this flag.
volatile std::sig_atomic_t g_signalled = 0;
extern "C" void on_quit_signal(int) {
    g_signalled = 1;
}
// wake_viewer() may run on ingest threads while the window closes: the mutex orders them.
std::atomic<bool> g_window_open{false};
std::mutex g_wake_mutex;
ViewerState* g_state = nullptr;  // for GLFW callbacks (one window per process)

void on_input() {
    g_input_events.fetch_add(1, std::memory_order_relaxed);
}

void cursor_pos_cb(GLFWwindow*, double, double) {
    on_input();
}
void mouse_button_cb(GLFWwindow*, int, int, int) {
    on_input();
}
void scroll_cb(GLFWwindow*, double, double) {
    on_input();
}
void key_cb(GLFWwindow*, int, int, int, int) {
    on_input();
}
void char_cb(GLFWwindow*, unsigned int) {
    on_input();
}
void focus_cb(GLFWwindow*, int) {
    on_input();
}
void enter_cb(GLFWwindow*, int) {
    on_input();
}
void size_cb(GLFWwindow*, int, int) {
    on_input();
}
void drop_cb(GLFWwindow*, int count, const char** paths) {
    if (g_state) {
        for (int i = 0; i < count; ++i)
            g_state->open_file(paths[i]);
    }
    on_input();
}

// ---- window geometry and recent files in the ImGui .ini ----------------------------------------

struct SavedWindow {
    int x = -1, y = -1, w = 0, h = 0;
    std::vector<std::string> recent;
};
SavedWindow g_saved;

void* settings_open(ImGuiContext*, ImGuiSettingsHandler*, const char* name) {
    return std::strcmp(name, "Main") == 0 ? &g_saved : nullptr;
}
void settings_read_line(ImGuiContext*, ImGuiSettingsHandler*, void*, const char* line) {
    int x, y, w, h;
    if (std::sscanf(line, "Window=%d,%d,%d,%d", &x, &y, &w, &h) == 4) {
        g_saved.x = x, g_saved.y = y, g_saved.w = w, g_saved.h = h;
    } else if (std::strncmp(line, "Recent=", 7) == 0 && line[7] != '\0') {
        g_saved.recent.emplace_back(line + 7);
    }
}
void settings_write_all(ImGuiContext*, ImGuiSettingsHandler* handler, ImGuiTextBuffer* buf) {
    buf->appendf("[%s][Main]\n", handler->TypeName);
    if (g_saved.w > 0)
        buf->appendf("Window=%d,%d,%d,%d\n", g_saved.x, g_saved.y, g_saved.w, g_saved.h);
    if (g_state) {
        for (const auto& r : g_state->recent_files)
            buf->appendf("Recent=%s\n", r.c_str());
    }
    buf->append("\n");
}

void register_settings_handler() {
    ImGuiSettingsHandler handler;
    handler.TypeName = "RerunViewer";
    handler.TypeHash = ImHashStr("RerunViewer");
    handler.ReadOpenFn = settings_open;
    handler.ReadLineFn = settings_read_line;
    handler.WriteAllFn = settings_write_all;
    ImGui::GetCurrentContext()->SettingsHandlers.push_back(handler);
}

bool write_screenshot(const std::string& path, int width, int height) {
    std::vector<uint8_t> pixels(size_t(width) * size_t(height) * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // GL rows go bottom-up; PNG rows top-down.
    std::vector<uint8_t> flipped(pixels.size());
    const size_t stride = size_t(width) * 4;
    for (int y = 0; y < height; ++y)
        std::memcpy(&flipped[size_t(y) * stride], &pixels[size_t(height - 1 - y) * stride], stride);
    for (size_t i = 3; i < flipped.size(); i += 4)
        flipped[i] = 255;
    return stbi_write_png(path.c_str(), width, height, 4, flipped.data(), int(stride)) != 0;
}

// The fixed layout: menu bar, left column (recordings over entities), right column (selection),
// time panel and status bar across the bottom, views in the middle.
void draw_frame(ViewerState& state) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float s = state.scale;
    draw_menu_bar(state);
    const float menu_h = ImGui::GetFrameHeight();
    const float status_h = ImGui::GetFrameHeight() + 4 * s;
    const bool have_data = !state.recordings.empty();
    const float time_h = have_data ? std::min(190.0f * s, vp->Size.y * 0.3f) : 0.0f;
    const float left_w = std::min(300.0f * s, vp->Size.x * 0.25f);
    const float right_w = std::min(330.0f * s, vp->Size.x * 0.25f);
    const float top = vp->Pos.y + menu_h;
    const float bottom = vp->Pos.y + vp->Size.y - status_h;
    const float mid_h = bottom - time_h - top;
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

    // Left column: recordings, the blueprint tree, the entity tree.
    const float rec_h = std::max(mid_h * 0.25f, 110.0f * s);
    const float bp_h = std::max(mid_h * 0.35f, 120.0f * s);
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, top));
    ImGui::SetNextWindowSize(ImVec2(left_w, rec_h));
    if (ImGui::Begin("Recordings###panel.recordings", nullptr, fixed)) draw_recordings_panel(state);
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, top + rec_h));
    ImGui::SetNextWindowSize(ImVec2(left_w, bp_h));
    if (ImGui::Begin("Blueprint###panel.blueprint", nullptr, fixed)) draw_blueprint_panel(state);
    ImGui::End();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, top + rec_h + bp_h));
    ImGui::SetNextWindowSize(ImVec2(left_w, mid_h - rec_h - bp_h));
    if (ImGui::Begin("Entities###panel.entities", nullptr, fixed)) draw_entities_panel(state);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - right_w, top));
    ImGui::SetNextWindowSize(ImVec2(right_w, mid_h));
    if (ImGui::Begin("Selection###panel.selection", nullptr, fixed)) draw_selection_panel(state);
    ImGui::End();

    const Rect center{vp->Pos.x + left_w, top, vp->Size.x - left_w - right_w, mid_h};
    if (have_data) {
        draw_views(state, center);
        ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, bottom - time_h));
        ImGui::SetNextWindowSize(ImVec2(vp->Size.x, time_h));
        if (ImGui::Begin("Time###panel.time", nullptr, fixed)) draw_time_panel(state);
        ImGui::End();
    } else {
        ImGui::SetNextWindowPos(ImVec2(center.x, center.y));
        ImGui::SetNextWindowSize(ImVec2(center.w, center.h));
        if (ImGui::Begin("Welcome###panel.welcome", nullptr, fixed | ImGuiWindowFlags_NoTitleBar)) {
            if (state.options.hide_welcome_screen)
                ImGui::TextDisabled("Waiting for data...");
            else
                draw_welcome(state);
        }
        ImGui::End();
    }

    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, bottom));
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, status_h));
    if (ImGui::Begin("##status", nullptr,
                     fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar))
        draw_status_bar(state);
    ImGui::End();

    if (state.show_file_dialog) draw_file_dialog(state);
    if (state.blueprint_dialog != ViewerState::BlueprintDialog::None)
        draw_blueprint_file_dialog(state);
}

void glfw_error(int code, const char* text) {
    std::fprintf(stderr, "rerun: GLFW error %d: %s\n", code, text);
}

}  // namespace

void wake_viewer() {
    if (!g_window_open.load(std::memory_order_acquire)) return;
    std::lock_guard lock(g_wake_mutex);
    if (g_window_open.load(std::memory_order_relaxed)) glfwPostEmptyEvent();
}

void install_viewer_hooks(ingest::StoreHub& hub) {
    hub.set_change_callback(&wake_viewer);
    // Log lines of the ingest library go to the UI log (and still to stderr).
    ingest::set_log_sink([](ingest::LogLevel level, std::string_view text) {
        std::fprintf(stderr, "rerun: %.*s\n", int(text.size()), text.data());
        ui_log().add(int(level), std::string(text));
    });
}

std::string default_settings_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
        return std::string(xdg) + "/rerun/viewer.ini";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::string(home) + "/.config/rerun/viewer.ini";
    }
    return {};
}

int run_viewer(const ViewerOptions& options, ViewerSources sources) {
    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "rerun: cannot initialise GLFW (no display?)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);

    auto state = std::make_unique<ViewerState>(options, sources.hub);
    state->server = sources.server;
    state->files = sources.files;
    g_state = state.get();

    // ImGui first (without a window) so the .ini with the window geometry can be read.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    const std::string ini = options.screenshot_to.empty() ? options.settings_path : std::string();
    io.IniFilename = nullptr;
    register_settings_handler();
    if (!ini.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(ini).parent_path(), ec);
        ImGui::LoadIniSettingsFromDisk(ini.c_str());
        state->recent_files = g_saved.recent;
    }
    int width = options.window_width, height = options.window_height;
    if (options.screenshot_to.empty() && g_saved.w > 200 && g_saved.h > 150) {
        width = g_saved.w;
        height = g_saved.h;
    }
    if (!options.screenshot_to.empty()) glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);

    GLFWwindow* window = glfwCreateWindow(width, height, options.title.c_str(), nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "rerun: cannot create a window with OpenGL 3.3 core\n");
        ImGui::DestroyContext();
        glfwTerminate();
        g_state = nullptr;
        return 1;
    }
    if (options.screenshot_to.empty() && g_saved.w > 0 && g_saved.x >= 0 && g_saved.y >= 0) {
        glfwSetWindowPos(window, g_saved.x, g_saved.y);
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(options.benchmark_frames > 0 ? 0 : 1);

    // Our callbacks first: ImGui's backend chains to them.
    glfwSetCursorPosCallback(window, cursor_pos_cb);
    glfwSetMouseButtonCallback(window, mouse_button_cb);
    glfwSetScrollCallback(window, scroll_cb);
    glfwSetKeyCallback(window, key_cb);
    glfwSetCharCallback(window, char_cb);
    glfwSetWindowFocusCallback(window, focus_cb);
    glfwSetCursorEnterCallback(window, enter_cb);
    glfwSetFramebufferSizeCallback(window, size_cb);
    glfwSetDropCallback(window, drop_cb);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    float xscale = 1.0f, yscale = 1.0f;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    state->scale = std::clamp(std::max(xscale, yscale) * options.ui_scale, 0.5f, 4.0f);
    state->fonts = setup_fonts_and_style(state->scale);
    state->renderer = make_gl_renderer();

    g_window_open.store(true, std::memory_order_release);

    using Clock = std::chrono::steady_clock;
    auto last_frame = Clock::now();
    const auto started = Clock::now();
    std::optional<Clock::time_point> loaded_at;
    int frames_left = 3;
    int screenshot_frames = -1;
    int exit_code = 0;
    uint64_t seen_generation = ~uint64_t(0);
    std::vector<double> frame_ms;

    struct sigaction quit_action {};
    quit_action.sa_handler = on_quit_signal;
    sigemptyset(&quit_action.sa_mask);
    struct sigaction old_int {
    }, old_term{};
    sigaction(SIGINT, &quit_action, &old_int);
    sigaction(SIGTERM, &quit_action, &old_term);

    while (!glfwWindowShouldClose(window) && !state->quit && !g_signalled) {
        const bool loading = state->files && !state->files->idle();
        if (frames_left > 0 || !options.screenshot_to.empty() || options.benchmark_frames > 0) {
            glfwPollEvents();
        } else {
            // Waking twice a second to look at the signal flag costs nothing measurable; a frame
            // is drawn only when something happened.
            glfwWaitEventsTimeout(loading ? 0.1 : 0.5);
        }
        state->tick_blueprints();  // debounced saves (the idle wait wakes twice a second)
        state->note_loaded_files();
        bool activity = g_input_events.exchange(0, std::memory_order_relaxed) > 0;
        const uint64_t gen = sources.hub.generation();
        if (gen != seen_generation) {
            seen_generation = gen;
            activity = true;
        }
        if (state->time.playing || loading || state->request_redraw) activity = true;
        if (activity) frames_left = std::max(frames_left, 3);

        if (!options.screenshot_to.empty()) {
            frames_left = 1;
            if (!loading && !loaded_at &&
                data_rows_received(sources.hub) >= options.screenshot_min_rows) {
                loaded_at = Clock::now();
            }
            if (screenshot_frames < 0 && loaded_at &&
                std::chrono::duration<double>(Clock::now() - *loaded_at).count() >=
                    options.screenshot_after_s) {
                screenshot_frames = 6;  // let layouts, fonts and uploads settle
            }
            if (std::chrono::duration<double>(Clock::now() - started).count() > 600) {
                std::fprintf(stderr,
                             "rerun: screenshot: gave up waiting for the files (or for %llu rows; "
                             "%llu arrived)\n",
                             (unsigned long long)options.screenshot_min_rows,
                             (unsigned long long)data_rows_received(sources.hub));
                exit_code = 1;
                break;
            }
        }
        if (options.benchmark_frames > 0) frames_left = 1;
        if (frames_left <= 0) continue;
        --frames_left;

        const auto now = Clock::now();
        const double dt = std::chrono::duration<double>(now - last_frame).count();
        last_frame = now;
        state->request_redraw = false;
        state->refresh();
        state->time.advance(std::min(dt, 0.25));

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        draw_frame(*state);
        ImGui::Render();

        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, fb_w, fb_h);
        glClearColor(0.05f, 0.055f, 0.065f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

        if (screenshot_frames > 0 && --screenshot_frames == 0) {
            glFinish();
            if (write_screenshot(options.screenshot_to, fb_w, fb_h)) {
                std::fprintf(stderr, "rerun: screenshot written to %s (%dx%d)\n",
                             options.screenshot_to.c_str(), fb_w, fb_h);
            } else {
                std::fprintf(stderr, "rerun: cannot write %s\n", options.screenshot_to.c_str());
                exit_code = 1;
            }
            break;
        }
        glfwSwapBuffers(window);
        if (options.benchmark_frames > 0) {
            glFinish();
            frame_ms.push_back(
                std::chrono::duration<double, std::milli>(Clock::now() - now).count());
            if (int(frame_ms.size()) >= options.benchmark_frames + 3) {
                // The first frames build caches and upload buffers: reported apart.
                std::vector<double> steady(frame_ms.begin() + 3, frame_ms.end());
                std::sort(steady.begin(), steady.end());
                double sum = 0;
                for (double v : steady)
                    sum += v;
                std::fprintf(stderr,
                             "rerun: benchmark: first frame %.1f ms; %zu frames: mean %.2f ms, "
                             "median %.2f ms, max %.2f ms\n",
                             frame_ms[0], steady.size(), sum / double(steady.size()),
                             steady[steady.size() / 2], steady.back());
                break;
            }
        }
    }

    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    // Blueprints: apply what arrived since the last frame, then save every unsaved one.
    state->seen_generation = ~uint64_t(0);
    state->refresh();
    state->blueprints.save_all();
    state->tick_blueprints();
    if (!options.stats_json_path.empty() &&
        !write_blueprint_stats(state->blueprints, options.stats_json_path)) {
        std::fprintf(stderr, "rerun: cannot write %s\n", options.stats_json_path.c_str());
        exit_code = 1;
    }
    if (!ini.empty()) {
        glfwGetWindowPos(window, &g_saved.x, &g_saved.y);
        glfwGetWindowSize(window, &g_saved.w, &g_saved.h);
        ImGui::SaveIniSettingsToDisk(ini.c_str());
    }
    {
        std::lock_guard lock(g_wake_mutex);
        g_window_open.store(false, std::memory_order_release);
    }
    for (auto& [key, view] : state->views)
        view->release(*state->renderer);
    state->views.clear();
    state->renderer.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    g_state = nullptr;
    return exit_code;
}

}  // namespace rerun::viewer
