// Parsing of --memory-limit values: "2GB", "512MiB", "1.5 GB", "100000000" (bytes), "50%" (of
// physical memory).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rerun::ingest {

// Units: B, kB/KB, MB, GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024); case
// insensitive. Returns nullopt and sets *error for anything else or for 0%/over 100%.
std::optional<uint64_t> parse_memory_limit(std::string_view text, std::string* error = nullptr);
// Physical memory, or the cgroup (container) limit when that is smaller.
uint64_t physical_memory_bytes();

}  // namespace rerun::ingest
