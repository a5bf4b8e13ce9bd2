#include "rerun/core/handshake.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <cstring>

#include "byte_io.hpp"

namespace rerun::core {

std::array<uint8_t, wire::kHelloSize> encode_hello() {
    std::array<uint8_t, wire::kHelloSize> hello{};
    detail::ByteWriter w(hello.data());
    w.put_bytes(wire::kStreamMagic.data(), wire::kStreamMagic.size());
    w.put(wire::kProtocolVersion);
    w.put(uint16_t(0));
    w.put(uint32_t(0));
    return hello;
}

HelloCheck check_hello(std::span<const uint8_t, wire::kHelloSize> hello) {
    HelloCheck check;
    if (std::memcmp(hello.data(), wire::kStreamMagic.data(), wire::kStreamMagic.size()) != 0) {
        check.status = wire::HandshakeStatus::BadHello;
        check.message = "not a client of this viewer's protocol: " +
                        describe_foreign_peer(std::span<const uint8_t>(hello.data(), hello.size()));
        return check;
    }
    uint16_t version = 0;
    std::memcpy(&version, hello.data() + 8, sizeof(version));
    check.client_version = version;
    if (version != wire::kProtocolVersion) {
        check.status = wire::HandshakeStatus::VersionMismatch;
        check.message = "protocol version mismatch: the client speaks version " +
                        std::to_string(version) + ", this viewer speaks version " +
                        std::to_string(wire::kProtocolVersion) +
                        "; use an SDK and viewer of the same release";
    }
    return check;
}

std::string describe_foreign_peer(std::span<const uint8_t> first_bytes) {
    auto starts = [&](std::string_view prefix) {
        return first_bytes.size() >= prefix.size() &&
               std::memcmp(first_bytes.data(), prefix.data(), prefix.size()) == 0;
    };
    if (starts("PRI * HTTP/2")) {
        return "an HTTP/2 or gRPC client (such as upstream Rerun's SDK, which this viewer does not "
               "speak)";
    }
    for (const char* method :
         {"GET ", "POST ", "PUT ", "HEAD ", "OPTIONS ", "DELETE ", "PATCH ", "CONNECT "}) {
        if (starts(method)) return "an HTTP request (a browser or HTTP client)";
    }
    if (first_bytes.size() >= 3 && first_bytes[0] == 0x16 && first_bytes[1] == 0x03) {
        return "a TLS client";
    }
    if (starts("SSH-")) return "an SSH client";
    if (first_bytes.size() >= 4 && std::memcmp(first_bytes.data(), "RRF", 3) == 0) {
        return "upstream Rerun .rrd data, which this viewer does not read";
    }
    if (first_bytes.size() >= 5 &&
        std::memcmp(first_bytes.data(), wire::kFileMagic.data(), 5) == 0) {
        return "an .rrd file sent raw (the stream must start with the handshake)";
    }
    std::string hex;
    static constexpr char kHex[] = "0123456789abcdef";
    for (size_t i = 0; i < std::min<size_t>(first_bytes.size(), 8); ++i) {
        hex.push_back(kHex[first_bytes[i] >> 4]);
        hex.push_back(kHex[first_bytes[i] & 15]);
    }
    return "unknown bytes (starting " + hex + ")";
}

Bytes encode_reply(wire::HandshakeStatus status, std::string_view message) {
    message = message.substr(0, wire::kMaxHandshakeMessage);
    Bytes out(wire::kReplyHeaderSize + message.size());
    detail::ByteWriter w(out.data());
    w.put_bytes(wire::kStreamMagic.data(), wire::kStreamMagic.size());
    w.put(wire::kProtocolVersion);
    w.put(uint16_t(status));
    w.put(uint32_t(message.size()));
    w.put_bytes(message.data(), message.size());
    return out;
}

std::optional<ReplyHeader> parse_reply_header(
    std::span<const uint8_t, wire::kReplyHeaderSize> bytes) {
    if (std::memcmp(bytes.data(), wire::kStreamMagic.data(), wire::kStreamMagic.size()) != 0) {
        return std::nullopt;
    }
    ReplyHeader header;
    uint16_t status = 0;
    std::memcpy(&header.server_version, bytes.data() + 8, 2);
    std::memcpy(&status, bytes.data() + 10, 2);
    std::memcpy(&header.message_len, bytes.data() + 12, 4);
    if (header.message_len > wire::kMaxHandshakeMessage) return std::nullopt;
    header.status = wire::HandshakeStatus(status);
    return header;
}

std::string_view handshake_status_name(wire::HandshakeStatus status) {
    switch (status) {
        case wire::HandshakeStatus::Ok:
            return "ok";
        case wire::HandshakeStatus::VersionMismatch:
            return "version mismatch";
        case wire::HandshakeStatus::Busy:
            return "busy";
        case wire::HandshakeStatus::BadHello:
            return "bad hello";
    }
    return "unknown status";
}

bool connected_to_itself(int fd) {
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t local_len = sizeof local;
    socklen_t peer_len = sizeof peer;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
        return false;
    }
    return local_len == peer_len && std::memcmp(&local, &peer, local_len) == 0;
}

}  // namespace rerun::core
