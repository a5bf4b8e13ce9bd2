// Text for the UI: times in a timeline's units, component values, rates. No ImGui.
#pragma once

#include <cstdint>
#include <string>

#include "data_access.hpp"

namespace rerun::viewer {

// "#42" for sequences, "1.250 s" for durations, "2026-11-22 01:02:03.125" (UTC) for timestamps.
std::string format_time(core::TimeType type, TimeInt value);
// A short preview of a component row: "[1, 2, 3]", "3 x f32x3: [0.1, 0.2, 0.3], ...", the text.
std::string format_row(const ComponentRow& row, size_t max_instances = 4);
// "0xFF8800FF" colours as "#ff8800".
std::string format_color(uint32_t rgba);
std::string format_bytes(uint64_t bytes);
std::string format_count(uint64_t count);  // "1.2M", "34k", "999"
std::string format_rate(double per_second, const char* unit);

}  // namespace rerun::viewer
