#include "rerun/core/time.hpp"

#include <chrono>

namespace rerun::core {

bool is_valid_time_type(uint8_t value) {
    return value >= 1 && value <= 3;
}

std::string_view time_type_name(TimeType type) {
    switch (type) {
        case TimeType::Sequence:
            return "sequence";
        case TimeType::Duration:
            return "duration";
        case TimeType::Timestamp:
            return "timestamp";
    }
    return "unknown";
}

TimeInt now_nanos_since_epoch() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace rerun::core
