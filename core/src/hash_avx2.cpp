// Compiled with -mavx2 (see core/CMakeLists.txt); only called when the CPU supports AVX2.
#define HASH_IMPL_NS avx2
#include "hash_impl.inc"
