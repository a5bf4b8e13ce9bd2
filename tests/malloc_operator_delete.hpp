// The global operator delete (unaligned forms) over std::free, for a test executable that
// replaces operator new with versions over std::malloc (to watch or to fail allocations).
// Include it in exactly one source file of that executable; aligned forms are that file's own.
#pragma once

#include <cstddef>
#include <cstdlib>

void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
    std::free(p);
}
