// Internal: little-endian writers and a bounds-checked reader for frame payloads.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "rerun/core/buffer.hpp"

namespace rerun::core::detail {

static_assert(std::endian::native == std::endian::little,
              "the codec copies numbers as they are in memory: little-endian hosts only");

inline constexpr size_t align_up(size_t value, size_t alignment) {
    return (value + alignment - 1) / alignment * alignment;
}

// Counts the bytes a payload takes; same interface as ByteWriter so one function computes the
// size and writes.
class ByteCounter {
  public:
    template <class T>
    void put(const T&) {
        size_ += sizeof(T);
    }
    void put_bytes(const void*, size_t n) { size_ += n; }
    void put_string(std::string_view s) { size_ += sizeof(uint32_t) + s.size(); }
    void pad_to(size_t alignment) { size_ = align_up(size_, alignment); }
    size_t size() const { return size_; }

  private:
    size_t size_ = 0;
};

// Writes into memory that the caller sized with ByteCounter.
class ByteWriter {
  public:
    explicit ByteWriter(uint8_t* out) : begin_(out), out_(out) {}

    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        std::memcpy(out_, &value, sizeof(T));
        out_ += sizeof(T);
    }
    void put_bytes(const void* data, size_t n) {
        if (n != 0) std::memcpy(out_, data, n);
        out_ += n;
    }
    void put_string(std::string_view s) {
        put(uint32_t(s.size()));
        put_bytes(s.data(), s.size());
    }
    void pad_to(size_t alignment) {
        const size_t at = size_t(out_ - begin_);
        const size_t pad = align_up(at, alignment) - at;
        std::memset(out_, 0, pad);
        out_ += pad;
    }
    size_t size() const { return size_t(out_ - begin_); }

  protected:
    uint8_t* cursor() const { return out_; }

  private:
    uint8_t* begin_;
    uint8_t* out_;
};

// Reads a payload; every read checks the remaining length first and fails (returns false) instead
// of reading past the end. Offsets for alignment are relative to the payload start.
class ByteReader {
  public:
    explicit ByteReader(const Buffer& payload) : payload_(payload) {}

    template <class T>
    bool get(T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        if (remaining() < sizeof(T)) return false;
        std::memcpy(&value, payload_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return true;
    }
    bool get_string(std::string& value, uint32_t max_len) {
        uint32_t len = 0;
        if (!get(len) || len > max_len || remaining() < len) return false;
        value.assign(reinterpret_cast<const char*>(payload_.data()) + pos_, len);
        pos_ += len;
        return true;
    }
    bool skip_to_alignment(size_t alignment) {
        const size_t aligned = align_up(pos_, alignment);
        if (aligned > payload_.size()) return false;
        pos_ = aligned;
        return true;
    }
    // A view of the next n bytes, sharing the payload (no copy).
    bool get_buffer(uint64_t n, Buffer& out) {
        if (remaining() < n) return false;
        out = payload_.slice(pos_, size_t(n));
        pos_ += size_t(n);
        return true;
    }
    size_t remaining() const { return payload_.size() - pos_; }
    size_t position() const { return pos_; }

  private:
    const Buffer& payload_;
    size_t pos_ = 0;
};

}  // namespace rerun::core::detail
