#include "rerun/core/tuid.hpp"

#include <pthread.h>

#include <atomic>
#include <random>

#include "rerun/core/fast_clock.hpp"

namespace rerun::core {

namespace {

uint64_t random_u64() {
    std::random_device device;
    return (uint64_t(device()) << 32) ^ uint64_t(device());
}

// Bumped in a forked child so that every thread generator reseeds its counter: a child must
// not continue the parent's sequence.
std::atomic<uint64_t> g_fork_generation{0};

void on_fork_child() {
    g_fork_generation.fetch_add(1, std::memory_order_relaxed);
}

struct TuidGenerator {
    uint64_t last_time_ns = 0;
    uint64_t inc = random_u64() >> 1;  // leaves room to count up without wrapping
    uint64_t fork_generation = g_fork_generation.load(std::memory_order_relaxed);
    FastWallClock clock;  // a row id per log call: the system clock would be a third of it

    TuidGenerator() {
        static const bool registered = [] {
            return pthread_atfork(nullptr, nullptr, on_fork_child) == 0;
        }();
        (void)registered;
    }

    Tuid next() {
        const uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
        if (generation != fork_generation) {
            fork_generation = generation;
            inc = random_u64() >> 1;
        }
        const auto now = static_cast<uint64_t>(clock.now());
        // The clock may stand still or step back; ids stay increasing because time never
        // decreases here and the counter always moves.
        if (now > last_time_ns) last_time_ns = now;
        return Tuid{last_time_ns, ++inc};
    }
};

}  // namespace

Tuid Tuid::make() {
    thread_local TuidGenerator generator;
    return generator.next();
}

std::string Tuid::to_string() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(32, '0');
    for (int i = 0; i < 16; ++i) {
        out[15 - i] = kHex[(time_ns >> (4 * i)) & 15];
        out[31 - i] = kHex[(inc >> (4 * i)) & 15];
    }
    return out;
}

}  // namespace rerun::core
