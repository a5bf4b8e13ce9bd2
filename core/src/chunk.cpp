#include "rerun/core/chunk.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace rerun::core {

namespace {

// The first name that appears twice, or "". Pairwise for the usual handful of columns, sorted
// for many (a hostile chunk may carry 65536).
template <class Range, class Name>
std::string first_duplicate(const Range& columns, Name name_of) {
    if (columns.size() <= 16) {
        for (size_t i = 0; i < columns.size(); ++i) {
            for (size_t j = i + 1; j < columns.size(); ++j) {
                if (name_of(columns[i]) == name_of(columns[j]))
                    return std::string(name_of(columns[i]));
            }
        }
        return {};
    }
    std::vector<std::string_view> names;
    names.reserve(columns.size());
    for (const auto& c : columns)
        names.push_back(name_of(c));
    std::sort(names.begin(), names.end());
    const auto dup = std::adjacent_find(names.begin(), names.end());
    return dup == names.end() ? std::string() : std::string(*dup);
}

}  // namespace

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
    for (const auto& t : timelines) {
        if (t.timeline.name.empty()) return "a timeline with an empty name";
        if (!is_valid_time_type(uint8_t(t.timeline.type))) {
            return "timeline \"" + t.timeline.name + "\": invalid time type";
        }
        if (t.times.size() != num_rows * sizeof(TimeInt)) {
            return "timeline \"" + t.timeline.name + "\": " + std::to_string(t.times.size()) +
                   " bytes for " + std::to_string(num_rows) + " rows";
        }
    }
    for (const auto& c : components) {
        if (c.num_rows != num_rows) {
            return "component \"" + c.descriptor.component + "\" has " +
                   std::to_string(c.num_rows) + " rows, the chunk " + std::to_string(num_rows);
        }
        if (auto err = c.validate(); !err.empty()) return err;
    }
    auto timeline_name = [](const TimeColumn& t) -> std::string_view { return t.timeline.name; };
    if (auto dup = first_duplicate(timelines, timeline_name); !dup.empty()) {
        return "timeline \"" + dup + "\" appears twice";
    }
    auto component_name = [](const ComponentColumn& c) -> std::string_view {
        return c.descriptor.component;
    };
    if (auto dup = first_duplicate(components, component_name); !dup.empty()) {
        return "component \"" + dup + "\" appears twice";
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
