// Buffer: immutable, shared, contiguous bytes. Columns of a chunk are Buffers, so a decoded chunk
// can point straight into the frame it came from (no copy), and a column built from a std::vector
// keeps that vector alive without copying it.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

namespace rerun::core {

class Buffer {
  public:
    Buffer() = default;

    // Shares `owner`; `data` must stay valid as long as `owner` lives.
    Buffer(std::shared_ptr<const void> owner, const uint8_t* data, size_t size)
        : owner_(std::move(owner)), data_(data), size_(size) {}

    // A copy in new storage (8-byte aligned, not zero-filled first).
    static Buffer copy_of(const void* data, size_t size) {
        std::shared_ptr<uint8_t[]> bytes(new uint8_t[size == 0 ? 1 : size]);
        if (size != 0) std::memcpy(bytes.get(), data, size);
        const uint8_t* begin = bytes.get();
        return Buffer(std::move(bytes), begin, size);
    }

    // Takes ownership of the vector's storage; no element is copied.
    template <class T>
    static Buffer from_vector(std::vector<T>&& values) {
        auto owner = std::make_shared<std::vector<T>>(std::move(values));
        const auto* data = reinterpret_cast<const uint8_t*>(owner->data());
        const size_t size = owner->size() * sizeof(T);
        return Buffer(std::move(owner), data, size);
    }

    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    std::span<const uint8_t> bytes() const { return {data_, size_}; }

    // A view of part of this buffer, sharing its owner. Caller guarantees offset + size <= size().
    Buffer slice(size_t offset, size_t size) const {
        assert(offset <= size_ && size <= size_ - offset);
        return Buffer(owner_, data_ + offset, size);
    }

    // Reinterprets the bytes as T. Requires size() % sizeof(T) == 0 and suitable alignment, which
    // the codec and from_vector guarantee for the column types they produce.
    template <class T>
    std::span<const T> as_span() const {
        assert(size_ % sizeof(T) == 0);
        assert(reinterpret_cast<uintptr_t>(data_) % alignof(T) == 0 || size_ == 0);
        return {reinterpret_cast<const T*>(data_), size_ / sizeof(T)};
    }

  private:
    std::shared_ptr<const void> owner_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace rerun::core
