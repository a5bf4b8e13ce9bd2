#include "rerun/ingest/memory_limit.hpp"

#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace rerun::ingest {

uint64_t physical_memory_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long page_size = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    uint64_t bytes = uint64_t(pages) * uint64_t(page_size);
    // In a container the cgroup's limit is the memory there is ("max" when unlimited).
    for (const char* path :
         {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
        std::ifstream in(path);
        std::string text;
        if (!(in >> text) || text == "max") continue;
        const uint64_t limit = std::strtoull(text.c_str(), nullptr, 10);
        if (limit > 0 && limit < bytes) bytes = limit;
    }
    return bytes;
}

std::optional<uint64_t> parse_memory_limit(std::string_view text, std::string* error) {
    auto fail = [&](std::string why) -> std::optional<uint64_t> {
        if (error) *error = "invalid memory limit \"" + std::string(text) + "\": " + why;
        return std::nullopt;
    };
    std::string s;
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) s += char(std::tolower(c));
    }
    if (s.empty()) return fail("empty");
    size_t num_end = 0;
    while (num_end < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[num_end])) || s[num_end] == '.'))
        ++num_end;
    if (num_end == 0) return fail("expected a number, e.g. 2GB or 50%");
    char* end = nullptr;
    const std::string number = s.substr(0, num_end);
    const double value = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(value)) return fail("bad number");
    const std::string unit = s.substr(num_end);
    double factor = 0;
    if (unit == "%") {
        if (value <= 0 || value > 100) return fail("a percentage must be in (0, 100]");
        const uint64_t ram = physical_memory_bytes();
        if (ram == 0) return fail("cannot read the physical memory size");
        return uint64_t(double(ram) * value / 100.0);
    }
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
        return fail("unknown unit \"" + unit +
                    "\" (use B, kB, MB, GB, TB, KiB, MiB, GiB, TiB or %)");
    const double bytes = value * factor;
    if (bytes < 1 || bytes > 1.8e19) return fail("out of range");
    return uint64_t(bytes);
}

}  // namespace rerun::ingest
