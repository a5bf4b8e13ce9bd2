// A stand-in fuzz target for the replay's own test: an input starting with "trap" traps, one
// starting with "abort" aborts, anything else passes. Shows that fuzz_replay_* report a crashing
// input by name, count it, and fail.
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size >= 4 && std::memcmp(data, "trap", 4) == 0) __builtin_trap();
    if (size >= 5 && std::memcmp(data, "abort", 5) == 0) std::abort();
    return 0;
}
