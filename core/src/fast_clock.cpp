#include "rerun/core/fast_clock.hpp"

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace rerun::core {

namespace {

#if defined(__x86_64__)
bool invariant_counter() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000007, &a, &b, &c, &d) && ((d >> 8) & 1) != 0;
}
uint64_t read_counter() {
    return __rdtsc();
}
#else
bool invariant_counter() {
    return false;
}
uint64_t read_counter() {
    return 0;
}
#endif

// A system clock reading and the counter at that moment. False when the thread was interrupted
// between the two counter reads that bracket it (the pairing would be imprecise).
bool paired_reading(uint64_t* counter, TimeInt* ns) {
    const uint64_t before = read_counter();
    *ns = now_nanos_since_epoch();
    const uint64_t after = read_counter();
    *counter = before + (after - before) / 2;
    return after - before < 10'000;  // ~3-5 us at today's rates
}

}  // namespace

bool FastWallClock::uses_counter() {
    static const bool usable = invariant_counter();
    return usable;
}

FastWallClock::FastWallClock() : counter_(uses_counter()) {
    if (!counter_) return;
    for (int attempt = 0; attempt < kMaxImprecisePairings; ++attempt) {
        if (paired_reading(&baseline_counter_, &baseline_ns_)) {
            anchor_counter_ = baseline_counter_;
            anchor_ns_ = baseline_ns_;
            return;
        }
    }
    counter_ = false;  // the system clock is too slow to pair with (a trapping clock source)
}

TimeInt FastWallClock::now() {
    if (!counter_) return now_nanos_since_epoch();
    const uint64_t counter = read_counter();
    if (ns_per_tick_ == 0 || counter >= next_anchor_ || counter < anchor_counter_) return anchor();
    return anchor_ns_ + TimeInt(double(counter - anchor_counter_) * ns_per_tick_);
}

TimeInt FastWallClock::anchor() {
    uint64_t at = 0;
    TimeInt ns = 0;
    if (!paired_reading(&at, &ns)) {
        if (++imprecise_ >= kMaxImprecisePairings) counter_ = false;  // as in the constructor
        return ns;
    }
    imprecise_ = 0;
    const TimeInt baseline = ns - baseline_ns_;
    if (at > baseline_counter_ && baseline >= kMinBaselineNs) {
        const double rate = double(baseline) / double(at - baseline_counter_);
        const auto near = [](double a, double b) { return a > b * 0.999 && a < b * 1.001; };
        // A rate far from the last one means the system clock stepped within the baseline:
        // keep the last rate and measure afresh from here. Three such rates in a row that agree
        // with each other mean the last rate was the wrong one. Never a rate outside
        // 10 MHz .. 100 GHz.
        bool plausible = false;
        if (rate > 0.01 && rate < 100.0) {
            if (ns_per_tick_ == 0 || near(rate, ns_per_tick_)) {
                plausible = true;
            } else {
                rejected_ = rejected_ != 0 && near(rate, rejected_rate_) ? rejected_ + 1 : 1;
                rejected_rate_ = rate;
                plausible = rejected_ >= 3;
            }
        }
        if (plausible) {
            ns_per_tick_ = rate;
            rejected_ = 0;
        }
        if (!plausible || baseline >= kBaselineNs) {
            baseline_counter_ = at;
            baseline_ns_ = ns;
        }
    } else if (at <= baseline_counter_ || baseline < 0) {
        baseline_counter_ = at;  // the clock stepped back, or the counter did: start over
        baseline_ns_ = ns;
    }
    anchor_counter_ = at;
    anchor_ns_ = ns;
    if (ns_per_tick_ != 0) next_anchor_ = at + uint64_t(double(kAnchorNs) / ns_per_tick_);
    return ns;
}

}  // namespace rerun::core
