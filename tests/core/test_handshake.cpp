#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

TEST_CASE("a socket connected to itself is told apart from one connected to a listener") {
    // A socket bound to a loopback port and connected to that same address connects to itself
    // (TCP simultaneous open), as a client's connect to an unused ephemeral port can; its hello
    // then reads back as an Ok reply.
    const int self = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(self >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(self, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(self, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    REQUIRE(::connect(self, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    CHECK(connected_to_itself(self));
    const auto hello = encode_hello();
    REQUIRE(::send(self, hello.data(), hello.size(), 0) == ssize_t(hello.size()));
    std::array<uint8_t, wire::kReplyHeaderSize> echoed{};
    REQUIRE(::recv(self, echoed.data(), echoed.size(), MSG_WAITALL) == ssize_t(echoed.size()));
    const auto reply = parse_reply_header(echoed);
    REQUIRE(reply);  // why the check is needed: the hello passes for an Ok reply
    CHECK(reply->status == wire::HandshakeStatus::Ok);
    ::close(self);

    // A client and the connection a listener accepted: neither is connected to itself.
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listener >= 0);
    addr.sin_port = 0;
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listener, 1) == 0);
    len = sizeof addr;
    REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const int accepted = ::accept(listener, nullptr, nullptr);
    REQUIRE(accepted >= 0);
    CHECK_FALSE(connected_to_itself(client));
    CHECK_FALSE(connected_to_itself(accepted));
    CHECK_FALSE(connected_to_itself(listener));  // not connected at all
    ::close(client);
    ::close(accepted);
    ::close(listener);
}
