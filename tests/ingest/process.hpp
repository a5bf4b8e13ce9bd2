// Child processes for the integration tests: start a program with arguments, read its stdout
// line by line, send signals, wait with a limit. POSIX only.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rerun::ingest::testing {

class Process {
  public:
    // Starts `program` with `args`; stdout is piped to us, stderr goes to `stderr_path` (or is
    // inherited when empty).
    Process(const std::string& program, const std::vector<std::string>& args,
            const std::string& stderr_path = "");
    ~Process();  // SIGKILLs the child if it still runs
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return pid_; }
    // The next stdout line, or nullopt at EOF or after the timeout.
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    // Reads lines until one contains `needle`; returns it.
    std::optional<std::string> wait_for_line(const std::string& needle,
                                             std::chrono::milliseconds timeout);
    void signal(int sig);
    // Exit status (or 128 + signal); nullopt when still running after the timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    bool running();

  private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string pending_;
    std::optional<int> status_;
};

// Starts `rerun --headless --port 0 <args>` and returns the port it prints.
struct Viewer {
    std::unique_ptr<Process> process;
    uint16_t port = 0;
    std::string log_path;
};
Viewer start_viewer(const std::vector<std::string>& args, const std::string& log_path);

std::string rerun_binary();
std::string sender_binary();
std::string read_file(const std::string& path);
// Resident memory of a process in bytes (from /proc), 0 when unknown.
uint64_t resident_bytes(pid_t pid);
// The most resident memory the process has had so far (VmHWM): a peak no sampling can miss.
uint64_t peak_resident_bytes(pid_t pid);
std::string temp_dir();  // a fresh directory for this test process

}  // namespace rerun::ingest::testing
