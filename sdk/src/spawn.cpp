// spawn(): find the viewer, reuse ours if it already listens, else start it detached and connect.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "internal.hpp"

// The viewer that goes with the SDK this program was built against, defined by a source that the
// rerun_sdk CMake target compiles into each program linking it (cmake/rerun_sdk_viewer_path.cmake):
// <build>/rerun in this repository's build, <prefix>/bin/rerun through the installed package.
// Weak and undefined (null) in a program linked without CMake: spawn() then looks on PATH only.
extern "C" __attribute__((weak)) const char* rerun_sdk_viewer_path();

namespace rerun {

namespace {

bool is_executable(const std::string& path) {
    struct stat st {};
    return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// The viewer built or installed with this SDK (empty when unknown).
std::string bundled_viewer() {
    const char* path = rerun_sdk_viewer_path ? rerun_sdk_viewer_path() : nullptr;
    return path ? std::string(path) : std::string();
}

// Explicit path, then the viewer built or installed with this SDK, then PATH.
Result<std::string> find_viewer(const SpawnOptions& options) {
    if (!options.executable_path.empty()) {
        std::string path(options.executable_path);
        if (is_executable(path)) return path;
        return Error(ErrorCode::ViewerNotFound,
                     "spawn: executable_path '" + path + "' is not an executable file");
    }
    const std::string name(options.executable_name.empty() ? "rerun" : options.executable_name);
    // Only when the default name is asked for: another name means another program.
    const std::string bundled = name == "rerun" ? bundled_viewer() : std::string();
    if (is_executable(bundled)) return bundled;
    if (name.find('/') != std::string::npos) {
        if (is_executable(name)) return name;
    } else if (const char* path = std::getenv("PATH")) {
        std::string_view rest(path);
        while (true) {
            const auto colon = rest.find(':');
            // Appended piecewise: `dir + "/" + name` trips GCC 12's -Wrestrict at -O3 (a false
            // positive, GCC bug 105329).
            std::string_view dir = rest.substr(0, colon);
            if (dir.empty()) dir = ".";
            std::string full;
            full.reserve(dir.size() + 1 + name.size());
            full.append(dir).append(1, '/').append(name);
            if (is_executable(full)) return full;
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    const std::string looked = bundled.empty() ? "" : "at " + bundled + " and ";
    return Error(ErrorCode::ViewerNotFound,
                 "spawn: cannot find the viewer '" + name + "' (looked " + looked +
                     "on PATH); install it beside the SDK, put it on PATH or set "
                     "SpawnOptions::executable_path");
}

// Where a spawned viewer's stdout and stderr go: $XDG_STATE_HOME/rerun/viewer.log (default
// ~/.local/state/rerun/viewer.log), appended to, the previous one kept as viewer.log.1 once it
// passes 1 MiB. Never the caller's own output: a viewer outlives its caller, and a caller whose
// output is piped (a test, `subprocess.run(capture_output=True)`) would otherwise wait for the
// viewer to exit. Empty when no folder can be made (the output is then discarded).
std::string viewer_log_path() {
    namespace fs = std::filesystem;
    fs::path dir;
    if (const char* state = std::getenv("XDG_STATE_HOME"); state && *state == '/')
        dir = fs::path(state) / "rerun";
    else if (const char* home = std::getenv("HOME"); home && *home)
        dir = fs::path(home) / ".local" / "state" / "rerun";
    else
        return {};
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return {};
    const fs::path log = dir / "viewer.log";
    if (fs::file_size(log, ec) > (uint64_t(1) << 20) && !ec)
        fs::rename(log, dir / "viewer.log.1", ec);
    return log.string();
}

// Starts `argv` detached (double fork, own session), its output appended to `log_path` (or
// discarded when empty). Returns its pid or an error.
Result<pid_t> start_detached(const std::vector<std::string>& args, const std::string& log_path) {
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
        return Error(ErrorCode::RecordingStreamSpawnFailure,
                     std::string("spawn: pipe: ") + std::strerror(errno));
    }
    const pid_t middle = ::fork();
    if (middle < 0) {
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        return Error(ErrorCode::RecordingStreamSpawnFailure,
                     std::string("spawn: fork: ") + std::strerror(errno));
    }
    if (middle == 0) {
        // Intermediate: new session, fork the viewer, report its pid, exit.
        ::close(pipe_fds[0]);
        ::setsid();
        const pid_t viewer = ::fork();
        if (viewer == 0) {
            // Only async-signal-safe calls between fork and exec.
            const int devnull = ::open("/dev/null", O_RDWR);
            if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
            int out = log_path.empty()
                          ? -1
                          : ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (out < 0) out = devnull;
            if (out >= 0) {
                ::dup2(out, STDOUT_FILENO);
                ::dup2(out, STDERR_FILENO);
            }
            ::signal(SIGPIPE, SIG_DFL);
            ::execv(argv[0], argv.data());
            const int err = errno;
            const ssize_t n = ::write(pipe_fds[1], &err, sizeof(err));
            (void)n;
            ::_exit(127);
        }
        const int64_t pid = viewer;
        const ssize_t n = ::write(pipe_fds[1], &pid, sizeof(pid));
        (void)n;
        ::_exit(viewer > 0 ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
    }
    uint8_t buf[16];
    size_t got = 0;
    while (got < sizeof(buf)) {
        const ssize_t n = ::read(pipe_fds[0], buf + got, sizeof(buf) - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += size_t(n);
    }
    ::close(pipe_fds[0]);
    if (got < sizeof(int64_t)) {
        return Error(ErrorCode::RecordingStreamSpawnFailure, "spawn: could not start the viewer");
    }
    int64_t pid;
    std::memcpy(&pid, buf, sizeof(pid));
    if (got >= sizeof(int64_t) + sizeof(int)) {
        int err;
        std::memcpy(&err, buf + sizeof(int64_t), sizeof(err));
        return Error(ErrorCode::RecordingStreamSpawnFailure,
                     "spawn: cannot execute '" + args[0] + "': " + std::strerror(err));
    }
    return pid_t(pid);
}

}  // namespace

Error spawn(const SpawnOptions& options) {
    const std::string host = "127.0.0.1";
    std::string why;
    switch (detail::probe_viewer(host, options.port, 2.0, &why)) {
        case detail::ProbeResult::Ours:
            return Error::ok();  // a viewer of ours already listens: reuse it
        case detail::ProbeResult::NotOurs:
        case detail::ProbeResult::Timeout:
            return Error(ErrorCode::PortInUse,
                         "spawn: port " + std::to_string(options.port) +
                             " is in use by something that is not a Rerun viewer (" + why +
                             "); choose another port in SpawnOptions");
        case detail::ProbeResult::Refused:
            break;
    }
    auto exe = find_viewer(options);
    if (exe.is_err()) return exe.error;
    std::vector<std::string> args{exe.value, "--port", std::to_string(options.port)};
    if (!options.memory_limit.empty()) {
        args.push_back("--memory-limit");
        args.push_back(std::string(options.memory_limit));
    }
    if (options.hide_welcome_screen) args.push_back("--hide-welcome-screen");
    for (const auto& a : options.extra_args)
        args.push_back(a);
    const std::string log_path = viewer_log_path();
    const std::string log_hint = log_path.empty() ? "" : " (its output is in " + log_path + ")";
    auto pid = start_detached(args, log_path);
    if (pid.is_err()) return pid.error;

    // Wait (bounded) until it accepts and answers the handshake.
    const auto deadline =
        std::chrono::steady_clock::now() +
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(std::max(0.1f, options.startup_timeout_sec)));
    for (;;) {
        const auto r = detail::probe_viewer(host, options.port, 1.0, &why);
        if (r == detail::ProbeResult::Ours) break;
        if (::kill(pid.value, 0) != 0 && errno == ESRCH) {
            return Error(ErrorCode::RecordingStreamSpawnFailure, "spawn: the viewer '" + exe.value +
                                                                     "' exited before it accepted "
                                                                     "connections on port " +
                                                                     std::to_string(options.port) +
                                                                     log_hint);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return Error(ErrorCode::RecordingStreamSpawnFailure,
                         "spawn: the viewer did not accept connections on port " +
                             std::to_string(options.port) + " within " +
                             std::to_string(options.startup_timeout_sec) + " s (" + why + ")" +
                             log_hint);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Error::ok();
}

Error RecordingStream::spawn(const SpawnOptions& options) const {
    if (!enabled_) return Error::ok();
    const Error started = rerun::spawn(options);
    if (started.is_err()) return started;
    return connect_tcp("127.0.0.1:" + std::to_string(options.port));
}

}  // namespace rerun
