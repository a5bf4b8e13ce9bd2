#include "hash.hpp"

namespace rerun::core::detail {

#define DECLARE_HASH_IMPL(NS)                                \
    namespace NS {                                           \
    uint64_t hash64(const void* data, size_t size);          \
    void reset(void* state);                                 \
    void update(void* state, const void* data, size_t size); \
    uint64_t digest(const void* state);                      \
    }
DECLARE_HASH_IMPL(generic)
DECLARE_HASH_IMPL(avx2)
#undef DECLARE_HASH_IMPL

namespace {

struct HashImpl {
    uint64_t (*hash64)(const void*, size_t);
    void (*reset)(void*);
    void (*update)(void*, const void*, size_t);
    uint64_t (*digest)(const void*);
};

const HashImpl& impl() {
    static const HashImpl chosen =
        __builtin_cpu_supports("avx2")
            ? HashImpl{avx2::hash64, avx2::reset, avx2::update, avx2::digest}
            : HashImpl{generic::hash64, generic::reset, generic::update, generic::digest};
    return chosen;
}

}  // namespace

uint64_t hash64(const void* data, size_t size) {
    return impl().hash64(data, size);
}

StreamingHash::StreamingHash() {
    reset();
}
void StreamingHash::reset() {
    impl().reset(state_);
}
void StreamingHash::update(const void* data, size_t size) {
    impl().update(state_, data, size);
}
uint64_t StreamingHash::digest() const {
    return impl().digest(state_);
}

}  // namespace rerun::core::detail
