// Helper program for the SDK's process tests. Each mode is one scenario; see main().
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <rerun.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

int usage() {
    std::fprintf(stderr,
                 "usage: sdk_test_child save PATH ENTITY ROWS [RECORDING_ID]\n"
                 "       sdk_test_child two_streams PATH_A PATH_B\n"
                 "       sdk_test_child global_then_child SELF PATH_CHILD\n"
                 "       sdk_test_child fork PATH_PARENT PATH_CHILD\n"
                 "       sdk_test_child stdout ROWS\n"
                 "       sdk_test_child big_rows PATH ROWS KIB\n"
                 "       sdk_test_child strict\n");
    return 2;
}

void log_rows(const rerun::RecordingStream& rec, const std::string& entity, int rows) {
    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("step", i);
        rec.log(entity, rerun::Scalars(double(i)));
    }
}

// The process's peak resident set so far (VmHWM), in KiB; -1 when unknown.
long peak_rss_kib() {
    FILE* f = std::fopen("/proc/self/status", "r");
    if (f == nullptr) return -1;
    char line[256];
    long kib = -1;
    while (std::fgets(line, sizeof(line), f) != nullptr) {
        if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::atol(line + 6);
    }
    std::fclose(f);
    return kib;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::string mode = argv[1];

    if (mode == "save" && argc >= 5) {
        // Logs ROWS scalars to ENTITY and saves to PATH; prints "enabled=<0|1> id=<id>".
        const auto rec = rerun::RecordingStream("sdk_test", argc >= 6 ? argv[5] : "");
        std::printf("enabled=%d id=%s\n", rec.is_enabled() ? 1 : 0, rec.get_recording_id().c_str());
        std::fflush(stdout);
        rec.save(argv[2]).exit_on_failure();
        log_rows(rec, argv[3], std::atoi(argv[4]));
        return 0;  // no explicit flush: destruction must deliver everything
    }

    if (mode == "two_streams" && argc >= 4) {
        // Two default streams in one process: the first takes an inherited id, the second not.
        const auto a = rerun::RecordingStream("sdk_test");
        const auto b = rerun::RecordingStream("sdk_test");
        std::printf("a=%s b=%s\n", a.get_recording_id().c_str(), b.get_recording_id().c_str());
        a.save(argv[2]).exit_on_failure();
        b.save(argv[3]).exit_on_failure();
        log_rows(a, "a", 3);
        log_rows(b, "b", 3);
        return 0;
    }

    if (mode == "global_then_child" && argc >= 4) {
        // Makes a global recording, then starts a child (SELF save ...) that must join it.
        const auto rec = rerun::init("sdk_test");
        std::printf("parent=%s\n", rec.get_recording_id().c_str());
        std::fflush(stdout);
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::execl(argv[2], argv[2], "save", argv[3], "child", "5", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }

    if (mode == "fork" && argc >= 4) {
        // The parent saves its rows to PATH_PARENT; a forked child logs to the same recording
        // and saves its own rows to PATH_CHILD.
        const auto rec = rerun::RecordingStream("sdk_test");
        rec.set_global();
        rec.save(argv[2]).exit_on_failure();
        log_rows(rec, "parent", 10);
        const pid_t pid = ::fork();
        if (pid == 0) {
            rec.save(argv[3]).exit_on_failure();
            rec.set_time_sequence("step", 100);
            rec.log("child", rerun::Scalars(1.0));
            log_rows(rec, "child", 7);
            std::exit(0);  // exit handlers flush
        }
        log_rows(rec, "parent", 10);
        int status = 0;
        ::waitpid(pid, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }

    if (mode == "stdout" && argc >= 3) {
        // Streams ROWS scalars to standard output.
        const auto rec = rerun::RecordingStream("sdk_test", "stdout-rec");
        rec.to_stdout().exit_on_failure();
        log_rows(rec, "s", std::atoi(argv[2]));
        return 0;
    }

    if (mode == "strict") {
        // A misuse that is reported (not returned): with strict mode on it throws. Prints
        // "strict=<0|1>", then "threw: <message>" or "returned".
        const auto rec = rerun::RecordingStream("sdk_test");
        std::printf("strict=%d\n", rerun::is_strict_mode() ? 1 : 0);
        try {
            rec.set_time_sequence("", 1);
            std::printf("returned\n");
        } catch (const std::runtime_error& e) {
            std::printf("threw: %s\n", e.what());
        }
        return 0;
    }

    if (mode == "big_rows" && argc >= 5) {
        // Saves to PATH (a FIFO that nobody reads: the batcher soon waits for the "disk") and
        // logs ROWS rows of KIB KiB of component data each. Prints the peak resident set before
        // and after logging and the row counts, then exits at once (a flush would wait forever).
        const auto rec = rerun::RecordingStream("sdk_test");
        rec.save(argv[2]).exit_on_failure();
        const int rows = std::atoi(argv[3]);
        std::vector<rerun::Position3D> points(size_t(std::atol(argv[4])) * 1024 /
                                              sizeof(rerun::Position3D));
        for (size_t i = 0; i < points.size(); ++i)
            points[i] = rerun::Position3D(float(i), 0.f, 0.f);
        const long before = peak_rss_kib();
        for (int i = 0; i < rows; ++i)
            rec.log("big", rerun::Points3D(points));  // borrowed: the SDK copies it
        const long after = peak_rss_kib();
        const auto stats = rec.stats();
        std::printf("peak_before_kib=%ld peak_after_kib=%ld logged=%llu dropped=%llu\n", before,
                    after, (unsigned long long)stats.rows_logged,
                    (unsigned long long)stats.rows_dropped);
        std::fflush(stdout);
        ::_exit(0);
    }

    return usage();
}
