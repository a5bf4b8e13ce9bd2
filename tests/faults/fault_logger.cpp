// A program that is hurt on purpose by the fault-injection tests.
//   fault_logger kill OUT.rrd    logs rows forever; after each flush_blocking() prints the number
//                                of rows flushed so far (the test kills it with SIGKILL)
//   fault_logger fsize OUT.rrd   saves with a 64 KiB file size limit (as a full disk would stop it)
//   fault_logger append OUT.rrd  logs 20000 rows, flushing every 100; after 10000 it waits for a
//                                line on stdin (the test opens the file meanwhile), then goes on
//                                with a 1 ms pause per flush while the file is followed
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include <rerun.hpp>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: fault_logger kill|fsize|append OUT.rrd\n");
        return 2;
    }
    const std::string mode = argv[1];
    if (mode == "fsize") {
        ::signal(SIGXFSZ, SIG_IGN);  // writes past the limit fail with EFBIG instead
        rlimit limit{64 * 1024, 64 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    }
    const auto rec = rerun::RecordingStream("rerun_fault_logger", "fault_recording");
    rec.save(argv[2]).exit_on_failure();
    const int rows = mode == "kill" ? 1 << 30 : 20000;
    for (int i = 0; i < rows; ++i) {
        rec.set_time_sequence("step", i);
        rec.log("signal", rerun::Scalars({double(i)}));
        if ((i + 1) % 100 == 0) {
            rec.flush_blocking();
            std::printf("%d\n", i + 1);
            std::fflush(stdout);
            if (mode == "append" && i + 1 == 10000) {
                char line[16];
                if (!std::fgets(line, sizeof line, stdin)) return 3;
            } else if (mode == "append") {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    }
    return 0;
}
