#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "rerun/core/handshake.hpp"

using namespace rerun::core;

TEST_CASE("our hello is accepted") {
    const auto hello = encode_hello();
    const auto check = check_hello(hello);
    CHECK(check.status == wire::HandshakeStatus::Ok);
    CHECK(check.client_version == wire::kProtocolVersion);
}

TEST_CASE("a different protocol version is told why") {
    auto hello = encode_hello();
    hello[8] = 42;
    const auto check = check_hello(hello);
    CHECK(check.status == wire::HandshakeStatus::VersionMismatch);
    CHECK(check.message.find("42") != std::string::npos);
    const auto reply = encode_reply(check.status, check.message);
    const auto header = parse_reply_header(std::span<const uint8_t, 16>(reply.data(), 16));
    REQUIRE(header);
    CHECK(header->status == wire::HandshakeStatus::VersionMismatch);
    CHECK(header->message_len == check.message.size());
    CHECK(std::string(reply.begin() + 16, reply.end()) == check.message);
}

TEST_CASE("foreign peers are recognised") {
    auto describe = [](std::string first) {
        first.resize(16, '\0');
        std::array<uint8_t, 16> bytes;
        std::memcpy(bytes.data(), first.data(), 16);
        return check_hello(bytes);
    };
    const auto http = describe("GET / HTTP/1.1\r\n");
    CHECK(http.status == wire::HandshakeStatus::BadHello);
    CHECK(http.message.find("HTTP request") != std::string::npos);
    CHECK(describe("PRI * HTTP/2.0\r\n").message.find("gRPC") != std::string::npos);
    CHECK(describe("\x16\x03\x01").message.find("TLS") != std::string::npos);
    CHECK(describe("zzzz").message.find("unknown bytes") != std::string::npos);
}

TEST_CASE("a reply that is not ours is rejected") {
    std::array<uint8_t, 16> junk{};
    CHECK_FALSE(parse_reply_header(junk));
    auto reply = encode_reply(wire::HandshakeStatus::Ok, "");
    CHECK(reply.size() == wire::kReplyHeaderSize);
    const uint32_t huge = 1u << 30;
    std::memcpy(reply.data() + 12, &huge, 4);
    CHECK_FALSE(parse_reply_header(std::span<const uint8_t, 16>(reply.data(), 16)));
}
