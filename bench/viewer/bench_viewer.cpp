// bench_viewer: frame times of the real viewer (viewer_demo, synthetic data, 1600x900) under a
// display (a virtual one from xvfb-run when none is set), and its idle CPU.
//
// Each figure is printed with its ratio to a limit measured in the same run: a frame time against
// the frame time of the empty UI (what drawing the panels alone costs on this renderer), idle CPU
// against one core. Goals (issue 5): idle <= 1% of a core; <= 16 ms per frame on a real GPU with
// 1M points and with a 10M-sample series. Under Mesa's llvmpipe the CPU rasterises every pixel,
// so the empty UI itself costs ~15-30 ms there; the ratio says what the data adds.
//
//   bench_viewer [--points N] [--series N] [--frames N] [--idle-seconds S] [--only NAME]
//   NAME: empty, points, orbit, series, series1k, streaming, idle
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
    size_t points = 1'000'000;
    size_t series = 10'000'000;
    int frames = 60;
    int idle_seconds = 10;
    std::string only;
};

[[noreturn]] void usage_error(const std::string& message) {
    std::fprintf(stderr,
                 "bench_viewer: %s\nusage: bench_viewer [--points N] [--series N] [--frames N] "
                 "[--idle-seconds S] [--only empty|points|orbit|series|series1k|streaming|idle]\n",
                 message.c_str());
    std::exit(2);
}

// A child process with its stdout and stderr on pipes we read.
struct Child {
    pid_t pid = -1;
    int out = -1;  // stdout
    int err = -1;  // stderr
};

Child spawn(const std::vector<std::string>& args) {
    int out[2], err[2];
    if (::pipe(out) != 0 || ::pipe(err) != 0) {
        std::perror("bench_viewer: pipe");
        std::exit(1);
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        std::perror("bench_viewer: fork");
        std::exit(1);
    }
    if (pid == 0) {
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::close(out[0]);
        ::close(err[0]);
        ::close(out[1]);
        ::close(err[1]);
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        std::fprintf(stderr, "cannot run %s: %s\n", argv[0], std::strerror(errno));
        ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    return {pid, out[0], err[0]};
}

std::string read_all(int fd) {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        text.append(buf, size_t(n));
    return text;
}

// Reads one line from fd (blocking).
std::optional<std::string> read_line(int fd) {
    std::string line;
    char c;
    while (::read(fd, &c, 1) == 1) {
        if (c == '\n') return line;
        line += c;
    }
    return line.empty() ? std::nullopt : std::optional(line);
}

// Waits for `pid`; its peak RSS in bytes goes to `peak_rss` when given.
int wait_exit(pid_t pid, long* peak_rss = nullptr) {
    int status = 0;
    struct rusage usage {};
    ::wait4(pid, &status, 0, &usage);
    if (peak_rss) *peak_rss = usage.ru_maxrss * 1024L;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct FrameTimes {
    double first = 0, mean = 0, median = 0, max = 0;
};

// Parses the line viewer_demo prints after --benchmark-frames.
std::optional<FrameTimes> parse_frame_times(const std::string& log) {
    const auto at = log.find("rerun: benchmark: first frame");
    if (at == std::string::npos) return std::nullopt;
    FrameTimes t;
    int frames = 0;
    if (std::sscanf(log.c_str() + at,
                    "rerun: benchmark: first frame %lf ms; %d frames: mean %lf ms, median %lf ms, "
                    "max %lf ms",
                    &t.first, &frames, &t.mean, &t.median, &t.max) != 5) {
        return std::nullopt;
    }
    return t;
}

const std::vector<std::string> kWindow = {"--window-size", "1600x900"};

std::vector<std::string> demo_args(std::vector<std::string> extra) {
    std::vector<std::string> args = {VIEWER_DEMO};
    args.insert(args.end(), kWindow.begin(), kWindow.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

FrameTimes run_frames(const std::string& name, std::vector<std::string> extra, int frames) {
    extra.push_back("--benchmark-frames");
    extra.push_back(std::to_string(frames));
    const Child c = spawn(demo_args(extra));
    ::close(c.out);
    const std::string log = read_all(c.err);
    const int rc = wait_exit(c.pid);
    const auto t = parse_frame_times(log);
    if (rc != 0 || !t) {
        std::fprintf(stderr, "bench_viewer: %s: the viewer failed (exit %d):\n%s\n", name.c_str(),
                     rc, log.c_str());
        std::exit(1);
    }
    return *t;
}

void print_frames(const char* label, const FrameTimes& t, const FrameTimes* empty) {
    std::printf("%-44s median %7.2f ms  mean %7.2f  max %7.2f  first %8.1f ms", label, t.median,
                t.mean, t.max, t.first);
    if (empty) std::printf("  (%.2fx the empty UI)", t.median / empty->median);
    std::printf("\n");
    std::fflush(stdout);
}

// Streams scalar rows at full speed into a listening viewer_demo while it draws frames. The
// viewer keeps 1 GiB (older rows are evicted as they keep coming), as a long session would.
// `peak_rss`: the viewer's peak resident memory, in bytes.
constexpr long kStreamingMemoryLimit = 1L << 30;
FrameTimes run_streaming(int frames, long& peak_rss) {
    std::vector<std::string> args =
        demo_args({"--listen", "0", "--memory-limit", std::to_string(kStreamingMemoryLimit),
                   "--benchmark-frames", std::to_string(frames), "--benchmark-orbit"});
    const Child viewer = spawn(args);
    std::optional<std::string> line;
    while ((line = read_line(viewer.out)) && line->find("listening on") == std::string::npos) {
    }
    if (!line) {
        std::fprintf(stderr, "bench_viewer: streaming: the viewer did not listen:\n%s\n",
                     read_all(viewer.err).c_str());
        std::exit(1);
    }
    const std::string port = line->substr(line->rfind(':') + 1);
    const Child sender =
        spawn({INGEST_SENDER, "--port", port, "--recording", "stream", "--app", "bench_viewer",
               "--entity", "/stream", "--rows", "2000000000", "--rows-per-chunk", "4096"});
    const std::string log = read_all(viewer.err);
    const int rc = wait_exit(viewer.pid, &peak_rss);
    ::kill(sender.pid, SIGKILL);
    wait_exit(sender.pid);
    ::close(viewer.out);
    ::close(sender.out);
    ::close(sender.err);
    const auto t = parse_frame_times(log);
    if (rc != 0 || !t) {
        std::fprintf(stderr, "bench_viewer: streaming: the viewer failed (exit %d):\n%s\n", rc,
                     log.c_str());
        std::exit(1);
    }
    // How many rows arrived while it drew: the viewer logs the recording's creation only, so
    // the throughput is the sender's business (bench_ingest measures it); here: frame times.
    return *t;
}

// CPU ticks (user + system) of a process, from /proc/PID/stat.
long cpu_ticks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    const auto close_paren = text.rfind(')');
    if (close_paren == std::string::npos) return -1;
    std::istringstream fields(text.substr(close_paren + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) stime = std::stol(f);
    }
    return utime + stime;
}

void run_idle(int seconds) {
    // A loaded recording (points, an image with boxes, a series, text), nothing changing.
    const Child c = spawn(demo_args({"--demo"}));
    ::close(c.out);
    // Let it start, load and settle (the first frames build caches).
    std::this_thread::sleep_for(std::chrono::seconds(4));
    const long t0 = cpu_ticks(c.pid);
    const auto w0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    const long t1 = cpu_ticks(c.pid);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    ::kill(c.pid, SIGTERM);
    const std::string log = read_all(c.err);
    const int rc = wait_exit(c.pid);
    if (t0 < 0 || t1 < 0 || rc != 0) {
        std::fprintf(stderr, "bench_viewer: idle: the viewer failed (exit %d):\n%s\n", rc,
                     log.c_str());
        std::exit(1);
    }
    const double tick = double(::sysconf(_SC_CLK_TCK));
    const double cpu_s = double(t1 - t0) / tick;
    std::printf("%-44s %ld ticks = %.3f s CPU in %.1f s: %.2f%% of one core (goal <= 1%%: %.2fx)\n",
                "idle CPU, a loaded recording", t1 - t0, cpu_s, wall, 100.0 * cpu_s / wall,
                (100.0 * cpu_s / wall) / 1.0);
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage_error("missing value after " + a);
            return argv[++i];
        };
        auto count = [&]() -> size_t {
            const std::string v = value();
            char* end = nullptr;
            const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n == 0) usage_error(a + ": not a positive count");
            return size_t(n);
        };
        if (a == "--points")
            o.points = count();
        else if (a == "--series")
            o.series = count();
        else if (a == "--frames")
            o.frames = int(count());
        else if (a == "--idle-seconds")
            o.idle_seconds = int(count());
        else if (a == "--only")
            o.only = value();
        else
            usage_error("unknown option " + a);
    }
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) {
        if (std::getenv("BENCH_VIEWER_UNDER_XVFB")) {
            std::fprintf(stderr, "bench_viewer: xvfb-run gave no display\n");
            return 1;
        }
        // No screen: run again under a virtual one (package xvfb).
        ::setenv("BENCH_VIEWER_UNDER_XVFB", "1", 1);
        std::vector<char*> args = {const_cast<char*>("xvfb-run"), const_cast<char*>("-a"),
                                   const_cast<char*>("-s"),
                                   const_cast<char*>("-screen 0 1920x1080x24")};
        for (int i = 0; i < argc; ++i)
            args.push_back(argv[i]);
        args.push_back(nullptr);
        ::execvp("xvfb-run", args.data());
        std::fprintf(stderr, "bench_viewer: no DISPLAY and cannot run xvfb-run: %s\n",
                     std::strerror(errno));
        return 1;
    }
    auto want = [&](const char* name) { return o.only.empty() || o.only == name; };
    std::printf("bench_viewer: viewer_demo at 1600x900 on display %s; %d frames per case\n",
                std::getenv("DISPLAY"), o.frames);
    std::fflush(stdout);
    // The reference: the empty UI, measured first (every ratio below is against it).
    const FrameTimes empty = run_frames("empty", {}, o.frames);
    if (want("empty")) print_frames("empty UI (reference)", empty, nullptr);
    const std::string pts = std::to_string(o.points);
    if (want("points")) {
        const auto t = run_frames("points", {"--points", pts}, o.frames);
        print_frames((pts + " points, camera still").c_str(), t, &empty);
    }
    if (want("orbit")) {
        const auto t =
            run_frames("orbit", {"--points", pts, "--benchmark-orbit"}, std::max(o.frames / 4, 5));
        print_frames((pts + " points, camera orbiting every frame").c_str(), t, &empty);
    }
    if (want("series")) {
        const auto t = run_frames("series", {"--series", std::to_string(o.series)}, o.frames);
        print_frames((std::to_string(o.series) + "-sample series").c_str(), t, &empty);
    }
    if (want("series1k")) {
        const auto t = run_frames("series1k", {"--series", "1000"}, o.frames);
        print_frames("1000-sample series", t, &empty);
    }
    if (want("streaming")) {
        long peak_rss = 0;
        const auto t = run_streaming(o.frames * 2, peak_rss);
        print_frames("a sender streaming scalars at full speed", t, &empty);
        std::printf("%-44s %7.0f MiB  (%.2fx its --memory-limit of %ld MiB)\n",
                    "  the viewer's peak RSS meanwhile", double(peak_rss) / (1 << 20),
                    double(peak_rss) / double(kStreamingMemoryLimit), kStreamingMemoryLimit >> 20);
    }
    if (want("idle")) run_idle(o.idle_seconds);
    return 0;
}
