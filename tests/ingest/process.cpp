#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rerun::ingest::testing {

using Clock = std::chrono::steady_clock;

Process::Process(const std::string& program, const std::vector<std::string>& args,
                 const std::string& stderr_path) {
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(pipefd[1], STDOUT_FILENO);
        if (!stderr_path.empty()) {
            const int fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) ::dup2(fd, STDERR_FILENO);
        }
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(program.c_str()));
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(program.c_str(), argv.data());
        std::_Exit(127);
    }
    ::close(pipefd[1]);
    out_fd_ = pipefd[0];
}

Process::~Process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(10));
    }
    if (out_fd_ >= 0) ::close(out_fd_);
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        const auto nl = pending_.find('\n');
        if (nl != std::string::npos) {
            std::string line = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return line;
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, int(left.count())) <= 0) continue;
        char buf[4096];
        const ssize_t n = ::read(out_fd_, buf, sizeof buf);
        if (n <= 0) return std::nullopt;
        pending_.append(buf, size_t(n));
    }
}

std::optional<std::string> Process::wait_for_line(const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        auto line = read_line(
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
        if (!line) return std::nullopt;
        if (line->find(needle) != std::string::npos) return line;
    }
    return std::nullopt;
}

void Process::signal(int sig) {
    if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = Clock::now() + timeout;
    while (true) {
        int st = 0;
        const pid_t r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) {
            status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            return status_;
        }
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

bool Process::running() {
    return pid_ > 0 && !wait(std::chrono::milliseconds(0));
}

Viewer start_viewer(const std::vector<std::string>& args, const std::string& log_path) {
    Viewer v;
    std::vector<std::string> all = {"--headless", "--port", "0"};
    all.insert(all.end(), args.begin(), args.end());
    v.log_path = log_path;
    v.process = std::make_unique<Process>(rerun_binary(), all, log_path);
    auto line = v.process->wait_for_line("listening on", std::chrono::seconds(60));
    if (!line) throw std::runtime_error("the viewer did not print its port");
    v.port = uint16_t(std::stoi(line->substr(line->rfind(':') + 1)));
    return v;
}

std::string rerun_binary() {
    return std::string(RERUN_BUILD_DIR) + "/rerun";
}
std::string sender_binary() {
    return std::string(RERUN_BUILD_DIR) + "/tests/ingest_test_sender";
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

namespace {
uint64_t status_kib(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0)
            return std::strtoull(line.c_str() + field.size(), nullptr, 10) * 1024;
    }
    return 0;
}
}  // namespace

uint64_t resident_bytes(pid_t pid) {
    return status_kib(pid, "VmRSS:");
}

uint64_t peak_resident_bytes(pid_t pid) {
    return status_kib(pid, "VmHWM:");
}

std::string temp_dir() {
    static const std::string dir = [] {
        std::string tmpl = "/tmp/rerun_ingest_it_XXXXXX";
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        return tmpl;
    }();
    return dir;
}

}  // namespace rerun::ingest::testing
