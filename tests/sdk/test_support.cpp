#include "test_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

namespace sdk_test {

using namespace rerun::core;

uint64_t Decoded::rows(const std::string& entity) const {
    uint64_t n = 0;
    for (const auto& c : chunks)
        if (c.chunk->entity_path.to_string() == entity) n += c.chunk->num_rows;
    return n;
}

uint64_t Decoded::total_rows() const {
    uint64_t n = 0;
    for (const auto& c : chunks)
        n += c.chunk->num_rows;
    return n;
}

std::vector<std::string> Decoded::recording_ids() const {
    std::vector<std::string> ids;
    for (const auto& i : infos)
        ids.push_back(i.store.id);
    for (const auto& c : chunks)
        ids.push_back(c.store.id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

std::vector<const Chunk*> Decoded::chunks_of(const std::string& entity) const {
    std::vector<const Chunk*> out;
    for (const auto& c : chunks)
        if (c.chunk->entity_path.to_string() == entity) out.push_back(c.chunk.get());
    return out;
}

namespace {
void collect(FrameDecoder& dec, Decoded& out) {
    while (auto ev = dec.next()) {
        if (auto* f = std::get_if<DecodedFrame>(&*ev)) {
            if (auto* info = std::get_if<StoreInfo>(&f->message)) out.infos.push_back(*info);
            if (auto* chunk = std::get_if<ChunkMessage>(&f->message)) out.chunks.push_back(*chunk);
            if (std::holds_alternative<EndOfStream>(f->message)) ++out.end_of_streams;
        } else {
            out.issues.push_back(std::get<DecodeIssue>(*ev));
        }
    }
}
}  // namespace

Decoded decode(const std::vector<uint8_t>& bytes, FrameDecoder::Framing framing) {
    Decoded out;
    FrameDecoder dec(framing);
    dec.feed(bytes);
    collect(dec, out);
    if (auto issue = dec.finish()) out.issues.push_back(*issue);
    return out;
}

Decoded decode_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw std::runtime_error("cannot open " + path);
    // One read (a byte at a time through an iterator took most of a sanitizer build's test).
    std::vector<uint8_t> bytes(size_t(in.tellg()));
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(bytes.size())))
        throw std::runtime_error("cannot read " + path);
    return decode(bytes);
}

TempDir::TempDir() {
    std::random_device rd;
    dir = (std::filesystem::temp_directory_path() /
           ("rerun_sdk_test_" + std::to_string(::getpid()) + "_" + std::to_string(rd())))
              .string();
    std::filesystem::create_directories(dir);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

std::string child_path() {
    return std::string(RERUN_BUILD_DIR) + "/tests/sdk_test_child";
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env,
                          double timeout_secs) {
    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(out_pipe[1], STDERR_FILENO);
        for (const auto& [k, v] : env) {
            if (v.empty())
                ::unsetenv(k.c_str());
            else
                ::setenv(k.c_str(), v.c_str(), 1);
        }
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ProcessResult result;
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(timeout_secs));
    char buf[4096];
    for (;;) {
        pollfd p{out_pipe[0], POLLIN, 0};
        const int r = ::poll(&p, 1, 100);
        if (r > 0) {
            const ssize_t n = ::read(out_pipe[0], buf, sizeof(buf));
            if (n <= 0) break;
            result.output.append(buf, size_t(n));
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            result.output += "\n[killed: timeout]";
            break;
        }
    }
    ::close(out_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

TestListener::TestListener(uint16_t port, wire::HandshakeStatus status) : status_(status) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
        throw std::runtime_error(std::string("TestListener: bind/listen: ") + std::strerror(errno));
    }
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
}

TestListener::~TestListener() {
    stop();
}

void TestListener::stop() {
    if (stop_.exchange(true)) return;
    accept_thread_.join();
    ::close(listen_fd_);
    drop_connections();
    std::vector<std::thread> sessions;
    {
        std::lock_guard lock(mu_);
        sessions.swap(sessions_);
    }
    for (auto& t : sessions)
        t.join();
}

void TestListener::drop_connections() {
    std::lock_guard lock(mu_);
    for (int fd : session_fds_)
        ::shutdown(fd, SHUT_RDWR);
}

Decoded TestListener::snapshot() const {
    std::lock_guard lock(mu_);
    return decoded_;
}

void TestListener::accept_loop() {
    while (!stop_.load()) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        ++connections_;
        std::lock_guard lock(mu_);
        session_fds_.push_back(fd);
        sessions_.emplace_back([this, fd] { serve(fd); });
    }
}

void TestListener::serve(int fd) {
    struct Closer {
        TestListener* self;
        int fd;
        ~Closer() {
            std::lock_guard lock(self->mu_);
            std::erase(self->session_fds_, fd);
            ::close(fd);
        }
    } closer{this, fd};
    std::array<uint8_t, wire::kHelloSize> hello{};
    size_t got = 0;
    while (got < hello.size()) {
        const ssize_t n = ::recv(fd, hello.data() + got, hello.size() - got, 0);
        if (n <= 0) return;
        got += size_t(n);
    }
    const auto check = check_hello(hello);
    const auto status = check.status != wire::HandshakeStatus::Ok ? check.status : status_;
    const auto reply =
        encode_reply(status, status == wire::HandshakeStatus::Ok ? "" : "test listener says no");
    if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) != ssize_t(reply.size()) ||
        status != wire::HandshakeStatus::Ok) {
        return;
    }
    FrameDecoder dec(FrameDecoder::Framing::Stream);
    std::vector<uint8_t> buf(1 << 20);
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n <= 0) break;
        bytes_ += uint64_t(n);
        dec.feed(std::span<const uint8_t>(buf.data(), size_t(n)));
        Decoded local;
        collect(dec, local);
        if (local.infos.empty() && local.chunks.empty() && local.issues.empty() &&
            local.end_of_streams == 0)
            continue;
        std::lock_guard lock(mu_);
        frames_ += local.infos.size() + local.chunks.size() + local.end_of_streams;
        for (auto& i : local.infos)
            decoded_.infos.push_back(std::move(i));
        for (auto& c : local.chunks)
            decoded_.chunks.push_back(std::move(c));
        for (auto& i : local.issues)
            decoded_.issues.push_back(std::move(i));
        decoded_.end_of_streams += local.end_of_streams;
    }
}

}  // namespace sdk_test
