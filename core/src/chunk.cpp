#include "rerun/core/chunk.hpp"

#include <algorithm>
#include <set>

namespace rerun::core {

bool TimeColumn::is_sorted() const {
    const auto v = values();
    return std::is_sorted(v.begin(), v.end());
}

std::pair<TimeInt, TimeInt> TimeColumn::range() const {
    const auto v = values();
    if (v.empty()) return {kTimeMax, kTimeMin};
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return {*lo, *hi};
}

const TimeColumn* Chunk::find_timeline(std::string_view name) const {
    for (const auto& t : timelines) {
        if (t.timeline.name == name) return &t;
    }
    return nullptr;
}

const ComponentColumn* Chunk::find_component(std::string_view component) const {
    for (const auto& c : components) {
        if (c.descriptor.component == component) return &c;
    }
    return nullptr;
}

std::string Chunk::validate() const {
    if (row_ids.size() != num_rows * sizeof(Tuid)) {
        return "row ids: " + std::to_string(row_ids.size()) + " bytes for " +
               std::to_string(num_rows) + " rows";
    }
    if (is_static && !timelines.empty()) return "a static chunk has timelines";
    std::set<std::string_view> names;
    for (const auto& t : timelines) {
        if (t.timeline.name.empty()) return "a timeline with an empty name";
        if (!is_valid_time_type(uint8_t(t.timeline.type))) {
            return "timeline \"" + t.timeline.name + "\": invalid time type";
        }
        if (!names.insert(t.timeline.name).second) {
            return "timeline \"" + t.timeline.name + "\" appears twice";
        }
        if (t.times.size() != num_rows * sizeof(TimeInt)) {
            return "timeline \"" + t.timeline.name + "\": " + std::to_string(t.times.size()) +
                   " bytes for " + std::to_string(num_rows) + " rows";
        }
    }
    names.clear();
    for (const auto& c : components) {
        if (c.num_rows != num_rows) {
            return "component \"" + c.descriptor.component + "\" has " +
                   std::to_string(c.num_rows) + " rows, the chunk " + std::to_string(num_rows);
        }
        if (auto err = c.validate(); !err.empty()) return err;
        if (!names.insert(c.descriptor.component).second) {
            return "component \"" + c.descriptor.component + "\" appears twice";
        }
    }
    return {};
}

size_t Chunk::byte_size() const {
    size_t size = row_ids.size();
    for (const auto& t : timelines)
        size += t.times.size();
    for (const auto& c : components)
        size += c.byte_size();
    return size;
}

}  // namespace rerun::core
