// Internal: XXH3-64 (seed 0), the frame checksum, dispatched at run time to an AVX2 build of
// xxHash where the CPU has it (twice the speed of the distribution's SSE2 library). The result
// is the same value either way.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rerun::core::detail {

uint64_t hash64(const void* data, size_t size);

// Incremental XXH3-64 over consecutive pieces; equal to hash64 of their concatenation.
class StreamingHash {
  public:
    StreamingHash();
    void reset();
    void update(const void* data, size_t size);
    uint64_t digest() const;

  private:
    alignas(64) unsigned char state_[640];
};

}  // namespace rerun::core::detail
