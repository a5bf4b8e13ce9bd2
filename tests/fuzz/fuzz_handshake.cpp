// Fuzz target: the server's check of a client hello and the client's parse of a reply.
#include <cstring>

#include "rerun/core/handshake.hpp"

using namespace rerun::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::array<uint8_t, wire::kHelloSize> hello{};
    std::memcpy(hello.data(), data, std::min(size, hello.size()));
    const auto check = check_hello(hello);
    if (check.status == wire::HandshakeStatus::Ok &&
        std::memcmp(hello.data(), wire::kStreamMagic.data(), 8) != 0) {
        __builtin_trap();  // accepted something that is not our magic
    }
    const auto reply = encode_reply(check.status, check.message);
    const auto header = parse_reply_header(std::span<const uint8_t, 16>(reply.data(), 16));
    if (!header || header->message_len != reply.size() - 16) __builtin_trap();
    (void)parse_reply_header(hello);
    (void)describe_foreign_peer({data, size});
    return 0;
}
