// Sizes written by people: "1048576", "384KiB", "10MB", "1.5 GiB". One parser for every flag and
// environment variable that takes a size (--memory-limit, --max-bytes, RERUN_FLUSH_NUM_BYTES, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rerun::core {

// Units, case-insensitive: none or B; kB/K, MB/M, GB/G, TB/T (powers of 1000); KiB, MiB, GiB, TiB
// (powers of 1024). Spaces are ignored. Returns nullopt for anything else, negative numbers, or
// more than 2^64 bytes.
std::optional<uint64_t> parse_byte_size(std::string_view text);

inline constexpr std::string_view kByteSizeUnits = "B, kB, MB, GB, TB, KiB, MiB, GiB or TiB";

}  // namespace rerun::core
