// Fuzz target: the blueprint loader (.rbl bytes). A blueprint that loads re-encodes and loads
// back equal.
#include "rerun/blueprint/blueprint_store.hpp"

using namespace rerun::blueprint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string error;
    const auto bp = decode_rbl({data, size}, &error);
    if (!bp) return 0;
    const auto again = decode_rbl(encode_rbl(*bp, "fuzz"), &error);
    if (!again || !(*again == *bp)) __builtin_trap();
    return 0;
}
