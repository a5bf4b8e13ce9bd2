// Timelines and time values. A recording has any number of timelines; each row of a chunk has one
// value per timeline the chunk carries. All values are int64: a sequence number, or nanoseconds for
// durations and timestamps (nanoseconds since the Unix epoch).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace rerun::core {

using TimeInt = int64_t;

enum class TimeType : uint8_t {
    Sequence = 1,   // frame numbers, ticks
    Duration = 2,   // nanoseconds since some start
    Timestamp = 3,  // nanoseconds since the Unix epoch
};

bool is_valid_time_type(uint8_t value);
std::string_view time_type_name(TimeType type);

struct Timeline {
    std::string name;
    TimeType type = TimeType::Sequence;

    bool operator==(const Timeline&) const = default;
};

// The timeline the SDK fills in automatically for every row.
inline constexpr std::string_view kLogTimeTimeline = "log_time";

// Used where a query means "before anything" / "after everything".
inline constexpr TimeInt kTimeMin = std::numeric_limits<TimeInt>::min();
inline constexpr TimeInt kTimeMax = std::numeric_limits<TimeInt>::max();

// Current wall-clock time in nanoseconds since the Unix epoch.
TimeInt now_nanos_since_epoch();

}  // namespace rerun::core
