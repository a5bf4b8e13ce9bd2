// The hot path: log() and set_time_*() append records to the calling thread's queue.
//
// Nothing here locks, allocates or makes a syscall in the steady state: the thread's producer is
// found through a thread_local cache, names are interned per thread (the definition travels
// in-band, ahead of its first use), and records are written into a pre-allocated block whose
// `committed` offset is published with a release store.
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <thread>

#include "internal.hpp"
#include "rerun/core/tuid.hpp"

namespace rerun::detail {

namespace {

constexpr size_t align8(size_t n) {
    return (n + 7) & ~size_t(7);
}

// Fast path cache: trivially destructible, so access is a plain TLS load.
thread_local const StreamImpl* t_last_impl = nullptr;
thread_local uint64_t t_last_serial = 0;
thread_local Producer* t_last_producer = nullptr;

struct TlsEntry {
    const StreamImpl* impl = nullptr;
    uint64_t serial = 0;
    std::shared_ptr<Producer> producer;
};

// Owns this thread's producers; marks them exited when the thread ends so that the batcher can
// drop them once drained.
struct TlsProducers {
    std::vector<TlsEntry> entries;
    ~TlsProducers() {
        for (auto& e : entries)
            e.producer->thread_exited.store(true, std::memory_order_release);
        t_last_impl = nullptr;
        t_last_producer = nullptr;
    }
};
thread_local TlsProducers t_producers;

std::atomic<uint64_t> g_next_producer_id{1};

}  // namespace

Producer::~Producer() {
    Block* b = head;
    while (b != nullptr) {
        Block* next = b->next.load(std::memory_order_acquire);
        delete b;
        b = next;
    }
    for (Block* f : free_blocks)
        delete f;
}

// ---- block management --------------------------------------------------------------------------

namespace {

// Waits until `n` more bytes fit under RERUN_QUEUE_BYTES: at most Config::max_log_block_secs;
// once a wait has timed out, later calls fail at once until there is room again, so an overload
// costs one wait, not one per call. A payload larger than half the bound goes in once the queue
// holds at most half of it (other rows' blocks cannot starve it): the queue then holds at most
// half the bound plus that payload. False: drop.
bool wait_for_room(StreamImpl& impl, uint64_t n) {
    // After shutdown (process exit) nobody drains the queue: drop at once.
    if (impl.stopped.load(std::memory_order_relaxed)) return false;
    const uint64_t bound = impl.config.queue_bytes;
    const auto fits = [&impl, n, bound] {
        const uint64_t queued = impl.queued_bytes.load(std::memory_order_relaxed);
        return queued + n <= bound || (n > bound / 2 && queued <= bound / 2);
    };
    if (!fits()) {
        impl.wake();
        if (impl.queue_overloaded.load(std::memory_order_relaxed)) return false;
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::duration<double>(impl.config.max_log_block_secs);
        while (!fits()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                impl.queue_overloaded.store(true, std::memory_order_relaxed);
                return false;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
    }
    if (impl.queue_overloaded.load(std::memory_order_relaxed))
        impl.queue_overloaded.store(false, std::memory_order_relaxed);
    return true;
}

// Makes room for `n` bytes at p.tail + p.write_pos. Returns null when the stream's queue is over
// its bound for longer than Config::max_log_block_secs.
uint8_t* reserve_slow(StreamImpl& impl, Producer& p, size_t n) {
    const size_t cap = std::max(kBlockSize, n);
    Block* block = nullptr;
    if (cap == kBlockSize) {
        std::lock_guard lock(p.free_mu);
        if (!p.free_blocks.empty()) {
            block = p.free_blocks.back();
            p.free_blocks.pop_back();
        }
    }
    if (!wait_for_room(impl, cap)) {
        if (block != nullptr) {
            std::lock_guard lock(p.free_mu);
            p.free_blocks.push_back(block);
        }
        return nullptr;
    }
    if (block == nullptr) block = new Block(cap);
    impl.queued_bytes.fetch_add(block->capacity, std::memory_order_relaxed);
    // Publish the switch: the batcher sees `next` only after the final `committed`.
    p.tail->committed.store(p.write_pos, std::memory_order_release);
    p.tail->next.store(block, std::memory_order_release);
    p.tail = block;
    p.write_pos = 0;
    impl.wake();
    return block->data.get();
}

inline uint8_t* reserve(StreamImpl& impl, Producer& p, size_t n) {
    if (p.write_pos + n <= p.tail->capacity) [[likely]]
        return p.tail->data.get() + p.write_pos;
    return reserve_slow(impl, p, n);
}

// A log call reached a wake target (see count_row): disarms it (UINT64_MAX until the batcher
// sets the next one, so that the calls in between stay on the fast path) and wakes the batcher.
// A compare-exchange, as the batcher may be setting a new target at the same time: that one
// stays, and counts only if this call reached it too.
[[gnu::noinline]] void reached_wake_target(StreamImpl& impl, Producer& p, uint64_t rows,
                                           uint64_t bytes) {
    bool wake = false;
    const auto disarm = [&wake](std::atomic<uint64_t>& at, uint64_t count) {
        uint64_t target = at.load(std::memory_order_relaxed);
        while (count >= target) {
            if (at.compare_exchange_weak(target, UINT64_MAX, std::memory_order_relaxed)) {
                wake = true;
                return;
            }
        }
    };
    disarm(p.wake_rows_at, rows);
    disarm(p.wake_bytes_at, bytes);
    if (wake) impl.wake();
}

// Counts a committed row towards the flush thresholds, and wakes the batcher when it reaches a
// target the batcher set (RERUN_FLUSH_NUM_ROWS / RERUN_FLUSH_NUM_BYTES). In the steady state:
// two loads from a line the batcher writes once per drain, two compares.
inline void count_row(StreamImpl& impl, Producer& p, uint64_t flush_bytes) {
    const uint64_t rows = p.rows_logged.load(std::memory_order_relaxed) + 1;
    const uint64_t bytes = p.bytes_logged.load(std::memory_order_relaxed) + flush_bytes;
    p.rows_logged.store(rows, std::memory_order_relaxed);
    p.bytes_logged.store(bytes, std::memory_order_relaxed);
    const uint64_t rows_at = p.wake_rows_at.load(std::memory_order_relaxed);
    const uint64_t bytes_at = p.wake_bytes_at.load(std::memory_order_relaxed);
    if ((rows >= rows_at) | (bytes >= bytes_at)) [[unlikely]]
        reached_wake_target(impl, p, rows, bytes);
}

// PREFETCHW brings a line ready to be written; a read prefetch (what __builtin_prefetch(p, 1)
// becomes without -mprfchw) brings it shared, and the store still has to ask the other core for
// it. Used only where CPUID says the CPU has it (x86-64 from AMD since long ago, Intel since
// Broadwell; older Intel CPUs run the encoding as a no-op, but the CPUID bit is the documented
// test). Read once, during static initialisation (rows logged before that skip the prefetch).
constexpr size_t kPrefetchAhead = 512;  // bytes: ~6 rows of one scalar (256 and 1024 alike)
#if defined(__x86_64__)
bool cpu_has_prefetchw() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    return __get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx) != 0 && (ecx & (1u << 8)) != 0;
}
const bool g_has_prefetchw = cpu_has_prefetchw();
#endif
inline void prefetch_for_write(const uint8_t* at, size_t ahead) {
    // An address, not a pointer into the block: the line may lie past the block's end.
    const uintptr_t address = reinterpret_cast<uintptr_t>(at) + ahead;
#if defined(__x86_64__)
    if (g_has_prefetchw) asm volatile("prefetchw (%0)" : : "r"(address));
#else
    __builtin_prefetch(reinterpret_cast<const void*>(address), 1);
#endif
}

inline void commit(Producer& p, size_t n) {
    p.write_pos += n;
    p.tail->committed.store(p.write_pos, std::memory_order_release);
}

// Short names (entity paths, timelines) compared without a libc call.
inline bool same_bytes(const char* a, const char* b, size_t n) {
    while (n >= 8) {
        uint64_t x, y;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        if (x != y) return false;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n > 0) {
        if (*a++ != *b++) return false;
        --n;
    }
    return true;
}

template <class T>
inline void put(uint8_t*& at, const T& value) {
    std::memcpy(at, &value, sizeof(T));
    at += sizeof(T);
}

// Definition records: header | u32 id | u32 extra | u32 len | pad | bytes (padded).
bool write_definition(StreamImpl& impl, Producer& p, RecordKind kind, uint32_t id, uint32_t extra,
                      std::string_view text) {
    const size_t size = align8(sizeof(RecordHeader) + 16 + text.size());
    uint8_t* at = reserve(impl, p, size);
    if (at == nullptr) return false;
    uint8_t* w = at;
    put(w, RecordHeader{kind, uint32_t(size)});
    put(w, id);
    put(w, extra);
    put(w, uint32_t(text.size()));
    put(w, uint32_t(0));
    if (!text.empty()) std::memcpy(w, text.data(), text.size());
    commit(p, size);
    return true;
}

void copy_time_state(StreamImpl& impl, Producer& to, const Producer& from) {
    for (const auto& t : from.timelines) {
        TimelineState copy = t;
        copy.id = uint32_t(to.timelines.size());
        if (!write_definition(impl, to, RecordKind::DefineTimeline, copy.id, uint32_t(copy.type),
                              copy.name)) {
            return;
        }
        to.timelines.push_back(std::move(copy));
    }
    to.active_mask = from.active_mask;
}

}  // namespace

// ---- producer lookup ---------------------------------------------------------------------------

Producer* StreamImpl::producer() {
    const uint64_t s = serial.load(std::memory_order_relaxed);
    if (t_last_impl == this && t_last_serial == s) [[likely]]
        return t_last_producer;

    if (needs_restart) ensure_started();
    auto& entries = t_producers.entries;
    // Forget producers of streams that have shut down (their blocks are freed with them).
    std::erase_if(entries, [](const TlsEntry& e) { return e.producer->orphaned.load(); });
    const Producer* previous = nullptr;  // this thread's producer before a fork
    for (auto& e : entries) {
        if (e.impl != this) continue;
        if (e.serial == s) {
            t_last_impl = this;
            t_last_serial = s;
            t_last_producer = e.producer.get();
            return t_last_producer;
        }
        previous = e.producer.get();
    }
    // Everything that allocates comes before the producer is registered: on bad_alloc nothing
    // is left half done (the unregistered producer frees its block).
    auto p = std::make_shared<Producer>(g_next_producer_id.fetch_add(1));
    p->tail = new Block(kBlockSize);
    p->head = p->tail;
    if (previous != nullptr) copy_time_state(*this, *p, *previous);
    entries.reserve(entries.size() + 1);
    {
        std::lock_guard lock(producers_mu);
        producers.push_back(p);
    }
    queued_bytes.fetch_add(kBlockSize, std::memory_order_relaxed);
    // Forget entries of other incarnations of this stream (fork) to keep the list short.
    std::erase_if(entries, [this](const TlsEntry& e) { return e.impl == this; });
    entries.push_back(TlsEntry{this, s, p});  // cannot throw: reserved
    t_last_impl = this;
    t_last_serial = s;
    t_last_producer = p.get();
    return t_last_producer;
}

// ---- time --------------------------------------------------------------------------------------

namespace {

TimelineState* find_timeline(Producer& p, std::string_view name) {
    for (auto& t : p.timelines) {
        if (t.name.size() == name.size() && same_bytes(t.name.data(), name.data(), name.size()))
            return &t;
    }
    return nullptr;
}

// type 0: decide from the value (older set_time_nanos/seconds API).
TimelineState* define_timeline(StreamImpl& impl, Producer& p, std::string_view name, int type,
                               int64_t value) {
    if (p.timelines.size() >= 64) {
        report_error(Error(
            ErrorCode::InvalidTimeArgument,
            "at most 64 timelines per thread and stream; ignoring '" + std::string(name) + "'"));
        return nullptr;
    }
    core::TimeType tt;
    if (type == 0) {
        constexpr int64_t kEpochThresholdNs = 1'000'000'000LL * 1'000'000'000LL;
        tt = (value >= kEpochThresholdNs || value <= -kEpochThresholdNs) ? core::TimeType::Timestamp
                                                                         : core::TimeType::Duration;
    } else {
        tt = core::TimeType(type);
    }
    TimelineState t;
    t.name = std::string(name);
    t.type = tt;
    t.id = uint32_t(p.timelines.size());
    if (!write_definition(impl, p, RecordKind::DefineTimeline, t.id, uint32_t(tt), name)) {
        impl.rows_dropped.fetch_add(1, std::memory_order_relaxed);
        return nullptr;
    }
    p.timelines.push_back(std::move(t));
    return &p.timelines.back();
}

}  // namespace

void set_time(StreamImpl& impl, std::string_view name, int type, int64_t value) {
    Producer& p = *impl.producer();
    TimelineState* t = find_timeline(p, name);
    if (t == nullptr) [[unlikely]] {
        if (name.empty() || name == core::kLogTimeTimeline) {
            report_error(Error(ErrorCode::InvalidTimeArgument,
                               name.empty() ? "empty timeline name"
                                            : "the log_time timeline is set automatically"));
            return;
        }
        t = define_timeline(impl, p, name, type, value);
        if (t == nullptr) return;
    } else if (type != 0 && int(t->type) != type) [[unlikely]] {
        report_error(Error(ErrorCode::InvalidTimeArgument,
                           "timeline '" + t->name + "' is a " +
                               std::string(core::time_type_name(t->type)) +
                               " timeline; a value of another type was set on it"));
    }
    t->value = value;
    p.active_mask |= uint64_t(1) << t->id;
}

void disable_timeline(StreamImpl& impl, std::string_view name) {
    Producer& p = *impl.producer();
    if (TimelineState* t = find_timeline(p, name)) p.active_mask &= ~(uint64_t(1) << t->id);
}

void reset_time(StreamImpl& impl) {
    impl.producer()->active_mask = 0;
}

// ---- rows --------------------------------------------------------------------------------------

namespace {

uint32_t entity_id(StreamImpl& impl, Producer& p, std::string_view path, bool* ok) {
    if (p.has_last_entity && p.last_entity.size() == path.size() &&
        same_bytes(p.last_entity.data(), path.data(), path.size())) [[likely]]
        return p.last_entity_id;
    uint32_t id;
    // Heterogeneous lookup would avoid this string; the cache above makes it rare.
    std::string key(path);
    auto it = p.entities.find(key);
    if (it != p.entities.end()) {
        id = it->second;
    } else {
        id = uint32_t(p.entities.size());
        if (!write_definition(impl, p, RecordKind::DefineEntity, id, 0, path)) {
            *ok = false;
            return 0;
        }
        p.entities.emplace(key, id);
    }
    p.last_entity = std::move(key);
    p.last_entity_id = id;
    p.has_last_entity = true;
    return id;
}

uint32_t slot_id(StreamImpl& impl, Producer& p, const ComponentSlot* slot, size_t index, bool* ok) {
    const size_t c = index & 3;
    if (p.last_slots[c] == slot) [[likely]]
        return p.last_slot_ids[c];
    uint32_t id;
    auto it = p.slots.find(slot);
    if (it != p.slots.end()) {
        id = it->second;
    } else {
        id = uint32_t(p.slots.size());
        // The slot is a static object: its address is valid for the life of the process.
        const auto address = reinterpret_cast<uintptr_t>(slot);
        std::string_view bytes(reinterpret_cast<const char*>(&address), sizeof(address));
        if (!write_definition(impl, p, RecordKind::DefineSlot, id, 0, bytes)) {
            *ok = false;
            return 0;
        }
        p.slots.emplace(slot, id);
    }
    p.last_slots[c] = slot;
    p.last_slot_ids[c] = id;
    return id;
}

// Trivial on purpose: an array of them lives on the stack of every log call uninitialised.
struct BatchPlan {
    uint32_t slot;
    bool external;
    bool list;
    size_t element_size;
    size_t value_bytes;   // element bytes
    size_t inline_bytes;  // what this batch takes inside the record after its 24-byte header
};

// Writes batch `b`'s entry of a row record at `w` (the layout is above log_row) and returns
// where the next entry starts. A large borrowed batch of a fixed kind is lent, not copied (see
// CallerBorrow): `borrow` is created for the first. Throws std::bad_alloc with none of the
// entry's objects allocated or put (its 24-byte header may be written, and `borrow` created).
uint8_t* put_batch(uint8_t* w, const BatchRef& b, const BatchPlan& plan,
                   std::shared_ptr<CallerBorrow>& borrow) {
    const bool lend = plan.external && !plan.list && b.owner == nullptr &&
                      plan.value_bytes >= kCallerWaitMinBytes;
    put(w, plan.slot);
    put(w, uint32_t(b.num_instances));
    put(w, uint32_t(lend ? 3 : plan.external ? 1 : 0));
    put(w, uint32_t(0));
    put(w, uint64_t(plan.value_bytes));
    if (lend) {
        if (!borrow) borrow = std::make_shared<CallerBorrow>();
        // The record's own reference (the batcher deletes it): a revoked row outlives the call.
        auto reference = std::make_unique<std::shared_ptr<CallerBorrow>>(borrow);
        put(w, CallerBorrow::lend(borrow, {static_cast<const uint8_t*>(b.data), plan.value_bytes}));
        put(w, reference.release());
        return w;
    }
    if (plan.external) {
        std::unique_ptr<core::Buffer> values;
        std::unique_ptr<core::Buffer> offsets;
        if (!plan.list) {
            if (b.owner != nullptr) {
                // Owned by the user's Collection: share it, no copy.
                values = std::make_unique<core::Buffer>(
                    *b.owner, static_cast<const uint8_t*>(b.data), plan.value_bytes);
            } else {
                auto bytes = allocate_bytes(plan.value_bytes);
                copy_bytes(bytes.get(), static_cast<const uint8_t*>(b.data), plan.value_bytes);
                const uint8_t* data = bytes.get();
                values = std::make_unique<core::Buffer>(
                    std::shared_ptr<const void>(std::move(bytes)), data, plan.value_bytes);
            }
        } else {
            auto bytes = allocate_bytes(plan.value_bytes);
            std::vector<uint32_t> offs(b.num_instances + 1);
            size_t pos = 0;
            for (size_t k = 0; k < b.num_instances; ++k) {
                const auto inst = b.instance_bytes(b.data, k);
                offs[k] = uint32_t(pos / plan.element_size);
                if (!inst.empty()) std::memcpy(bytes.get() + pos, inst.data(), inst.size());
                pos += inst.size();
            }
            offs[b.num_instances] = uint32_t(pos / plan.element_size);
            const uint8_t* data = bytes.get();
            values = std::make_unique<core::Buffer>(std::shared_ptr<const void>(std::move(bytes)),
                                                    data, plan.value_bytes);
            offsets = std::make_unique<core::Buffer>(core::Buffer::from_vector(std::move(offs)));
        }
        put(w, values.release());
        put(w, offsets.release());
        return w;
    }
    if (plan.list) {
        uint8_t* offsets_at = w;
        w += align8((b.num_instances + 1) * 4);
        uint8_t* values_at = w;
        size_t pos = 0;
        for (size_t k = 0; k < b.num_instances; ++k) {
            const auto inst = b.instance_bytes(b.data, k);
            const uint32_t off = uint32_t(pos / plan.element_size);
            std::memcpy(offsets_at + 4 * k, &off, 4);
            if (!inst.empty()) std::memcpy(values_at + pos, inst.data(), inst.size());
            pos += inst.size();
        }
        const uint32_t end = uint32_t(pos / plan.element_size);
        std::memcpy(offsets_at + 4 * b.num_instances, &end, 4);
        w += align8(plan.value_bytes);
    } else {
        if (plan.value_bytes != 0) std::memcpy(w, b.data, plan.value_bytes);
        w += align8(plan.value_bytes);
    }
    return w;
}

// Frees what the first `count` entries of a row record that will not be committed hold (their
// external buffers and CallerBorrow references). `entries` is where the first entry starts.
void free_entries(const uint8_t* entries, size_t count, const BatchPlan* plans) noexcept {
    const uint8_t* e = entries;
    for (size_t i = 0; i < count; ++i) {
        uint32_t flags = 0;
        std::memcpy(&flags, e + 8, sizeof flags);
        if (flags == 1 || flags == 3) {
            void* first = nullptr;
            void* second = nullptr;
            std::memcpy(&first, e + 24, sizeof first);
            std::memcpy(&second, e + 32, sizeof second);
            delete static_cast<core::Buffer*>(first);
            if (flags == 1) {
                delete static_cast<core::Buffer*>(second);
            } else {
                delete static_cast<std::shared_ptr<CallerBorrow>*>(second);
            }
        }
        e += 24 + plans[i].inline_bytes;
    }
}

}  // namespace

// Component entry: u32 slot | u32 num_instances | u32 flags | u32 0 | u64 value_bytes
//   (flags 1: external; 3: external values that borrow the waiting caller's memory)
//   inline list: u32 list_offsets[n + 1] (padded to 8), values (padded to 8)
//   inline fixed: values (padded to 8)
//   external: core::Buffer* values, core::Buffer* list_offsets (null for fixed kinds)
//   borrowed (fixed kinds only): core::Buffer* values, std::shared_ptr<CallerBorrow>* (a
//   reference the batcher deletes, see CallerBorrow)
Error log_row(StreamImpl& impl, std::string_view entity_path, bool is_static,
              const BatchRef* batches, size_t num_batches) {
    Producer& p = *impl.producer();
    bool ok = true;
    const uint32_t entity = entity_id(impl, p, entity_path, &ok);

    constexpr size_t kMaxInline = 32;
    BatchPlan plans_inline[kMaxInline];  // NOLINT: filled below before use
    std::unique_ptr<BatchPlan[]> plans_heap;
    BatchPlan* plans = plans_inline;
    if (num_batches > kMaxInline) {
        plans_heap.reset(new BatchPlan[num_batches]);
        plans = plans_heap.get();
    }

    const uint64_t mask = is_static ? 0 : p.active_mask;
    // Counted by hand: without -mpopcnt, __builtin_popcountll is a library call.
    size_t num_times = 0;
    for (uint64_t m = mask; m != 0; m &= m - 1)
        ++num_times;
    size_t size = sizeof(RecordHeader) + 8 + 16 + num_times * 16;
    uint64_t external_bytes = 0;  // component data travelling as separate buffers
    // What the row counts towards RERUN_FLUSH_NUM_BYTES; the batcher counts the same (row id,
    // each time including log_time, component data).
    uint64_t flush_bytes = 16 + 8 * (num_times + (is_static ? 0 : 1));
    for (size_t i = 0; i < num_batches; ++i) {
        const BatchRef& b = batches[i];
        BatchPlan& plan = plans[i];
        plan.slot = slot_id(impl, p, b.slot, i, &ok);
        const auto type = b.slot->type->type;
        plan.element_size = type.element_size();
        plan.list = type.kind != core::ElementKind::Fixed;
        if (!plan.list) {
            plan.value_bytes = b.num_instances * b.stride;
        } else {
            size_t total = 0;
            for (size_t k = 0; k < b.num_instances; ++k)
                total += b.instance_bytes(b.data, k).size();
            plan.value_bytes = total;
        }
        flush_bytes += plan.value_bytes;
        plan.external = plan.value_bytes >= kExternalThreshold;
        if (plan.external) {
            external_bytes += plan.value_bytes;
            plan.inline_bytes = 16;
        } else {
            plan.inline_bytes =
                (plan.list ? align8((b.num_instances + 1) * 4) : 0) + align8(plan.value_bytes);
        }
        size += 24 + plan.inline_bytes;
    }
    if (!ok || size > UINT32_MAX) {
        // Made before the row is counted: a bad_alloc here is counted once, by log_batches.
        Error error(ErrorCode::OutOfMemory, "log: row too large or queue full");
        impl.rows_dropped.fetch_add(1, std::memory_order_relaxed);
        return error;
    }

    uint8_t* at = reserve(impl, p, size);
    // Separate buffers count against the bound as much as blocks do (the space reserved above
    // is simply not committed when the row is dropped).
    if (at != nullptr && external_bytes != 0) {
        if (wait_for_room(impl, external_bytes))
            impl.queued_bytes.fetch_add(external_bytes, std::memory_order_relaxed);
        else
            at = nullptr;
    }
    if (at == nullptr) {
        impl.rows_dropped.fetch_add(1, std::memory_order_relaxed);
        if (!impl.drop_reported.exchange(true)) {
            try {
                log_warning(
                    "the SDK's queue is full (the batcher cannot keep up); dropping rows. "
                    "stats().rows_dropped counts them.");
            } catch (const std::bad_alloc&) {
                impl.drop_reported.store(false);  // reported by a later drop instead
            }
        }
        return Error::ok();
    }
    // Asks for the queue line a few rows ahead now, ready to be written: the batcher on another
    // core last read it (blocks are recycled), and a store that has to fetch its line holds up
    // every store behind it (bench_sdk, one thread: ~195 -> ~110 ns per call).
    prefetch_for_write(at, kPrefetchAhead);
    // Set when a batch borrows this call's memory: the call then waits until it is released.
    std::shared_ptr<CallerBorrow> borrow;
    const core::Tuid row_id = core::Tuid::make();
    // Kept in registers: otherwise GCC spills the pair to the stack as two 8-byte stores and
    // reads it back as one 16-byte load, which cannot be served from the store buffer and waits
    // for every earlier store (the previous rows' queue writes) to reach the cache: measured as
    // most of this function's time.
    uint64_t row_time_ns = row_id.time_ns;
    uint64_t row_inc = row_id.inc;
    asm("" : "+r"(row_time_ns), "+r"(row_inc));

    uint8_t* w = at;
    put(w, RecordHeader{RecordKind::Row, uint32_t(size)});
    put(w, entity);
    put(w, uint16_t(num_batches));
    put(w, uint8_t(is_static ? 1 : 0));
    put(w, uint8_t(num_times));
    put(w, row_time_ns);
    put(w, row_inc);
    for (uint64_t m = mask; m != 0; m &= m - 1) {
        const TimelineState& t = p.timelines[size_t(__builtin_ctzll(m))];
        put(w, uint32_t(t.id));
        put(w, uint32_t(0));
        put(w, t.value);
    }
    // A failed allocation below (the external buffers) drops the row: the record is not
    // committed, what its entries hold is freed, and its bytes no longer count against the
    // queue's bound. Each entry's objects are put only once all of them exist.
    uint8_t* const entries = w;
    size_t entries_done = 0;
    try {
        for (size_t i = 0; i < num_batches; ++i, ++entries_done)
            w = put_batch(w, batches[i], plans[i], borrow);
    } catch (const std::bad_alloc&) {
        free_entries(entries, entries_done, plans);
        if (borrow) borrow->abandon();
        if (external_bytes != 0)
            impl.queued_bytes.fetch_sub(external_bytes, std::memory_order_relaxed);
        throw;  // counted and reported by log_batches
    }
    commit(p, size);
    count_row(impl, p, flush_bytes);
    if (external_bytes != 0) impl.wake();
    if (borrow) {
        const std::shared_ptr<CallerBorrow> mine = std::move(borrow);  // the tokens hold it too
        mine->wait(impl.config.max_log_block_secs);
    }
    return Error::ok();
}

core::Buffer* CallerBorrow::lend(const std::shared_ptr<CallerBorrow>& borrow,
                                 std::span<const uint8_t> bytes) {
    if (!borrow->token_) {
        borrow->token_ =
            std::shared_ptr<const void>(borrow.get(), [borrow](const void*) { borrow->release(); });
    }
    // Nothing recorded unless all of it can be (the pushes cannot throw after the reserves).
    borrow->lent_.reserve(borrow->lent_.size() + 1);
    borrow->lent_bytes_.reserve(borrow->lent_bytes_.size() + 1);
    auto buffer = std::make_unique<core::Buffer>(borrow->token_, bytes.data(), bytes.size());
    borrow->lent_.push_back(buffer.get());
    borrow->lent_bytes_.push_back(bytes);
    return buffer.release();
}

void CallerBorrow::abandon() noexcept {
    lent_.clear();
    lent_bytes_.clear();
    token_.reset();  // the last holder now: its deleter releases, and the self-reference goes
}

bool CallerBorrow::take() {
    std::lock_guard lock(mu_);
    taken_ = true;
    return !revoked_;
}

void CallerBorrow::release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
}

void CallerBorrow::wait(double patience_secs) {
    token_.reset();  // else it would keep itself (and the call) waiting forever
    std::unique_lock lock(mu_);
    const auto patience = std::chrono::duration<double>(patience_secs);
    if (cv_.wait_for(lock, patience, [this] { return released_ || taken_; })) {
        cv_.wait(lock, [this] { return released_; });
        return;
    }
    lock.unlock();
    // Not taken yet: copy the caller's data (its own memory: the row's buffers may be taken and
    // deleted by the batcher meanwhile, so they are not read here).
    std::vector<core::Buffer> copies;
    try {
        for (const auto bytes : lent_bytes_) {
            auto copy = allocate_bytes(bytes.size());
            copy_bytes(copy.get(), bytes.data(), bytes.size());
            const uint8_t* data = copy.get();
            copies.emplace_back(std::shared_ptr<const void>(std::move(copy)), data, bytes.size());
        }
    } catch (const std::bad_alloc&) {
        // No memory for a copy: the row must keep the caller's, so the call waits for it.
        lock.lock();
        cv_.wait(lock, [this] { return released_; });
        return;
    }
    lock.lock();
    if (taken_) {
        cv_.wait(lock, [this] { return released_; });
        return;
    }
    // The row's buffers, not taken, are still the caller's to change. Swapped, so that the
    // lent buffers (and the token) go after the lock is let go: the token's deleter locks it.
    for (size_t i = 0; i < lent_.size(); ++i)
        std::swap(*lent_[i], copies[i]);
    revoked_ = true;
    lock.unlock();
}

Error send_chunk(StreamImpl& impl, std::shared_ptr<core::Chunk> chunk) {
    Producer& p = *impl.producer();
    const size_t size = sizeof(RecordHeader) + 8;
    const uint64_t bytes = chunk->byte_size();
    uint8_t* at = reserve(impl, p, size);
    if (at == nullptr || !wait_for_room(impl, bytes)) {
        impl.rows_dropped.fetch_add(chunk->num_rows, std::memory_order_relaxed);
        return Error(ErrorCode::OutOfMemory,
                     "send_columns: the SDK's queue is full (RERUN_QUEUE_BYTES); " +
                         std::to_string(chunk->num_rows) + " row(s) dropped");
    }
    impl.queued_bytes.fetch_add(bytes, std::memory_order_relaxed);
    auto* owned = new std::shared_ptr<core::Chunk>(std::move(chunk));
    uint8_t* w = at;
    put(w, RecordHeader{RecordKind::Chunk, uint32_t(size)});
    put(w, owned);
    commit(p, size);
    impl.wake();
    return Error::ok();
}

}  // namespace rerun::detail

// The public entry points of the hot path live here, in the same translation unit as the
// producer code, so that the calls inline.
namespace rerun {

void RecordingStream::set_time_impl(std::string_view name, int type, int64_t value) const {
    if (!enabled_) return;
    detail::set_time(*impl_, name, type, value);
}
void RecordingStream::set_time_sequence(std::string_view name, int64_t sequence_nr) const {
    set_time_impl(name, int(core::TimeType::Sequence), sequence_nr);
}
void RecordingStream::set_time_duration_nanos(std::string_view name, int64_t nanos) const {
    set_time_impl(name, int(core::TimeType::Duration), nanos);
}
void RecordingStream::set_time_timestamp_nanos_since_epoch(std::string_view name,
                                                           int64_t nanos) const {
    set_time_impl(name, int(core::TimeType::Timestamp), nanos);
}
void RecordingStream::set_time_nanos(std::string_view name, int64_t nanos) const {
    set_time_impl(name, 0, nanos);
}
void RecordingStream::disable_timeline(std::string_view name) const {
    if (enabled_) detail::disable_timeline(*impl_, name);
}
void RecordingStream::reset_time() const {
    if (enabled_) detail::reset_time(*impl_);
}
Error RecordingStream::log_batches(std::string_view entity_path, bool is_static,
                                   const detail::BatchRef* batches, size_t num_batches) const {
    if (!enabled_) return Error::ok();
    try {
        return detail::log_row(*impl_, entity_path, is_static, batches, num_batches);
    } catch (const std::bad_alloc&) {
        // Out of memory anywhere in the call (the thread's first log call, a new entity or
        // component, a new queue block, the row's external buffers): log_row has undone what
        // it had done of the row. The short message fits std::string's inline buffer.
        impl_->rows_dropped.fetch_add(1, std::memory_order_relaxed);
        try {
            return Error(ErrorCode::OutOfMemory, "log: out of memory; the row was dropped");
        } catch (const std::bad_alloc&) {
            return Error(ErrorCode::OutOfMemory, "out of memory");
        }
    }
}

}  // namespace rerun
