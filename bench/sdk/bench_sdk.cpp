// SDK benchmarks. Each figure is printed with its ratio to a limit measured in the same run
// (or to the stated goal):
//   1. set_time_sequence + log(Scalars) per call, on 1 and 2 threads: instrumented minus clean
//      loop time, divided by the calls (Tracy's way); goal <= 100 ns. Also the CPU time per row
//      of the stream's batcher thread, which shares the cores with the callers.
//   2. one log of N Points3D to a file (log + flush + write), against write()ing the same raw
//      bytes to a file; goal <= 0.25 s for 50M points.
//   3. 1M individual log calls of one point each, to a file.
//
// Usage: bench_sdk [--calls N] [--points N] [--single N] [--dir DIR]
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <rerun.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secs_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// CPU time of the calling thread: on a machine with fewer cores than busy threads (producers
// plus the batcher), wall time also counts time spent descheduled.
double thread_cpu_secs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// CPU seconds used so far by this process's threads named `name` (utime + stime from
// /proc/self/task/*/stat, in clock ticks): the SDK names its batcher thread rerun-batcher.
double named_threads_cpu_secs(const std::string& name) {
    double total = 0;
    const std::filesystem::path tasks = "/proc/self/task";
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
        std::ifstream stat(task.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ... : comm may hold spaces, so split at the last ')'.
        const size_t open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        if (line.substr(open + 1, close - open - 1) != name) continue;
        std::istringstream rest(line.substr(close + 2));
        std::string field;
        unsigned long long utime = 0, stime = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i) {
            if (i == 14) utime = std::stoull(field);
            if (i == 15) stime = std::stoull(field);
        }
        total += double(utime + stime) / double(sysconf(_SC_CLK_TCK));
    }
    return total;
}

std::atomic<double> g_sink{0};

// The loop without the SDK calls: the same arithmetic, kept alive.
double clean_loop(int64_t calls) {
    const auto t = Clock::now();
    double acc = 0;
    for (int64_t i = 0; i < calls; ++i) {
        const double v = double(i) * 0.5;
        acc += v;
        asm volatile("" : "+x"(acc));
    }
    g_sink = acc;
    return secs_since(t);
}

double instrumented_loop(const rerun::RecordingStream& rec, const std::string& entity,
                         int64_t calls, double* cpu_secs = nullptr) {
    const auto t = Clock::now();
    const double cpu0 = thread_cpu_secs();
    double acc = 0;
    for (int64_t i = 0; i < calls; ++i) {
        const double v = double(i) * 0.5;
        acc += v;
        asm volatile("" : "+x"(acc));
        rec.set_time_sequence("step", i);
        rec.log(entity, rerun::Scalars(v));
    }
    g_sink = acc;
    if (cpu_secs) *cpu_secs = thread_cpu_secs() - cpu0;
    return secs_since(t);
}

void bench_per_call(int threads, int64_t calls, const std::string& dir) {
    const auto rec = rerun::RecordingStream("bench_sdk");
    const std::string path = dir + "/bench_scalars.rrd";
    rec.save(path).exit_on_failure();
    // Warm up: first-use interning and block allocation are not the steady state.
    instrumented_loop(rec, "warmup", 100000);
    rec.flush_blocking();
    const double batcher_cpu_before = named_threads_cpu_secs("rerun-batcher");

    std::vector<double> inst(static_cast<size_t>(threads)), clean(static_cast<size_t>(threads)),
        cpu(static_cast<size_t>(threads));
    std::vector<std::thread> pool;
    const auto wall = Clock::now();
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            clean[size_t(t)] = clean_loop(calls);
            inst[size_t(t)] =
                instrumented_loop(rec, "scalars/" + std::to_string(t), calls, &cpu[size_t(t)]);
        });
    }
    for (auto& th : pool)
        th.join();
    const double log_wall = secs_since(wall);
    const auto flush_start = Clock::now();
    rec.flush_blocking();
    const double flush = secs_since(flush_start);
    const double batcher_cpu = named_threads_cpu_secs("rerun-batcher") - batcher_cpu_before;
    double per_call = 0, per_call_cpu = 0;
    for (int t = 0; t < threads; ++t)
        per_call_cpu += (cpu[size_t(t)] - clean[size_t(t)]) / double(calls) / threads;
    for (int t = 0; t < threads; ++t)
        per_call += (inst[size_t(t)] - clean[size_t(t)]) / double(calls);
    per_call /= threads;
    const auto stats = rec.stats();
    std::printf("set_time_sequence+log(Scalars), %d thread(s), %lld calls each:\n", threads,
                (long long)calls);
    std::printf("  per call          %7.1f ns   (goal 100 ns: ratio %.2f; upstream ~17000 ns)\n",
                per_call * 1e9, per_call * 1e9 / 100.0);
    std::printf("  per call, CPU     %7.1f ns   (calling thread's CPU time; goal ratio %.2f)\n",
                per_call_cpu * 1e9, per_call_cpu * 1e9 / 100.0);
    std::printf("  clean loop        %7.2f ns per iteration\n", clean[0] / double(calls) * 1e9);
    // With more busy threads than cores, the batcher's CPU time is taken from the callers.
    std::printf(
        "  batcher, CPU      %7.1f ns per row (the thread that builds and encodes chunks)\n",
        batcher_cpu / double(calls * threads) * 1e9);
    std::printf(
        "  batched+written   %7.2f M rows/s end to end (log %.3f s + final flush %.3f s), "
        "%llu chunks, %.1f MB, dropped %llu\n",
        double(stats.rows_logged) / (log_wall + flush) / 1e6, log_wall, flush,
        (unsigned long long)stats.chunks_encoded, double(stats.bytes_written) / 1e6,
        (unsigned long long)stats.rows_dropped);
    rec.disconnect();
    std::remove(path.c_str());
}

// write() of `bytes` bytes to a new file (page cache, no fsync): the physical limit here.
double raw_write(const std::string& path, const void* data, size_t bytes) {
    const auto t = Clock::now();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const auto* p = static_cast<const uint8_t*>(data);
    size_t left = bytes;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, std::min<size_t>(left, size_t(1) << 30));
        if (n <= 0) break;
        p += n;
        left -= size_t(n);
    }
    ::close(fd);
    return secs_since(t);
}

// This process's resident memory now and its peak since the last reset_peak_rss(), in bytes
// (/proc/self/status VmRSS and VmHWM).
std::pair<uint64_t, uint64_t> rss_and_peak() {
    std::ifstream status("/proc/self/status");
    std::string line;
    uint64_t rss = 0, peak = 0;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) rss = std::strtoull(line.c_str() + 6, nullptr, 10) << 10;
        if (line.rfind("VmHWM:", 0) == 0) peak = std::strtoull(line.c_str() + 6, nullptr, 10) << 10;
    }
    return {rss, peak};
}
// Sets the peak to the current resident memory (Linux: "5" to /proc/self/clear_refs).
void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";
}

void bench_big_log(size_t num_points, const std::string& dir) {
    std::vector<rerun::Position3D> points(num_points);
    for (size_t i = 0; i < num_points; ++i)
        points[i] = {float(i), float(i) * 0.5f, -float(i)};
    const size_t bytes = num_points * sizeof(rerun::Position3D);
    const std::string raw_path = dir + "/bench_raw.bin";
    const std::string rrd_path = dir + "/bench_points.rrd";
    // Warm-up before each case. In this VM, memory the kernel has not used lately is slow to take
    // (a 600 MB write() took 1.0-1.5 s into such page cache and 0.08 s into pages freed just
    // before). Writing and removing three times the data right before each case hands every case
    // (the raw write included) page cache and copies in memory used just before, as in a
    // long-running process.
    const auto warm_up = [&] {
        for (int i = 0; i < 3; ++i)
            raw_write(raw_path + std::to_string(i), points.data(), bytes);
        for (int i = 0; i < 3; ++i)
            std::remove((raw_path + std::to_string(i)).c_str());
    };
    warm_up();
    const double raw = raw_write(raw_path, points.data(), bytes);
    std::remove(raw_path.c_str());

    // The memory the borrowed log added at its peak (a copy of the points would be all of them).
    uint64_t borrowed_peak_growth = 0;
    auto run = [&](bool move) {
        const auto rec = rerun::RecordingStream("bench_sdk");
        rec.save(rrd_path).exit_on_failure();
        std::vector<rerun::Position3D> owned;
        if (move) owned = points;
        warm_up();
        reset_peak_rss();
        const uint64_t rss_before = rss_and_peak().first;
        const auto t = Clock::now();
        if (move) {
            rec.log("points", rerun::Points3D(std::move(owned)));
        } else {
            rec.log("points", rerun::Points3D(points));
        }
        const double log_call = secs_since(t);
        rec.flush_blocking();
        const double total = secs_since(t);
        if (!move)
            borrowed_peak_growth =
                rss_and_peak().second - std::min(rss_before, rss_and_peak().second);
        rec.disconnect();
        std::remove(rrd_path.c_str());
        return std::pair<double, double>(log_call, total);
    };
    const auto [borrowed_call, borrowed_total] = run(false);
    const auto [moved_call, moved_total] = run(true);
    // The moved-in vector is memory the program filled just before: in this VM (shadow paging)
    // the kernel's first read of each such page costs a trip to the host (write() of a 600 MB
    // vector copied just before: 1.1-1.3 s; of one written long before: 0.1 s; memcpy of it in
    // user space: 0.05 s). Its limit is the raw write() of a vector made the same way.
    double raw_fresh = 0;
    {
        std::vector<rerun::Position3D> fresh = points;
        warm_up();
        raw_fresh = raw_write(raw_path, fresh.data(), bytes);
        std::remove(raw_path.c_str());
    }
    std::printf("one log of %zu Points3D (%.0f MB) to a file:\n", num_points, double(bytes) / 1e6);
    std::printf("  raw write()       %7.3f s\n", raw);
    std::printf(
        "  borrowed vector   %7.3f s to file (log call %.3f s): %.2fx raw write, "
        "goal 0.25 s: %.2f; peak memory +%.0f MB (a copy: +%.0f MB)\n",
        borrowed_total, borrowed_call, borrowed_total / raw, borrowed_total / 0.25,
        double(borrowed_peak_growth) / 1e6, double(bytes) / 1e6);
    std::printf(
        "  moved-in vector   %7.3f s to file (log call %.3f s): %.2fx raw write of a vector "
        "filled just before (%.3f s), goal 0.25 s: %.2f\n",
        moved_total, moved_call, moved_total / raw_fresh, raw_fresh, moved_total / 0.25);
}

void bench_single_points(int64_t calls, const std::string& dir) {
    const auto rec = rerun::RecordingStream("bench_sdk");
    const std::string path = dir + "/bench_single.rrd";
    rec.save(path).exit_on_failure();
    const auto t = Clock::now();
    for (int64_t i = 0; i < calls; ++i) {
        rec.log("point", rerun::Points3D({rerun::Position3D(float(i), 0.f, 0.f)}));
    }
    const double log_secs = secs_since(t);
    rec.flush_blocking();
    const double total = secs_since(t);
    const auto stats = rec.stats();
    const double raw =
        raw_write(dir + "/bench_raw_single.bin", std::vector<uint8_t>(stats.bytes_written).data(),
                  stats.bytes_written);
    std::remove((dir + "/bench_raw_single.bin").c_str());
    std::printf("%lld individual log calls of 1 point:\n", (long long)calls);
    std::printf("  log calls         %7.3f s (%.1f ns per call)\n", log_secs,
                log_secs / double(calls) * 1e9);
    std::printf(
        "  until on disk     %7.3f s (%.2f M rows/s, %llu chunks, %.1f MB; raw write of "
        "those bytes %.3f s: %.1fx)\n",
        total, double(calls) / total / 1e6, (unsigned long long)stats.chunks_encoded,
        double(stats.bytes_written) / 1e6, raw, total / raw);
    rec.disconnect();
    std::remove(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    int64_t calls = 10'000'000;
    size_t points = 50'000'000;
    int64_t single = 1'000'000;
    std::string dir = "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--calls")
            calls = std::atoll(argv[i + 1]);
        else if (flag == "--points")
            points = size_t(std::atoll(argv[i + 1]));
        else if (flag == "--single")
            single = std::atoll(argv[i + 1]);
        else if (flag == "--dir")
            dir = argv[i + 1];
        else {
            std::fprintf(stderr,
                         "usage: bench_sdk [--calls N] [--points N] [--single N] [--dir DIR]\n");
            return 2;
        }
    }
    {
        // A disabled stream: the cost a program pays for logging calls left in with RERUN=off.
        const auto rec = rerun::RecordingStream(
            "bench_sdk", "", rerun::RecordingStreamOptions{rerun::StoreKind::Recording, false});
        const double clean = clean_loop(calls);
        const double inst = instrumented_loop(rec, "disabled", calls);
        std::printf("disabled stream: %.2f ns per set_time_sequence+log(Scalars)\n",
                    (inst - clean) / double(calls) * 1e9);
    }
    bench_per_call(1, calls, dir);
    bench_per_call(2, calls / 2, dir);
    bench_big_log(points, dir);
    bench_single_points(single, dir);
}
