#include <algorithm>
#include <cstring>
#include <exception>
#include <thread>
#include <vector>

#include "internal.hpp"

namespace rerun::detail {

namespace {

// Below this a copy stays on the calling thread (starting a thread costs ~50 us).
constexpr size_t kParallelCopyMin = size_t(64) << 20;
// Each part starts on a huge-page boundary of the destination, so that no two threads fault
// the same page.
constexpr size_t kPartAlign = size_t(2) << 20;
constexpr unsigned kMaxCopyThreads = 4;

}  // namespace

void copy_bytes(uint8_t* dst, const uint8_t* src, size_t n) {
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const size_t parts =
        n < kParallelCopyMin
            ? 1
            : std::min<size_t>({hardware, kMaxCopyThreads, n / (kParallelCopyMin / 2)});
    if (parts <= 1) {
        if (n != 0) std::memcpy(dst, src, n);
        return;
    }
    const size_t part = (n / parts + kPartAlign - 1) / kPartAlign * kPartAlign;
    std::vector<std::thread> helpers;
    helpers.reserve(parts);  // emplace_back below then never reallocates (nor throws bad_alloc)
    size_t at = part;        // this thread copies the first part, helpers the others
    for (; at < n; at += part) {
        const size_t len = std::min(part, n - at);
        try {
            helpers.emplace_back([=] { std::memcpy(dst + at, src + at, len); });
        } catch (const std::exception&) {
            break;  // no thread to be had (system_error, bad_alloc): this thread copies the rest
        }
    }
    std::memcpy(dst, src, std::min(part, n));
    if (at < n) std::memcpy(dst + at, src + at, n - at);
    for (auto& helper : helpers)
        helper.join();
}

}  // namespace rerun::detail
