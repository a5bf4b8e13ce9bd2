// Run it several times: every run adds its rows to the same recording, because they share the
// Recording ID. Usage: shared_recording [out.rrd]  (without a path: spawns the viewer)
#include <unistd.h>

#include <rerun.hpp>

int main(int argc, char** argv) {
    const auto rec =
        rerun::RecordingStream("rerun_example_shared_recording", "my_shared_recording");
    if (argc > 1) {
        rec.save(argv[1]).exit_on_failure();
    } else {
        rec.spawn().exit_on_failure();
    }
    const std::string text = "hello from process " + std::to_string(::getpid());
    rec.log("updates", rerun::TextLog(text));
}
