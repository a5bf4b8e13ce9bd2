// The TCP handshake: a 16-byte hello from the client, a status reply from the server.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "rerun/core/codec.hpp"
#include "rerun/core/wire.hpp"

namespace rerun::core {

std::array<uint8_t, wire::kHelloSize> encode_hello();

struct HelloCheck {
    wire::HandshakeStatus status = wire::HandshakeStatus::Ok;
    uint16_t client_version = 0;
    std::string message;  // for the reply and the log when status != Ok
};
// Checks a client's first 16 bytes.
HelloCheck check_hello(std::span<const uint8_t, wire::kHelloSize> hello);

// What a foreign peer probably is, from its first bytes, for a log line ("an HTTP request",
// "an HTTP/2 or gRPC client (such as upstream Rerun's SDK)", "a TLS client", "unknown bytes").
std::string describe_foreign_peer(std::span<const uint8_t> first_bytes);

Bytes encode_reply(wire::HandshakeStatus status, std::string_view message);

struct ReplyHeader {
    wire::HandshakeStatus status = wire::HandshakeStatus::Ok;
    uint16_t server_version = 0;
    uint32_t message_len = 0;
};
// Parses the first 16 bytes of the server's reply; nullopt when they are not our protocol.
std::optional<ReplyHeader> parse_reply_header(
    std::span<const uint8_t, wire::kReplyHeaderSize> bytes);

std::string_view handshake_status_name(wire::HandshakeStatus status);

// True when connected socket `fd` is connected to itself. A TCP connect to a port nobody listens
// on can, when the port is in the ephemeral range, get that same port as its own and connect to
// itself (TCP simultaneous open); our hello would then read back as an Ok reply (the two are the
// same 16 bytes). Clients check this before the handshake and treat it as nobody listening.
bool connected_to_itself(int fd);

}  // namespace rerun::core
