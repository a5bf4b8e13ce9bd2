// rerun::Collection<T>: an immutable batch of T that either borrows its elements (no copy) or
// owns them (shared, so copying a Collection never copies elements).
//
// Which one you get:
//   - an lvalue std::vector<T>, std::array<T, N>, C array, std::span<const T>: borrowed. The
//     data must outlive the Collection (and any archetype holding it). Logging copies what it
//     needs before log() returns, so `rec.log("p", rerun::Points3D(points))` is always safe.
//   - an rvalue std::vector<T>: moved in, owned, no element copied. Large owned batches are
//     handed to the batcher without any copy at all.
//   - a single value, an initializer list, or a range of something convertible to T: copied
//     (a single value is stored inline, without a heap allocation).
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace rerun {

template <class R, class T>
concept ConvertibleRangeOf =
    std::ranges::input_range<R> && std::is_convertible_v<std::ranges::range_reference_t<R>, T>;

template <class R, class T>
concept ContiguousRangeOf = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    std::is_same_v<std::remove_cv_t<std::ranges::range_value_t<R>>, T>;

template <class T>
class Collection {
  public:
    using value_type = T;

    Collection() = default;

    // One value, stored inline.
    template <class U>
    requires(std::is_constructible_v<T, U&&> && !ConvertibleRangeOf<U, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, Collection>) Collection(U&& single) {
        if constexpr (kInline) {
            single_.emplace(std::forward<U>(single));
            ptr_ = &*single_;
            size_ = 1;
        } else {
            std::vector<T> values;
            values.emplace_back(std::forward<U>(single));
            adopt(std::move(values));
        }
    }

    // A one-element list of a trivially copyable type is stored inline, like a single value.
    Collection(std::initializer_list<T> values) {
        if constexpr (kInline) {
            if (values.size() == 1) {
                single_.emplace(*values.begin());
                ptr_ = &*single_;
                size_ = 1;
                return;
            }
        }
        adopt(std::vector<T>(values));
    }

    // A moved-in vector: owned, no copy.
    Collection(std::vector<T>&& values) { adopt(std::move(values)); }

    // Contiguous ranges of T that are lvalues (or views such as std::span): borrowed.
    template <class R>
    requires(ContiguousRangeOf<R, T>&& std::ranges::borrowed_range<R> &&
             !std::is_same_v<std::remove_cvref_t<R>, Collection>) Collection(R&& range)
        : ptr_(std::ranges::data(range)), size_(std::ranges::size(range)) {}

    // Anything else that yields values convertible to T: copied (converted) into owned storage.
    template <class R>
    requires(ConvertibleRangeOf<R, T> &&
             !(ContiguousRangeOf<R, T> &&
               std::ranges::borrowed_range<R>)&&!std::is_same_v<std::remove_cvref_t<R>,
                                                                std::vector<T>> &&
             !std::is_same_v<std::remove_cvref_t<R>, Collection>) Collection(R&& range) {
        std::vector<T> values;
        if constexpr (std::ranges::sized_range<R>) values.reserve(std::ranges::size(range));
        for (auto&& v : range)
            values.emplace_back(T(v));
        adopt(std::move(values));
    }

    static Collection borrow(const T* data, size_t num_instances) {
        Collection c;
        c.ptr_ = data;
        c.size_ = num_instances;
        return c;
    }
    static Collection take_ownership(std::vector<T>&& values) {
        Collection c;
        c.adopt(std::move(values));
        return c;
    }
    static Collection take_ownership(T&& value) { return Collection(std::move(value)); }
    // Elements kept alive by `owner` (any shared object that owns them).
    static Collection shared(const T* data, size_t num_instances,
                             std::shared_ptr<const void> owner) {
        Collection c;
        c.ptr_ = data;
        c.size_ = num_instances;
        c.owner_ = std::move(owner);
        return c;
    }

    Collection(const Collection& other) { *this = other; }
    Collection(Collection&& other) noexcept { *this = std::move(other); }
    Collection& operator=(const Collection& other) {
        if (this == &other) return *this;
        owner_ = other.owner_;
        copy_single(other);
        size_ = other.size_;
        ptr_ = inline_ptr() ? inline_ptr() : other.ptr_;
        return *this;
    }
    Collection& operator=(Collection&& other) noexcept {
        if (this == &other) return *this;
        owner_ = std::move(other.owner_);
        copy_single(other);
        size_ = other.size_;
        ptr_ = inline_ptr() ? inline_ptr() : other.ptr_;
        other.ptr_ = nullptr;
        other.size_ = 0;
        other.single_ = {};
        return *this;
    }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T* data() const { return ptr_; }
    const T* begin() const { return ptr_; }
    const T* end() const { return ptr_ + size_; }
    const T& operator[](size_t i) const { return ptr_[i]; }
    std::span<const T> span() const { return {ptr_, size_}; }
    std::vector<T> to_vector() const { return std::vector<T>(begin(), end()); }

    // The shared owner of the elements, or null when borrowed or stored inline.
    const std::shared_ptr<const void>& owner() const { return owner_; }
    bool is_owned() const { return owner_ != nullptr || inline_ptr() != nullptr; }

  private:
    // Single values of trivially copyable types live inside the Collection (no allocation: the
    // hot path logs one scalar this way); other types go to the heap like any batch.
    static constexpr bool kInline = std::is_trivially_copyable_v<T>;
    struct NoInline {};
    using Single = std::conditional_t<kInline, std::optional<T>, NoInline>;

    const T* inline_ptr() const {
        if constexpr (kInline) {
            return single_ ? &*single_ : nullptr;
        } else {
            return nullptr;
        }
    }

    // The value alone, not the whole optional: its value and flag were just written by separate
    // stores, and a copy of both as one 16-byte load cannot take them from the store buffer; it
    // waits until every earlier store (the log call's queue writes) has reached the cache. That
    // stall was most of a log(Scalars) call.
    void copy_single(const Collection& other) {
        if constexpr (kInline) {
            if (other.single_)
                single_.emplace(*other.single_);
            else
                single_.reset();
        }
    }

    void adopt(std::vector<T>&& values) {
        auto owned = std::make_shared<const std::vector<T>>(std::move(values));
        ptr_ = owned->data();
        size_ = owned->size();
        owner_ = std::move(owned);
    }

    const T* ptr_ = nullptr;
    size_t size_ = 0;
    std::shared_ptr<const void> owner_;
    Single single_;
};

}  // namespace rerun
