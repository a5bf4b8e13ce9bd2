// A wall clock for hot paths (row ids and with them log_time, read once per log call):
// nanoseconds since the Unix epoch, like now_nanos_since_epoch(), at a fraction of its cost.
//
// Where the CPU has an invariant time-stamp counter (x86-64, CPUID 0x80000007 EDX bit 8), now()
// reads the counter and converts it: the offset is re-anchored on the system clock every
// kAnchorNs, and the counter's rate is measured over a baseline of kMinBaselineNs to kBaselineNs
// (a rate more than 0.1% off the last one means the system clock stepped: it is dropped, unless
// three in a row agree on it). In between, the error is the rate's error times the time since
// the anchor plus the jitter of pairing a counter reading with a clock reading (a microsecond
// or two at most; under 100 ns measured). At a re-anchor the value can step back by that much
// (callers needing monotonic values keep their own guard, as Tuid does). A step of the system clock
// (settimeofday, NTP) shows within kAnchorNs. Elsewhere, until the first baseline is long
// enough, and where the system clock is too slow to pair with a counter reading, now() reads
// the system clock. One instance per thread: it is not thread-safe.
#pragma once

#include <cstdint>

#include "rerun/core/time.hpp"

namespace rerun::core {

class FastWallClock {
  public:
    static constexpr TimeInt kAnchorNs = 1'000'000;        // 1 ms
    static constexpr TimeInt kMinBaselineNs = 10'000'000;  // before this, the system clock
    static constexpr TimeInt kBaselineNs = 1'000'000'000;  // then a fresh baseline
    // Pairings in a row that took too long (the system clock traps, or the thread keeps being
    // interrupted) after which the counter is given up for the system clock.
    static constexpr int kMaxImprecisePairings = 64;

    FastWallClock();
    TimeInt now();
    // Whether this machine's counter is used (false: every now() reads the system clock).
    static bool uses_counter();

  private:
    // Re-anchors on the system clock (and measures the rate); returns the system clock's time.
    TimeInt anchor();

    bool counter_ = false;
    double ns_per_tick_ = 0;       // 0 until the first baseline is long enough
    uint64_t next_anchor_ = 0;     // counter value at which to re-anchor
    uint64_t anchor_counter_ = 0;  // the offset's anchor
    TimeInt anchor_ns_ = 0;
    uint64_t baseline_counter_ = 0;  // where the rate is measured from
    TimeInt baseline_ns_ = 0;
    int rejected_ = 0;          // rates in a row more than 0.1% from ns_per_tick_, agreeing
    double rejected_rate_ = 0;  // the last of them
    int imprecise_ = 0;         // pairings in a row that were interrupted
};

}  // namespace rerun::core
