#include "format.hpp"

#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "rerun/ingest/log.hpp"

namespace rerun::viewer {

std::string format_time(core::TimeType type, TimeInt value) {
    char buf[64];
    if (value == core::kTimeMin) return "-inf";
    if (value == core::kTimeMax) return "+inf";
    switch (type) {
        case core::TimeType::Sequence:
            std::snprintf(buf, sizeof buf, "#%" PRId64, value);
            return buf;
        case core::TimeType::Duration:
            std::snprintf(buf, sizeof buf, "%.3f s", double(value) * 1e-9);
            return buf;
        case core::TimeType::Timestamp: {
            const std::time_t secs = std::time_t(value / 1'000'000'000);
            const int64_t ms = (value % 1'000'000'000) / 1'000'000;
            std::tm tm{};
            gmtime_r(&secs, &tm);
            char date[40];
            std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
            std::snprintf(buf, sizeof buf, "%s.%03d", date, int(ms < 0 ? -ms : ms));
            return buf;
        }
    }
    return std::to_string(value);
}

namespace {

template <class T>
void append_scalars(std::string& out, const ComponentRow& row, size_t max_instances) {
    const auto values = row.values<T>();
    const size_t w = row.type().width;
    const size_t n = std::min(row.size(), max_instances);
    for (size_t i = 0; i < n; ++i) {
        if (i) out += ", ";
        if (w > 1) out += '[';
        for (size_t k = 0; k < w; ++k) {
            if (k) out += ", ";
            char buf[48];
            if constexpr (std::is_floating_point_v<T>) {
                std::snprintf(buf, sizeof buf, "%.4g", double(values[i * w + k]));
            } else if constexpr (std::is_signed_v<T>) {
                std::snprintf(buf, sizeof buf, "%" PRId64, int64_t(values[i * w + k]));
            } else {
                std::snprintf(buf, sizeof buf, "%" PRIu64, uint64_t(values[i * w + k]));
            }
            out += buf;
        }
        if (w > 1) out += ']';
    }
}

}  // namespace

std::string format_row(const ComponentRow& row, size_t max_instances) {
    if (!row.column) return "-";
    std::string out;
    const auto& type = row.type();
    if (row.empty()) return "(empty)";
    if (type.kind == core::ElementKind::Utf8) {
        for (size_t i = 0; i < std::min(row.size(), max_instances); ++i) {
            if (i) out += ", ";
            auto s = row.string(i);
            if (s.size() > 200) s = s.substr(0, 200);
            out += row.size() > 1 ? "\"" + std::string(s) + "\"" : std::string(s);
        }
    } else if (type.kind == core::ElementKind::List) {
        for (size_t i = 0; i < std::min(row.size(), max_instances); ++i) {
            if (i) out += ", ";
            const auto [b, e] = row.column->list_range(row.begin + i);
            out += "list of " + std::to_string(e - b) + " x " +
                   std::string(core::scalar_type_name(type.scalar)) +
                   (type.width > 1 ? "x" + std::to_string(type.width) : "");
        }
    } else if (row.column->descriptor.component_type == core::component_types::Color.name) {
        const auto v = row.values<uint32_t>();
        for (size_t i = 0; i < std::min(row.size(), max_instances); ++i) {
            if (i) out += ", ";
            out += format_color(v[i]);
        }
    } else {
        switch (type.scalar) {
            case core::ScalarType::U8:
                append_scalars<uint8_t>(out, row, max_instances);
                break;
            case core::ScalarType::U16:
                append_scalars<uint16_t>(out, row, max_instances);
                break;
            case core::ScalarType::U32:
                append_scalars<uint32_t>(out, row, max_instances);
                break;
            case core::ScalarType::U64:
                append_scalars<uint64_t>(out, row, max_instances);
                break;
            case core::ScalarType::I8:
                append_scalars<int8_t>(out, row, max_instances);
                break;
            case core::ScalarType::I16:
                append_scalars<int16_t>(out, row, max_instances);
                break;
            case core::ScalarType::I32:
                append_scalars<int32_t>(out, row, max_instances);
                break;
            case core::ScalarType::I64:
                append_scalars<int64_t>(out, row, max_instances);
                break;
            case core::ScalarType::F32:
                append_scalars<float>(out, row, max_instances);
                break;
            case core::ScalarType::F64:
                append_scalars<double>(out, row, max_instances);
                break;
        }
    }
    if (row.size() > max_instances) {
        out += " ... (" + std::to_string(row.size()) + " instances)";
    }
    return out;
}

std::string format_color(uint32_t rgba) {
    char buf[16];
    if ((rgba & 0xff) == 0xff) {
        std::snprintf(buf, sizeof buf, "#%06x", rgba >> 8);
    } else {
        std::snprintf(buf, sizeof buf, "#%08x", rgba);
    }
    return buf;
}

std::string format_bytes(uint64_t bytes) {
    return ingest::format_bytes(bytes);
}

std::string format_count(uint64_t count) {
    char buf[32];
    if (count >= 10'000'000) {
        std::snprintf(buf, sizeof buf, "%.0fM", double(count) / 1e6);
    } else if (count >= 1'000'000) {
        std::snprintf(buf, sizeof buf, "%.1fM", double(count) / 1e6);
    } else if (count >= 10'000) {
        std::snprintf(buf, sizeof buf, "%.0fk", double(count) / 1e3);
    } else {
        std::snprintf(buf, sizeof buf, "%" PRIu64, count);
    }
    return buf;
}

std::string format_rate(double per_second, const char* unit) {
    char buf[48];
    if (per_second >= 1e9) {
        std::snprintf(buf, sizeof buf, "%.1f G%s/s", per_second / 1e9, unit);
    } else if (per_second >= 1e6) {
        std::snprintf(buf, sizeof buf, "%.1f M%s/s", per_second / 1e6, unit);
    } else if (per_second >= 1e3) {
        std::snprintf(buf, sizeof buf, "%.1f k%s/s", per_second / 1e3, unit);
    } else {
        std::snprintf(buf, sizeof buf, "%.0f %s/s", per_second, unit);
    }
    return buf;
}

}  // namespace rerun::viewer
