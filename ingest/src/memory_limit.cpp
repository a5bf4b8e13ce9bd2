#include "rerun/ingest/memory_limit.hpp"

#include "rerun/core/byte_size.hpp"

#include <unistd.h>

#include <cctype>
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
    std::string_view s = text;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    if (s.empty()) return fail("empty");
    if (s.back() == '%') {
        const std::string number(s.substr(0, s.size() - 1));
        char* end = nullptr;
        const double value = std::strtod(number.c_str(), &end);
        if (number.empty() || end != number.c_str() + number.size() || !(value > 0) ||
            value > 100) {
            return fail("a percentage must be in (0, 100]");
        }
        const uint64_t ram = physical_memory_bytes();
        if (ram == 0) return fail("cannot read the physical memory size");
        return uint64_t(double(ram) * value / 100.0);
    }
    const auto bytes = core::parse_byte_size(s);
    if (!bytes) {
        const bool starts_with_number =
            std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.';
        return fail(std::string(starts_with_number ? "unknown unit" : "not a number") +
                    "; expected a size such as 2GB or 512MiB (units " +
                    std::string(core::kByteSizeUnits) + ") or a percentage such as 50%");
    }
    if (*bytes < 1) return fail("out of range");
    return bytes;
}

}  // namespace rerun::ingest
