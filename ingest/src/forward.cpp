#include "rerun/ingest/forward.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "rerun/core/codec.hpp"
#include "rerun/core/handshake.hpp"
#include "rerun/ingest/log.hpp"

namespace rerun::ingest {

namespace {

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

bool send_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

bool recv_all(int fd, uint8_t* data, size_t size, int timeout_ms) {
    while (size > 0) {
        pollfd p{fd, POLLIN, 0};
        const int r = ::poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        const ssize_t n = ::recv(fd, data, size, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

}  // namespace

ForwardResult forward_files(const std::string& host, uint16_t port,
                            std::span<const std::string> files, std::chrono::milliseconds timeout) {
    ForwardResult result;
    const int timeout_ms = int(timeout.count());
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* addresses = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &addresses) != 0) {
        result.status = ForwardStatus::Failed;
        result.message = "cannot resolve " + host;
        return result;
    }
    Fd sock;
    for (addrinfo* a = addresses; a; a = a->ai_next) {
        sock.fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (sock.fd < 0) continue;
        if (::connect(sock.fd, a->ai_addr, a->ai_addrlen) == 0) break;
        ::close(sock.fd);
        sock.fd = -1;
    }
    ::freeaddrinfo(addresses);
    if (sock.fd >= 0 && core::connected_to_itself(sock.fd)) {
        ::close(sock.fd);  // nobody listens (see connected_to_itself)
        sock.fd = -1;
    }
    if (sock.fd < 0) {
        result.status = ForwardStatus::NoViewer;
        result.message = "no viewer listens on " + host + ":" + std::to_string(port);
        return result;
    }
    int one = 1;
    ::setsockopt(sock.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    const auto hello = core::encode_hello();
    std::array<uint8_t, core::wire::kReplyHeaderSize> reply{};
    if (!send_all(sock.fd, hello.data(), hello.size()) ||
        !recv_all(sock.fd, reply.data(), reply.size(), timeout_ms)) {
        result.status = ForwardStatus::Refused;
        result.message = "something listens on " + host + ":" + std::to_string(port) +
                         " but did not answer the Rerun handshake";
        return result;
    }
    const auto header = core::parse_reply_header(reply);
    if (!header) {
        result.status = ForwardStatus::Refused;
        result.message =
            host + ":" + std::to_string(port) + " is not a Rerun viewer of this project";
        return result;
    }
    if (header->status != core::wire::HandshakeStatus::Ok) {
        std::string text(std::min<uint32_t>(header->message_len, core::wire::kMaxHandshakeMessage),
                         '\0');
        recv_all(sock.fd, reinterpret_cast<uint8_t*>(text.data()), text.size(), timeout_ms);
        result.status = ForwardStatus::Refused;
        result.message = "the viewer on " + host + ":" + std::to_string(port) +
                         " refused: " + std::string(core::handshake_status_name(header->status)) +
                         (text.empty() ? std::string() : ": " + text);
        return result;
    }

    std::vector<uint8_t> buffer(size_t(4) << 20);
    core::Bytes out;
    for (const auto& path : files) {
        Fd file;
        file.fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (file.fd < 0) {
            result.status = ForwardStatus::Failed;
            result.message = path + ": " + std::strerror(errno);
            return result;
        }
        core::FrameDecoder decoder(core::FrameDecoder::Framing::File);
        bool eof = false;
        while (!eof) {
            const ssize_t n = ::read(file.fd, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                result.status = ForwardStatus::Failed;
                result.message = path + ": " + std::strerror(errno);
                return result;
            }
            if (n == 0) {
                eof = true;
                if (auto issue = decoder.finish()) log_warn(path + ": " + issue->message);
            } else {
                decoder.feed({buffer.data(), size_t(n)});
            }
            out.clear();
            while (auto event = decoder.next()) {
                if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
                    core::append_frame(out, frame->message);
                    ++result.frames;
                    continue;
                }
                const auto& issue = std::get<core::DecodeIssue>(*event);
                if (issue.is_fatal()) {
                    result.status = ForwardStatus::Failed;
                    result.message = path + ": " + issue.message;
                    return result;
                }
                log_warn(path + ": " + issue.message);
            }
            if (!out.empty() && !send_all(sock.fd, out.data(), out.size())) {
                result.status = ForwardStatus::Failed;
                result.message = "the viewer closed the connection while " + path + " was sent";
                return result;
            }
            result.bytes += out.size();
        }
    }
    ::shutdown(sock.fd, SHUT_WR);
    result.status = ForwardStatus::Forwarded;
    result.message = "sent " + std::to_string(files.size()) + " file(s), " +
                     std::to_string(result.frames) + " frames, to the viewer on " + host + ":" +
                     std::to_string(port);
    return result;
}

}  // namespace rerun::ingest
