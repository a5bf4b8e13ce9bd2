// TUID: time-ordered unique 128-bit ids, used for row ids and chunk ids.
// High 64 bits: nanoseconds since the epoch when created. Low 64 bits: a counter that starts at a
// random value per thread and increments, so ids from one thread are strictly increasing even when
// the clock does not move, and ids from different threads or processes do not collide.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace rerun::core {

struct Tuid {
    uint64_t time_ns = 0;
    uint64_t inc = 0;

    // A new id, strictly greater than the previous one made on this thread. No lock, no syscall
    // beyond reading the clock.
    static Tuid make();

    auto operator<=>(const Tuid&) const = default;
    bool is_null() const { return time_ns == 0 && inc == 0; }
    std::string to_string() const;  // 32 hex digits
};
static_assert(sizeof(Tuid) == 16);

}  // namespace rerun::core
