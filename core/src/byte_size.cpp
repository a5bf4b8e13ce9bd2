#include "rerun/core/byte_size.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace rerun::core {

std::optional<uint64_t> parse_byte_size(std::string_view text) {
    std::string s;
    for (const char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c)))
            s.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    size_t digits = 0;
    while (digits < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[digits])) || s[digits] == '.'))
        ++digits;
    if (digits == 0) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + digits, value);
    if (ec != std::errc() || end != s.data() + digits) return std::nullopt;
    const std::string unit = s.substr(digits);
    double factor = 0;
    if (unit.empty() || unit == "b")
        factor = 1;
    else if (unit == "kb" || unit == "k")
        factor = 1e3;
    else if (unit == "mb" || unit == "m")
        factor = 1e6;
    else if (unit == "gb" || unit == "g")
        factor = 1e9;
    else if (unit == "tb" || unit == "t")
        factor = 1e12;
    else if (unit == "kib")
        factor = 1024.0;
    else if (unit == "mib")
        factor = 1024.0 * 1024;
    else if (unit == "gib")
        factor = 1024.0 * 1024 * 1024;
    else if (unit == "tib")
        factor = 1024.0 * 1024 * 1024 * 1024;
    else
        return std::nullopt;
    const double bytes = value * factor;
    if (!std::isfinite(bytes) || bytes < 0 || bytes > 1.8e19) return std::nullopt;
    return uint64_t(bytes);
}

}  // namespace rerun::core
