// Replays inputs through a fuzz target without libFuzzer: every file under the directories given
// (seeds and regressions/<target>/). Registered with ctest so that every crash ever found stays
// fixed. Each input runs in a child process, so one that crashes, traps, trips a sanitizer or
// hangs is reported by name and the others still run; the exit status is 1 when any failed (or
// when no input was found at all).
//   fuzz_replay_<target> DIR_OR_FILE...
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// A guard against an input that never finishes (the fuzzer runs with -timeout=10).
constexpr unsigned kHangSeconds = 120;

// Runs one input in a child; "" when it passed, otherwise what went wrong.
std::string replay(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "cannot read the file";
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) return std::string("fork failed: ") + std::strerror(errno);
    if (pid == 0) {
        ::alarm(kHangSeconds);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
        std::fflush(nullptr);
        ::_exit(0);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return std::string("waitpid failed: ") + std::strerror(errno);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
    if (WIFEXITED(status)) {
        return "exit status " + std::to_string(WEXITSTATUS(status)) +
               " (a sanitizer report above?)";
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        return "still running after " + std::to_string(kHangSeconds) + " s (a hang?)";
    }
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
           ::strsignal(WTERMSIG(status)) + ")";
}

}  // namespace

int main(int argc, char** argv) {
    size_t passed = 0;
    std::vector<std::string> failures;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path root = argv[i];
        std::vector<std::filesystem::path> inputs;
        std::error_code ec;
        if (std::filesystem::is_regular_file(root, ec)) {
            inputs.push_back(root);
        } else if (std::filesystem::is_directory(root, ec)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
                if (entry.is_regular_file()) inputs.push_back(entry.path());
            }
        }
        // A regressions folder with no finding yet is not in git: absent is fine, and said.
        std::sort(inputs.begin(), inputs.end());
        std::printf("%s: %zu input(s)\n", root.c_str(), inputs.size());
        for (const auto& input : inputs) {
            const std::string problem = replay(input);
            if (problem.empty()) {
                ++passed;
            } else {
                failures.push_back(input.string() + ": " + problem);
                std::printf("FAILED %s: %s\n", input.c_str(), problem.c_str());
            }
            std::fflush(stdout);
        }
    }
    const size_t total = passed + failures.size();
    std::printf("replayed %zu input(s): %zu passed, %zu failed\n", total, passed, failures.size());
    for (const auto& f : failures)
        std::printf("  failed: %s\n", f.c_str());
    if (total == 0) {
        std::printf("no input found: nothing was tested\n");
        return 1;
    }
    return failures.empty() ? 0 : 1;
}
