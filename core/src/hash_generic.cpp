#define HASH_IMPL_NS generic
#include "hash_impl.inc"
