// copy_bytes (sdk/src/internal.hpp): the copy of a borrowed batch, split across threads from
// 64 MiB on. Every byte must land in place whatever the size and the split.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "../../sdk/src/internal.hpp"

TEST_CASE("copy_bytes: every size copies every byte, split or not") {
    constexpr size_t kMiB = size_t(1) << 20;
    const size_t largest = 2 * 64 * kMiB + 3 * kMiB + 7;
    std::vector<uint8_t> source(largest);
    for (size_t i = 0; i < largest; ++i)
        source[i] = uint8_t((i * 2654435761u) >> 13);
    // Below the split, exactly at it, just past it, and sizes that leave a short last part.
    for (const size_t n :
         {size_t(0), size_t(1), 64 * kMiB - 1, 64 * kMiB, 64 * kMiB + 1, 96 * kMiB + 5, largest}) {
        CAPTURE(n);
        auto dst = rerun::detail::allocate_bytes(n + 16);
        std::memset(dst.get(), 0xAB, n + 16);
        rerun::detail::copy_bytes(dst.get(), source.data(), n);
        CHECK(std::memcmp(dst.get(), source.data(), n) == 0);
        for (size_t k = n; k < n + 16; ++k)  // nothing written past the end
            CHECK(dst[k] == 0xAB);
    }
}
