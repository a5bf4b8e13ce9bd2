// A program that is hurt on purpose by the fault-injection tests.
//   fault_logger kill OUT.rrd    logs rows forever; after each flush_blocking() prints the number
//                                of rows flushed so far (the test kills it with SIGKILL)
//   fault_logger autoflush OUT.rrd
//                                logs rows of 100 points forever and never flushes itself (only
//                                the automatic flush, RERUN_FLUSH_*, writes); after every 50 rows
//                                prints "logged K dropped D" (D: rows the SDK refused)
//   fault_logger fsize OUT.rrd   saves with a 64 KiB file size limit (as a full disk would stop it)
//   fault_logger full OUT.rrd    saves 20000 rows, flushing every 100 (the test makes the disk
//                                fill up); both print "flush error: ..." for the first failed
//                                flush_blocking() and "dropped_bytes N" at the end
//   fault_logger append OUT.rrd  logs 20000 rows, flushing every 100; after 10000 it waits for a
//                                line on stdin (the test opens the file meanwhile), then goes on
//                                with a 1 ms pause per flush while the file is followed; in
//                                that half it also logs entity "cloud" 6 times: 5 moved-in
//                                clouds of 12 MB and, the third time, a borrowed one of 72 MB
//                                (frames whose headers the file sink writes last)
//   fault_logger stream ADDR POINTS PAUSE_MS
//                                streams rows of POINTS points to a viewer at ADDR, in groups of
//                                RERUN_FLUSH_NUM_ROWS rows with a pause of PAUSE_MS after each
//                                group, until SIGUSR1; prints after each group
//                                "logged K connected C reconnects R dropped_frames F"; at the end
//                                flushes (at most 60 s) and prints "flush ok|error" and
//                                "done logged K dropped_frames F dropped_bytes B rows_dropped D"
//   fault_logger flood ADDR ROWS POINTS
//                                prints "ready", waits for SIGUSR1, logs ROWS rows of POINTS points
//                                to ADDR at full speed (the test has nobody listening), prints
//                                "logged K dropped_frames F", flushes (at most 60 s, while the
//                                test starts a viewer) and prints "flush ok|error" and "done ..."
//                                as above
// The row with sequence time `step` = i is the i-th row logged (tests identify rows by it).
#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <rerun.hpp>

namespace {

std::atomic<bool> g_stop{false};

void on_sigusr1(int) {
    g_stop.store(true);
}

void say(const std::string& line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

std::vector<rerun::Position3D> points(int n) {
    std::vector<rerun::Position3D> out;
    out.reserve(size_t(n));
    for (int i = 0; i < n; ++i)
        out.emplace_back(float(i), 1.f, 2.f);
    return out;
}

uint64_t flush_rows_from_env() {
    const char* v = std::getenv("RERUN_FLUSH_NUM_ROWS");
    const long n = v ? std::atol(v) : 0;
    return n > 0 ? uint64_t(n) : 1;
}

// Flushes (bounded), then reports what the SDK counted.
void finish(const rerun::RecordingStream& rec, uint64_t logged) {
    const auto flushed = rec.flush_blocking(60);
    say(flushed.is_ok() ? "flush ok" : "flush error: " + flushed.description);
    const auto s = rec.stats();
    say("done logged " + std::to_string(logged) + " dropped_frames " +
        std::to_string(s.frames_dropped) + " dropped_bytes " + std::to_string(s.bytes_dropped) +
        " rows_dropped " + std::to_string(s.rows_dropped));
}

int stream(const std::string& addr, int num_points, int pause_ms) {
    ::signal(SIGUSR1, on_sigusr1);
    const uint64_t group = flush_rows_from_env();
    const auto rec = rerun::RecordingStream("rerun_fault_logger", "fault_stream");
    rec.connect_tcp(addr).exit_on_failure();
    const auto pts = points(num_points);
    uint64_t logged = 0;
    while (!g_stop.load()) {
        for (uint64_t i = 0; i < group; ++i, ++logged) {
            rec.set_time_sequence("step", int64_t(logged));
            rec.log("cloud", rerun::Points3D(pts));
        }
        const auto s = rec.stats();
        say("logged " + std::to_string(logged) + " connected " + std::to_string(s.tcp_connected) +
            " reconnects " + std::to_string(s.reconnects) + " dropped_frames " +
            std::to_string(s.frames_dropped));
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    }
    finish(rec, logged);
    return 0;
}

int flood(const std::string& addr, int rows, int num_points) {
    const auto rec = rerun::RecordingStream("rerun_fault_logger", "fault_flood");
    rec.connect_tcp(addr).exit_on_failure();
    const auto pts = points(num_points);
    ::signal(SIGUSR1, on_sigusr1);
    say("ready");
    while (!g_stop.load())  // the test notes our memory, then says go
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("step", i);
        rec.log("cloud", rerun::Points3D(pts));
    }
    say("logged " + std::to_string(rows) + " dropped_frames " +
        std::to_string(rec.stats().frames_dropped));
    finish(rec, uint64_t(rows));
    return 0;
}

int autoflush(const char* path) {
    const auto rec = rerun::RecordingStream("rerun_fault_logger", "fault_recording");
    rec.save(path).exit_on_failure();
    const auto pts = points(100);
    for (uint64_t i = 0;; ++i) {
        rec.set_time_sequence("step", int64_t(i));
        rec.log("cloud", rerun::Points3D(pts));
        if ((i + 1) % 50 == 0) {
            say("logged " + std::to_string(i + 1) + " dropped " +
                std::to_string(rec.stats().rows_dropped));
        }
    }
}

int usage() {
    std::fprintf(stderr,
                 "usage: fault_logger kill|autoflush|fsize|full|append OUT.rrd\n"
                 "       fault_logger stream ADDR POINTS PAUSE_MS\n"
                 "       fault_logger flood ADDR ROWS POINTS\n");
    return 2;
}

// Entity "cloud": a moved-in batch of 1M points (12 MB), or for k == 9 a borrowed one of 6M
// (72 MB, lent to the SDK: the call waits until it is written).
void log_cloud(const rerun::RecordingStream& rec, int k) {
    std::vector<rerun::Position3D> points(k == 9 ? 6'000'000 : 1'000'000);
    for (size_t j = 0; j < points.size(); ++j)
        points[j] = {float(j), float(k), -float(j)};
    if (k == 9) {
        rec.log("cloud", rerun::Points3D(points));
    } else {
        rec.log("cloud", rerun::Points3D(std::move(points)));
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) return usage();
    const std::string mode = argv[1];
    if (mode == "stream" && argc == 5)
        return stream(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    if (mode == "flood" && argc == 5) return flood(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    if (argc != 3) return usage();
    if (mode == "autoflush") return autoflush(argv[2]);
    if (mode != "kill" && mode != "fsize" && mode != "full" && mode != "append") return usage();
    if (mode == "fsize") {
        ::signal(SIGXFSZ, SIG_IGN);  // writes past the limit fail with EFBIG instead
        rlimit limit{64 * 1024, 64 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    const bool filling = mode == "fsize" || mode == "full";
    const auto rec = rerun::RecordingStream("rerun_fault_logger", "fault_recording");
    rec.save(argv[2]).exit_on_failure();
    const int rows = mode == "kill" ? 1 << 30 : 20000;
    bool flush_failed = false;
    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("step", i);
        rec.log("signal", rerun::Scalars({double(i)}));
        if ((i + 1) % 100 == 0) {
            const auto flushed = rec.flush_blocking();
            if (filling && flushed.is_err() && !flush_failed) {
                flush_failed = true;
                say("flush error: " + flushed.description);
            }
            if (!filling) say(std::to_string(i + 1));
            if (mode == "append" && i + 1 == 10000) {
                char line[16];
                if (!std::fgets(line, sizeof line, stdin)) return 3;
            } else if (mode == "append") {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                if (i + 1 > 10000 && (i + 1) % 1600 == 0) log_cloud(rec, (i + 1) / 1600);
            }
        }
    }
    if (filling) say("dropped_bytes " + std::to_string(rec.stats().bytes_dropped));
    return 0;
}
