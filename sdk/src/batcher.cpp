// The batcher: one thread per stream. It drains every producer's records in order, groups rows
// by (entity, static, timelines, components) into column builders, and on each flush turns every
// group into one core::Chunk, encodes the frames and hands them to the sinks.
//
// A flush happens on the tick (RERUN_FLUSH_TICK_SECS), when the accumulated rows or bytes reach
// RERUN_FLUSH_NUM_ROWS / RERUN_FLUSH_NUM_BYTES (checked after every row, so the thresholds are
// exact), on flush_blocking(), and at shutdown.
//
// The thread sleeps until the tick unless something wakes it: a new queue block, a large
// payload, a flush request, or a log call reaching a flush threshold. For the last, after each
// drain the batcher gives every producer a target in its own row and byte counts: what is left of
// each threshold divided by the number of producers. Before the stream's total reaches a
// threshold, some producer must reach its target, and that log call wakes the batcher (see
// count_row in producer.cpp). A log call publishes its counts and reads its targets without a
// store-load fence (that would cost every call ~20 cycles); the batcher, which stores the
// targets and then reads the counts, could miss a count still in the producer's store buffer at
// that instant. So it reads the counts again right after publishing, and drains once more about
// a millisecond after any drain that found records.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "internal.hpp"
#include "rerun/core/codec_gather.hpp"
#include "rerun/core/tuid.hpp"

namespace rerun::detail {

namespace {

template <class T>
T get(const uint8_t*& at) {
    T value;
    std::memcpy(&value, at, sizeof(T));
    at += sizeof(T);
    return value;
}

constexpr size_t align8(size_t n) {
    return (n + 7) & ~size_t(7);
}

// Appends n bytes. Most rows bring a few bytes per component (a scalar, a point), where
// vector::insert's general path and a call to memmove cost more than the copy itself.
inline void append_bytes(std::vector<uint8_t>& v, const uint8_t* p, size_t n) {
    const size_t old = v.size();
    // Constant sizes, so that each copy is a move or two: a scalar, a 2D or 3D point, a color.
    const auto copy = [&]<size_t N>() {
        v.resize(old + N);
        std::memcpy(v.data() + old, p, N);
    };
    if (v.capacity() - old >= n) {
        switch (n) {
            case 4:
                return copy.operator()<4>();
            case 8:
                return copy.operator()<8>();
            case 12:
                return copy.operator()<12>();
            case 16:
                return copy.operator()<16>();
            default:
                break;
        }
    }
    v.insert(v.end(), p, p + n);
}

inline uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

struct SlotInfo {
    core::ComponentDescriptor descriptor;
    core::ElementType type;
};

// One component column under construction.
struct ColumnBuilder {
    core::ElementType type;
    size_t element_size = 0;
    bool list = false;
    std::vector<uint8_t> values;
    std::vector<uint32_t> row_offsets{0};   // instances
    std::vector<uint32_t> list_offsets{0};  // elements
    bool one_per_row = true;
    // The first row's data when it came as a separate buffer; kept uncopied while it is alone.
    std::optional<core::Buffer> external_values;
    std::optional<core::Buffer> external_offsets;

    void materialize_external() {
        if (!external_values) return;
        const core::Buffer v = std::move(*external_values);
        external_values.reset();
        const size_t n_instances = row_offsets.back();
        values.insert(values.end(), v.data(), v.data() + v.size());
        if (list) {
            const auto offs = external_offsets->as_span<uint32_t>();
            for (size_t k = 1; k <= n_instances; ++k)
                list_offsets.push_back(offs[k]);
            external_offsets.reset();
        }
    }
};

struct Group {
    uint64_t hash = 0;
    uint32_t entity = 0;
    bool is_static = false;
    std::vector<uint32_t> timelines;  // global indices, sorted
    std::vector<uint32_t> slots;      // global indices, in row order
    std::vector<core::Tuid> row_ids;
    std::vector<std::vector<core::TimeInt>> times;
    std::vector<ColumnBuilder> columns;
};

// The shape of a producer's last row and the group it went to. Most rows of a thread repeat
// the shape of the one before (same entity, timelines and components), and such a row goes to
// the same group without sorting its times, hashing or comparing against the group. Ids here
// are the producer's own (a producer never redefines one).
struct RowShape {
    static constexpr size_t kMaxTimes = 8;
    static constexpr size_t kMaxBatches = 8;
    uint64_t flush = UINT64_MAX;  // the batcher's flush count when cached (groups_ then cleared)
    size_t group = 0;             // index in groups_
    uint32_t entity = 0;
    uint16_t num_batches = 0;
    bool is_static = false;
    uint8_t num_times = 0;
    std::array<uint32_t, kMaxTimes> time_ids{};
    // The group's time column of the row's time i; [num_times]: log_time's (when not static).
    std::array<uint8_t, kMaxTimes + 1> time_column{};
    std::array<uint32_t, kMaxBatches> slot_ids{};
};

struct ProducerTables {
    std::vector<uint32_t> entities;
    std::vector<uint32_t> timelines;
    std::vector<uint32_t> slots;
    RowShape last_shape;
};

// Column vectors kept from one flush to the next. A flush hands each group's vectors to its
// chunk; once the frames are encoded nothing else holds them (unless a large frame borrowed
// them, see encode_messages), and they come back here, emptied with their capacity, for the
// next groups. Without this every flush grew its columns from nothing in fresh memory: copies
// on each doubling, and a page fault per 4 KiB, most of the batcher's page faults. Keeps at most
// kMaxVectors vectors and kMaxBytes of capacity per element type.
template <class T>
class VectorRecycler {
  public:
    static constexpr size_t kMaxVectors = 256;
    static constexpr size_t kMaxBytes = size_t(8) << 20;

    // An empty vector, with capacity when one is spare.
    std::vector<T> take() {
        if (spare_.empty()) return {};
        std::vector<T> v = std::move(spare_.back());
        spare_.pop_back();
        spare_bytes_ -= v.capacity() * sizeof(T);
        return v;
    }
    // Keeps a vector that was not lent.
    void give(std::vector<T>&& v) {
        const size_t bytes = v.capacity() * sizeof(T);
        if (bytes == 0 || spare_.size() >= kMaxVectors || spare_bytes_ + bytes > kMaxBytes) return;
        v.clear();
        spare_bytes_ += bytes;
        spare_.push_back(std::move(v));
    }
    // A buffer over the vector's elements that the chunk shares; the vector returns here at
    // collect() when the buffer is the last thing holding it.
    core::Buffer lend(std::vector<T>&& v) {
        auto held = std::make_shared<std::vector<T>>(std::move(v));
        const auto* data = reinterpret_cast<const uint8_t*>(held->data());
        const size_t size = held->size() * sizeof(T);
        lent_.push_back(held);
        return core::Buffer(std::move(held), data, size);
    }
    // Called on the batcher thread after the flush's messages are freed and before its frames
    // are dispatched: no other thread has these buffers yet, so use_count() is exact here.
    void collect() {
        for (auto& held : lent_) {
            if (held.use_count() == 1) give(std::move(*held));
        }
        lent_.clear();
    }

  private:
    std::vector<std::vector<T>> spare_;
    size_t spare_bytes_ = 0;
    std::vector<std::shared_ptr<std::vector<T>>> lent_;
};

}  // namespace

class Batcher {
  public:
    explicit Batcher(StreamImpl* impl) : impl_(impl) {
        log_time_ = timeline_index(std::string(core::kLogTimeTimeline), core::TimeType::Timestamp);
    }

    // Processes every record committed so far; returns the number of records processed.
    size_t drain_all();
    // Turns all groups into chunks and dispatches them.
    void flush();
    // Gives each producer drained by the last drain_all() its wake targets for the flush
    // thresholds (see the top of this file). Returns true when a producer has already reached
    // one: drain again without waiting.
    bool publish_wake_targets();

  private:
    size_t drain(Producer& p, ProducerTables& tables);
    void process(const uint8_t* record, ProducerTables& tables);
    void process_row(const uint8_t* at, ProducerTables& tables);
    // Reads the header of the Row record's batch at p and moves p past the batch; returns its
    // slot id (the producer's).
    uint32_t next_batch_slot(const uint8_t*& p, const ProducerTables& tables) const;
    // Appends a row's id and component batches (the Row record's from `batches_at` on) to the
    // group, its times already appended; counts it towards the flush thresholds.
    void append_row(Group& group, core::Tuid row_id, size_t num_time_columns, uint16_t num_batches,
                    const uint8_t* batches_at);
    // The group of a row whose shape is the producer's last one; null when it differs.
    Group* same_shape_group(const RowShape& shape, uint32_t entity, uint16_t num_batches,
                            bool is_static, uint8_t num_times, const uint8_t* times_at,
                            const uint8_t* batches_at, const ProducerTables& tables);
    // Remembers the shape of the row just put in groups_[group] (row_times_ sorted, as in it).
    void remember_shape(RowShape& shape, size_t group, uint32_t entity, uint16_t num_batches,
                        bool is_static, uint8_t num_times, const uint8_t* times_at,
                        const uint8_t* batches_at, const ProducerTables& tables);
    uint32_t timeline_index(const std::string& name, core::TimeType type);
    void recycle(Producer& p, Block* block);

    StreamImpl* impl_;
    std::unordered_map<const Producer*, ProducerTables> tables_;
    std::vector<core::EntityPath> entities_;
    std::unordered_map<std::string, uint32_t> entity_index_;
    std::vector<core::Timeline> timelines_;
    std::unordered_map<std::string, uint32_t> timeline_index_;
    uint32_t log_time_ = 0;
    std::vector<SlotInfo> slots_;
    std::unordered_map<std::string, uint32_t> slot_index_;

    std::unordered_multimap<uint64_t, size_t> group_index_;  // hash -> groups_ index
    std::vector<Group> groups_;
    std::vector<std::shared_ptr<core::Chunk>> prebuilt_;  // send_columns, in order with rows
    std::vector<size_t> order_;  // flush order: group index, or ~index into prebuilt_
    uint64_t acc_rows_ = 0;
    uint64_t acc_bytes_ = 0;
    uint64_t last_row_bytes_ = 0;  // what the last processed row counts towards flush_num_bytes
    bool holds_caller_memory_ = false;  // a row since the last flush borrows a log call's memory
    std::vector<std::shared_ptr<Producer>> live_;  // the producers after the last drain_all()
    std::shared_ptr<FrameBufferPool> frame_buffers_ = std::make_shared<FrameBufferPool>();
    VectorRecycler<core::Tuid> spare_row_ids_;
    VectorRecycler<core::TimeInt> spare_times_;
    VectorRecycler<uint8_t> spare_values_;
    VectorRecycler<uint32_t> spare_offsets_;

    // Scratch for one row.
    std::vector<std::pair<uint32_t, core::TimeInt>> row_times_;
    std::vector<uint32_t> row_slots_;
    size_t last_group_ = SIZE_MAX;  // groups_ index of the last row's group
    uint64_t flushes_ = 0;          // flush() calls that cleared groups_
};

uint32_t Batcher::timeline_index(const std::string& name, core::TimeType type) {
    auto it = timeline_index_.find(name);
    if (it != timeline_index_.end()) {
        if (timelines_[it->second].type != type) {
            log_warning("timeline '" + name + "' is used with two different types; the first (" +
                        std::string(core::time_type_name(timelines_[it->second].type)) +
                        ") is kept");
        }
        return it->second;
    }
    const auto idx = uint32_t(timelines_.size());
    timelines_.push_back(core::Timeline{name, type});
    timeline_index_.emplace(name, idx);
    return idx;
}

void Batcher::recycle(Producer& p, Block* block) {
    impl_->queued_bytes.fetch_sub(block->capacity, std::memory_order_relaxed);
    if (block->capacity == kBlockSize) {
        block->committed.store(0, std::memory_order_relaxed);
        block->next.store(nullptr, std::memory_order_relaxed);
        std::lock_guard lock(p.free_mu);
        if (p.free_blocks.size() < 64) {
            p.free_blocks.push_back(block);
            return;
        }
    }
    delete block;
}

// How far ahead of the record being processed drain() prefetches the producer's queue.
constexpr size_t kDrainPrefetchAhead = 512;

size_t Batcher::drain(Producer& p, ProducerTables& tables) {
    size_t n = 0;
    for (;;) {
        Block* b = p.head;
        size_t committed = b->committed.load(std::memory_order_acquire);
        while (p.read_pos < committed) {
            const uint8_t* rec = b->data.get() + p.read_pos;
            // The producer wrote these lines on another core: ask for them ahead of use. Only
            // lines whose bytes are all committed (one still being written would be pulled from
            // under the producer).
            const uintptr_t ahead_line_end = (uintptr_t(rec + kDrainPrefetchAhead) | 63) + 1;
            if (ahead_line_end <= uintptr_t(b->data.get() + committed))
                __builtin_prefetch(rec + kDrainPrefetchAhead);
            RecordHeader h;
            std::memcpy(&h, rec, sizeof(h));
            process(rec, tables);
            if (h.kind == RecordKind::Row) {
                ++p.consumed_rows;
                p.consumed_bytes += last_row_bytes_;
            }
            p.read_pos += h.size;
            ++n;
        }
        Block* next = b->next.load(std::memory_order_acquire);
        if (next == nullptr) break;
        if (p.read_pos < b->committed.load(std::memory_order_acquire)) continue;
        p.head = next;
        p.read_pos = 0;
        recycle(p, b);
    }
    return n;
}

size_t Batcher::drain_all() {
    std::vector<std::shared_ptr<Producer>>& producers = live_;
    {
        std::lock_guard lock(impl_->producers_mu);
        producers = impl_->producers;
    }
    size_t n = 0;
    for (auto& p : producers) {
        // Read the flag first: if the thread has exited, everything it wrote is visible now.
        const bool exited = p->thread_exited.load(std::memory_order_acquire);
        n += drain(*p, tables_[p.get()]);
        if (exited) {
            // Its last block is never recycled: take it off the queue's account here.
            impl_->queued_bytes.fetch_sub(p->head->capacity, std::memory_order_relaxed);
            impl_->rows_logged_retired.fetch_add(p->rows_logged.load(std::memory_order_relaxed));
            tables_.erase(p.get());
            std::lock_guard lock(impl_->producers_mu);
            std::erase(impl_->producers, p);
            p.reset();
        }
    }
    std::erase(producers, nullptr);
    return n;
}

bool Batcher::publish_wake_targets() {
    if (live_.empty()) return false;
    const uint64_t n = live_.size();
    // Before the total of all producers grows by `left`, one of them grows by ceil(left / n).
    const auto target = [n](uint64_t limit, uint64_t acc, uint64_t consumed) {
        if (limit == UINT64_MAX) return UINT64_MAX;
        const uint64_t left = limit > acc ? limit - acc : 1;
        const uint64_t share = left / n + (left % n != 0 ? 1 : 0);
        return consumed > UINT64_MAX - share ? UINT64_MAX : consumed + share;
    };
    for (const auto& p : live_) {
        const uint64_t rows_at = target(impl_->config.flush_num_rows, acc_rows_, p->consumed_rows);
        const uint64_t bytes_at =
            target(impl_->config.flush_num_bytes, acc_bytes_, p->consumed_bytes);
        // Stored only when changed: each store costs the producer a cache miss.
        if (p->wake_rows_at.load(std::memory_order_relaxed) != rows_at)
            p->wake_rows_at.store(rows_at, std::memory_order_relaxed);
        if (p->wake_bytes_at.load(std::memory_order_relaxed) != bytes_at)
            p->wake_bytes_at.store(bytes_at, std::memory_order_relaxed);
    }
    // Rows logged while the targets were computed, whose log calls saw the old targets.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    for (const auto& p : live_) {
        if (p->rows_logged.load(std::memory_order_relaxed) >=
                p->wake_rows_at.load(std::memory_order_relaxed) ||
            p->bytes_logged.load(std::memory_order_relaxed) >=
                p->wake_bytes_at.load(std::memory_order_relaxed))
            return true;
    }
    return false;
}

void Batcher::process(const uint8_t* rec, ProducerTables& tables) {
    RecordHeader h;
    std::memcpy(&h, rec, sizeof(h));
    const uint8_t* at = rec + sizeof(h);
    switch (h.kind) {
        case RecordKind::DefineEntity:
        case RecordKind::DefineTimeline:
        case RecordKind::DefineSlot: {
            const auto id = get<uint32_t>(at);
            const auto extra = get<uint32_t>(at);
            const auto len = get<uint32_t>(at);
            at += 4;
            const std::string text(reinterpret_cast<const char*>(at), len);
            auto& table = h.kind == RecordKind::DefineEntity     ? tables.entities
                          : h.kind == RecordKind::DefineTimeline ? tables.timelines
                                                                 : tables.slots;
            if (table.size() <= id) table.resize(id + 1);
            if (h.kind == RecordKind::DefineEntity) {
                auto path = core::EntityPath::parse_lenient(text);
                auto key = path.to_string();
                auto it = entity_index_.find(key);
                if (it == entity_index_.end()) {
                    it = entity_index_.emplace(key, uint32_t(entities_.size())).first;
                    entities_.push_back(std::move(path));
                }
                table[id] = it->second;
            } else if (h.kind == RecordKind::DefineTimeline) {
                table[id] = timeline_index(text, core::TimeType(extra));
            } else {
                uintptr_t address;
                std::memcpy(&address, text.data(), sizeof(address));
                const auto* slot = reinterpret_cast<const ComponentSlot*>(address);
                std::string key = std::string(slot->archetype) + '\n' +
                                  std::string(slot->component) + '\n' +
                                  std::string(slot->type->name);
                auto it = slot_index_.find(key);
                if (it == slot_index_.end()) {
                    it = slot_index_.emplace(key, uint32_t(slots_.size())).first;
                    slots_.push_back(
                        SlotInfo{core::ComponentDescriptor{std::string(slot->archetype),
                                                           std::string(slot->component),
                                                           std::string(slot->type->name)},
                                 slot->type->type});
                }
                table[id] = it->second;
            }
            return;
        }
        case RecordKind::Row:
            process_row(at, tables);
            return;
        case RecordKind::Chunk: {
            auto* owned = get<std::shared_ptr<core::Chunk>*>(at);
            std::shared_ptr<core::Chunk> chunk = std::move(*owned);
            delete owned;
            impl_->queued_bytes.fetch_sub(chunk->byte_size(), std::memory_order_relaxed);
            acc_rows_ += chunk->num_rows;
            acc_bytes_ += chunk->byte_size();
            order_.push_back(~prebuilt_.size());
            prebuilt_.push_back(std::move(chunk));
            if (acc_rows_ >= impl_->config.flush_num_rows ||
                acc_bytes_ >= impl_->config.flush_num_bytes) {
                flush();
            }
            return;
        }
    }
}

uint32_t Batcher::next_batch_slot(const uint8_t*& p, const ProducerTables& tables) const {
    // A batch of a Row record (see log_row in producer.cpp): slot, instances, flags, padding,
    // value bytes; then two pointers (flags & 1: separate buffers, see log_row), or the list
    // offsets (list types) and the values, each padded to 8 bytes.
    const auto slot = get<uint32_t>(p);
    const auto n = get<uint32_t>(p);
    const auto flags = get<uint32_t>(p);
    p += 4;
    const auto value_bytes = get<uint64_t>(p);
    if (flags & 1) {
        p += 16;
    } else {
        const bool list = slots_[tables.slots[slot]].type.kind != core::ElementKind::Fixed;
        p += (list ? align8((size_t(n) + 1) * 4) : 0) + align8(value_bytes);
    }
    return slot;
}

Group* Batcher::same_shape_group(const RowShape& shape, uint32_t entity, uint16_t num_batches,
                                 bool is_static, uint8_t num_times, const uint8_t* times_at,
                                 const uint8_t* batches_at, const ProducerTables& tables) {
    if (shape.flush != flushes_ || shape.entity != entity || shape.num_batches != num_batches ||
        shape.is_static != is_static || shape.num_times != num_times)
        return nullptr;
    for (size_t i = 0; i < num_times; ++i) {
        uint32_t id;
        std::memcpy(&id, times_at + 16 * i, 4);
        if (id != shape.time_ids[i]) return nullptr;
    }
    const uint8_t* p = batches_at;
    for (size_t i = 0; i < num_batches; ++i) {
        if (next_batch_slot(p, tables) != shape.slot_ids[i]) return nullptr;
    }
    return &groups_[shape.group];
}

void Batcher::remember_shape(RowShape& shape, size_t group, uint32_t entity, uint16_t num_batches,
                             bool is_static, uint8_t num_times, const uint8_t* times_at,
                             const uint8_t* batches_at, const ProducerTables& tables) {
    shape.flush = UINT64_MAX;
    if (num_times > RowShape::kMaxTimes || num_batches > RowShape::kMaxBatches) return;
    // A timeline twice in the row has no fixed column order. set_time refuses the name log_time,
    // the only way to get one, so this is defence only.
    for (size_t i = 1; i < row_times_.size(); ++i) {
        if (row_times_[i].first == row_times_[i - 1].first) return;
    }
    const auto column_of = [&](uint32_t global) {
        size_t k = 0;
        while (row_times_[k].first != global)
            ++k;
        return uint8_t(k);
    };
    for (size_t i = 0; i < num_times; ++i) {
        std::memcpy(&shape.time_ids[i], times_at + 16 * i, 4);
        shape.time_column[i] = column_of(tables.timelines[shape.time_ids[i]]);
    }
    if (!is_static) shape.time_column[num_times] = column_of(log_time_);
    const uint8_t* p = batches_at;
    for (size_t i = 0; i < num_batches; ++i)
        shape.slot_ids[i] = next_batch_slot(p, tables);
    shape.group = group;
    shape.entity = entity;
    shape.num_batches = num_batches;
    shape.is_static = is_static;
    shape.num_times = num_times;
    shape.flush = flushes_;
}

void Batcher::process_row(const uint8_t* at, ProducerTables& tables) {
    const auto local_entity = get<uint32_t>(at);
    const auto entity = tables.entities[local_entity];
    const auto num_batches = get<uint16_t>(at);
    const bool is_static = get<uint8_t>(at) != 0;
    const auto num_times = get<uint8_t>(at);
    core::Tuid row_id;
    row_id.time_ns = get<uint64_t>(at);
    row_id.inc = get<uint64_t>(at);
    const uint8_t* const times_at = at;
    const size_t num_columns_of_time = num_times + (is_static ? 0 : 1);

    if (Group* group = same_shape_group(tables.last_shape, local_entity, num_batches, is_static,
                                        num_times, times_at, times_at + 16 * num_times, tables)) {
        const RowShape& shape = tables.last_shape;
        for (size_t i = 0; i < num_times; ++i) {
            int64_t value;
            std::memcpy(&value, times_at + 16 * i + 8, 8);
            group->times[shape.time_column[i]].push_back(value);
        }
        if (!is_static)
            group->times[shape.time_column[num_times]].push_back(core::TimeInt(row_id.time_ns));
        append_row(*group, row_id, num_columns_of_time, num_batches, times_at + 16 * num_times);
        return;
    }

    row_times_.clear();
    for (size_t i = 0; i < num_times; ++i) {
        const auto id = get<uint32_t>(at);
        at += 4;
        const auto value = get<int64_t>(at);
        row_times_.emplace_back(tables.timelines[id], value);
    }
    if (!is_static) row_times_.emplace_back(log_time_, core::TimeInt(row_id.time_ns));
    std::sort(row_times_.begin(), row_times_.end());

    // Peek at the slots to find the group.
    const uint8_t* batches_at = at;
    row_slots_.clear();
    {
        const uint8_t* p = at;
        for (size_t i = 0; i < num_batches; ++i)
            row_slots_.push_back(tables.slots[next_batch_slot(p, tables)]);
    }
    uint64_t hash = mix(entity, is_static ? 1 : 2);
    for (const auto& [t, v] : row_times_)
        hash = mix(hash, t);
    hash = mix(hash, 0xABCDEF);
    for (auto s : row_slots_)
        hash = mix(hash, s);

    const auto matches = [&](const Group& g) {
        if (g.hash != hash || g.entity != entity || g.is_static != is_static ||
            g.slots.size() != row_slots_.size() || g.timelines.size() != row_times_.size())
            return false;
        for (size_t i = 0; i < row_slots_.size(); ++i) {
            if (g.slots[i] != row_slots_[i]) return false;
        }
        for (size_t i = 0; i < row_times_.size(); ++i) {
            if (g.timelines[i] != row_times_[i].first) return false;
        }
        return true;
    };
    Group* group = nullptr;
    // Consecutive rows of a thread mostly go to the same group: try the last one first.
    if (last_group_ < groups_.size() && matches(groups_[last_group_])) {
        group = &groups_[last_group_];
    } else {
        auto [lo, hi] = group_index_.equal_range(hash);
        for (auto it = lo; it != hi; ++it) {
            if (matches(groups_[it->second])) {
                group = &groups_[it->second];
                last_group_ = it->second;
                break;
            }
        }
    }
    if (group == nullptr) {
        last_group_ = groups_.size();
        group_index_.emplace(hash, groups_.size());
        order_.push_back(groups_.size());
        Group& g = groups_.emplace_back();
        g.hash = hash;
        g.entity = entity;
        g.is_static = is_static;
        for (const auto& [t, v] : row_times_)
            g.timelines.push_back(t);
        g.row_ids = spare_row_ids_.take();
        g.times.resize(g.timelines.size());
        for (auto& times : g.times)
            times = spare_times_.take();
        g.slots = row_slots_;
        for (auto s : row_slots_) {
            ColumnBuilder c;
            c.type = slots_[s].type;
            c.element_size = c.type.element_size();
            c.list = c.type.kind != core::ElementKind::Fixed;
            c.values = spare_values_.take();
            c.row_offsets = spare_offsets_.take();
            c.row_offsets.push_back(0);
            if (c.list) {
                c.list_offsets = spare_offsets_.take();
                c.list_offsets.push_back(0);
            }
            g.columns.push_back(std::move(c));
        }
        group = &g;
    }
    remember_shape(tables.last_shape, size_t(group - groups_.data()), local_entity, num_batches,
                   is_static, num_times, times_at, batches_at, tables);
    for (size_t i = 0; i < row_times_.size(); ++i)
        group->times[i].push_back(row_times_[i].second);
    append_row(*group, row_id, row_times_.size(), num_batches, batches_at);
}

void Batcher::append_row(Group& group, core::Tuid row_id, size_t num_time_columns,
                         uint16_t num_batches, const uint8_t* at) {
    const bool first_row = group.row_ids.empty();
    group.row_ids.push_back(row_id);
    uint64_t row_bytes = 16 + 8 * num_time_columns;
    for (size_t i = 0; i < num_batches; ++i) {
        ColumnBuilder& c = group.columns[i];
        at += 4;
        const auto n = get<uint32_t>(at);
        const auto flags = get<uint32_t>(at);
        at += 4;
        const auto value_bytes = get<uint64_t>(at);
        row_bytes += value_bytes;
        if (n != 1) c.one_per_row = false;
        if (!first_row) c.materialize_external();
        if (flags & 1) {
            auto* values = get<core::Buffer*>(at);
            core::Buffer* offsets = nullptr;
            bool lent = false;  // the values are a waiting log call's memory
            if (flags & 2) {
                // Taken before *values is read (until then the caller may swap in a copy).
                const auto* borrow = get<std::shared_ptr<CallerBorrow>*>(at);
                lent = (*borrow)->take();
                delete borrow;
            } else {
                offsets = get<core::Buffer*>(at);
            }
            impl_->queued_bytes.fetch_sub(value_bytes, std::memory_order_relaxed);
            if (first_row) {
                // Kept as it is: the flush after this row must let the caller go.
                if (lent) holds_caller_memory_ = true;
                c.external_values = std::move(*values);
                if (offsets) c.external_offsets = std::move(*offsets);
            } else {
                const size_t base_elements = c.values.size() / c.element_size;
                c.values.insert(c.values.end(), values->data(), values->data() + values->size());
                if (c.list) {
                    const auto offs = offsets->as_span<uint32_t>();
                    for (size_t k = 1; k <= n; ++k)
                        c.list_offsets.push_back(uint32_t(base_elements + offs[k]));
                }
            }
            delete values;
            delete offsets;
        } else if (c.list) {
            const uint8_t* offs = at;
            at += align8((n + 1) * 4);
            const size_t base_elements = c.values.size() / c.element_size;
            for (size_t k = 1; k <= n; ++k) {
                uint32_t o;
                std::memcpy(&o, offs + 4 * k, 4);
                c.list_offsets.push_back(uint32_t(base_elements + o));
            }
            append_bytes(c.values, at, value_bytes);
            at += align8(value_bytes);
        } else {
            append_bytes(c.values, at, value_bytes);
            at += align8(value_bytes);
        }
        c.row_offsets.push_back(c.row_offsets.back() + n);
    }

    acc_rows_ += 1;
    acc_bytes_ += row_bytes;
    last_row_bytes_ = row_bytes;
    // A log call waits for the memory it lent: flushed at once, whatever the thresholds.
    if (acc_rows_ >= impl_->config.flush_num_rows || acc_bytes_ >= impl_->config.flush_num_bytes ||
        holds_caller_memory_)
        flush();
}

void Batcher::flush() {
    if (order_.empty()) return;
    std::vector<core::Message> messages;
    messages.reserve(order_.size());
    for (const size_t entry : order_) {
        if (entry >= groups_.size()) {  // a prebuilt chunk
            auto& chunk = prebuilt_[~entry];
            messages.emplace_back(core::ChunkMessage{impl_->store_id, std::move(chunk)});
            continue;
        }
        Group& g = groups_[entry];
        auto chunk = std::make_shared<core::Chunk>();
        chunk->id = core::Tuid::make();
        chunk->entity_path = entities_[g.entity];
        chunk->is_static = g.is_static;
        chunk->num_rows = g.row_ids.size();
        chunk->row_ids = spare_row_ids_.lend(std::move(g.row_ids));
        for (size_t i = 0; i < g.timelines.size(); ++i) {
            chunk->timelines.push_back(core::TimeColumn{timelines_[g.timelines[i]],
                                                        spare_times_.lend(std::move(g.times[i]))});
        }
        for (size_t i = 0; i < g.columns.size(); ++i) {
            ColumnBuilder& c = g.columns[i];
            core::ComponentColumn col;
            col.descriptor = slots_[g.slots[i]].descriptor;
            col.type = c.type;
            col.num_rows = chunk->num_rows;
            if (!c.one_per_row)
                col.row_offsets = spare_offsets_.lend(std::move(c.row_offsets));
            else
                spare_offsets_.give(std::move(c.row_offsets));
            if (c.external_values) {
                col.values = std::move(*c.external_values);
                if (c.list) col.list_offsets = std::move(*c.external_offsets);
                spare_values_.give(std::move(c.values));
                spare_offsets_.give(std::move(c.list_offsets));
            } else {
                col.values = spare_values_.lend(std::move(c.values));
                if (c.list) col.list_offsets = spare_offsets_.lend(std::move(c.list_offsets));
            }
            chunk->components.push_back(std::move(col));
        }
        messages.emplace_back(core::ChunkMessage{impl_->store_id, std::move(chunk)});
    }
    groups_.clear();
    ++flushes_;
    last_group_ = SIZE_MAX;
    group_index_.clear();
    prebuilt_.clear();
    order_.clear();
    acc_rows_ = 0;
    acc_bytes_ = 0;

    // Headers of large frames are hashed in dispatch(), after the sinks that write headers last
    // have started writing.
    std::shared_ptr<Blob> blob = encode_messages(messages, frame_buffers_.get(), true);
    blob->holds_caller_memory = holds_caller_memory_;
    holds_caller_memory_ = false;
    impl_->chunks_encoded.fetch_add(messages.size(), std::memory_order_relaxed);
    impl_->bytes_encoded.fetch_add(blob->size, std::memory_order_relaxed);
    messages.clear();  // frees the column data before the sinks write (unless a blob borrows it)
    spare_row_ids_.collect();
    spare_times_.collect();
    spare_values_.collect();
    spare_offsets_.collect();
    impl_->dispatch(std::move(blob));  // not held here: dispatch() may let a caller go
}

Batcher* new_batcher(StreamImpl* impl) {
    return new Batcher(impl);
}
void delete_batcher(Batcher* batcher) {
    delete batcher;
}

void run_batcher(StreamImpl* impl, Batcher* batcher) {
    name_this_thread("rerun-batcher");
    using Clock = std::chrono::steady_clock;
    const auto tick = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(std::max(impl->config.flush_tick_secs, 0.0005)));
    // After a drain that found records, look again this soon (see the top of this file).
    constexpr auto kRecheck = std::chrono::milliseconds(1);
    auto next_tick = Clock::now() + tick;
    auto recheck = Clock::time_point::max();
    for (;;) {
        uint64_t ticket;
        bool stop;
        {
            std::unique_lock lock(impl->mu);
            impl->wake_cv.wait_until(lock, std::min(next_tick, recheck), [&] {
                return impl->stopping || impl->flush_requested > impl->flush_completed ||
                       impl->wake_requested.load(std::memory_order_relaxed);
            });
            impl->wake_requested.store(false, std::memory_order_relaxed);
            ticket = impl->flush_requested;
            stop = impl->stopping;
        }
        const size_t records = batcher->drain_all();
        const auto now = Clock::now();
        bool flushed = false;
        if (now >= next_tick || stop || ticket > impl->flush_completed) {
            batcher->flush();
            flushed = true;
            next_tick = now + tick;
        }
        if (flushed) {
            std::lock_guard lock(impl->mu);
            impl->flush_completed = std::max(impl->flush_completed, ticket);
            impl->done_cv.notify_all();
        }
        if (stop) break;
        recheck = records > 0 ? now + kRecheck : Clock::time_point::max();
        if (batcher->publish_wake_targets()) impl->wake_requested.store(true);
    }
}

}  // namespace rerun::detail
