#include "rerun/ingest/store_hub.hpp"

#include <algorithm>
#include <optional>

#include "rerun/ingest/log.hpp"
#include "rerun/ingest/rrd_writer.hpp"

namespace rerun::ingest {

namespace {
std::string describe_store(const core::StoreId& id) {
    return std::string(core::store_kind_name(id.kind)) + " \"" + id.id + "\"";
}
}  // namespace

// ---- SourceSession ------------------------------------------------------------------------------

SourceSession::SourceSession(StoreHub& hub, std::string name) : hub_(hub), name_(std::move(name)) {}

SourceSession::~SourceSession() = default;

std::shared_ptr<RecordingStore> SourceSession::store_for(const core::StoreId& id) {
    std::optional<StoreStats> closed;  // of the store this source fed before it was closed
    if (auto it = stores_.find(id); it != stores_.end()) {
        if (!it->second->closed()) return it->second;
        closed = it->second->stats();
        stores_.erase(it);
    }
    auto store = hub_.get_or_create(id);
    store->add_source(name_);
    if (closed) {
        // Keep what this source said about the store when it started (its StoreInfo).
        core::StoreInfo info{id, closed->application_id, closed->started_ns, {}};
        for (const auto& r : closed->sources) {
            if (r.name == name_) info.source = r.source;
        }
        store->set_info(info, name_);
    }
    stores_.emplace(id, store);
    return store;
}

void SourceSession::handle(core::Message&& message) {
    ++messages_;
    hub_.messages_.fetch_add(1, std::memory_order_relaxed);
    std::visit(
        [&](auto&& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, core::StoreInfo>) {
                auto store = store_for(m.store);
                hub_.on_info(*store, m, name_);
            } else if constexpr (std::is_same_v<T, core::ChunkMessage>) {
                auto store = store_for(m.store);
                hub_.on_chunk(*store, std::move(m));
            } else if constexpr (std::is_same_v<T, core::BlueprintActivation>) {
                hub_.on_activation(m);
            } else if constexpr (std::is_same_v<T, core::EndOfStream>) {
                // Only for a store that exists: the end of an unknown one creates nothing (else
                // 46-byte frames naming new ids would each make a store).
                if (stores_.count(m.store) != 0 || hub_.find(m.store))
                    store_for(m.store)->end_of_stream(name_);
            }
        },
        message);
}

// ---- StoreHub -----------------------------------------------------------------------------------

StoreHub::StoreHub(HubOptions options)
    : memory_limit_(options.memory_limit), store_options_(options.store) {}

StoreHub::~StoreHub() = default;

std::shared_ptr<RecordingStore> StoreHub::get_or_create(const core::StoreId& id) {
    {
        std::lock_guard lock(mutex_);
        auto& slot = stores_[id];
        if (slot) return slot;
        slot = std::make_shared<RecordingStore>(id, store_options_);
    }
    log_info("new " + describe_store(id));
    changed();
    return find(id);
}

std::shared_ptr<RecordingStore> StoreHub::find(const core::StoreId& id) const {
    std::lock_guard lock(mutex_);
    auto it = stores_.find(id);
    return it == stores_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<RecordingStore>> StoreHub::stores() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<RecordingStore>> out;
    out.reserve(stores_.size());
    for (const auto& [id, s] : stores_)
        out.push_back(s);
    return out;
}

bool StoreHub::close(const core::StoreId& id) {
    std::shared_ptr<RecordingStore> store;
    {
        std::lock_guard lock(mutex_);
        auto it = stores_.find(id);
        if (it == stores_.end()) return false;
        store = std::move(it->second);
        stores_.erase(it);
    }
    store->mark_closed();
    log_info("closed " + describe_store(id) + " (" + std::to_string(store->stats().rows) +
             " rows, " + std::to_string(store->bytes()) + " bytes freed)");
    changed();
    return true;
}

std::vector<core::BlueprintActivation> StoreHub::blueprint_activations(size_t from,
                                                                       size_t* next) const {
    std::lock_guard lock(mutex_);
    const size_t end = activations_dropped_ + activations_.size();
    if (next) *next = end;
    if (from >= end) return {};
    const size_t skip = from > activations_dropped_ ? from - activations_dropped_ : 0;
    return {activations_.begin() + ptrdiff_t(skip), activations_.end()};
}

HubStats StoreHub::stats() const {
    HubStats st;
    st.messages = messages_.load();
    st.chunks_inserted = inserted_.load();
    st.chunks_duplicate = duplicate_.load();
    st.chunks_invalid = invalid_.load();
    st.evictions = evictions_.load();
    for (const auto& s : stores()) {
        const auto ss = s->stats();
        st.dropped_rows += ss.dropped_rows;
        st.dropped_bytes += ss.dropped_bytes;
        st.bytes += ss.bytes;
    }
    return st;
}

uint64_t StoreHub::wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(wait_mutex_);
    wait_cv_.wait_for(lock, timeout, [&] { return generation() != seen; });
    return generation();
}

void StoreHub::set_change_callback(std::function<void()> callback) {
    on_change_ = std::move(callback);
}

void StoreHub::set_writer(std::shared_ptr<RrdWriter> writer) {
    writer_ = std::move(writer);
}

void StoreHub::set_memory_limit(uint64_t bytes) {
    memory_limit_.store(bytes, std::memory_order_relaxed);
    enforce_memory_limit();
}

void StoreHub::handle(std::string_view source_name, core::Message&& message) {
    SourceSession session(*this, std::string(source_name));
    session.handle(std::move(message));
}

void StoreHub::changed() {
    generation_.fetch_add(1, std::memory_order_acq_rel);
    {
        // Taking the lock orders the bump with a waiter that has just checked the generation.
        std::lock_guard lock(wait_mutex_);
    }
    wait_cv_.notify_all();
    if (on_change_) on_change_();
}

void StoreHub::on_chunk(RecordingStore& store, core::ChunkMessage&& message) {
    std::string error;
    const auto result = store.insert(message.chunk, &error);
    switch (result) {
        case InsertResult::Inserted:
            inserted_.fetch_add(1, std::memory_order_relaxed);
            if (writer_) writer_->write(message);
            break;
        case InsertResult::Duplicate:
            duplicate_.fetch_add(1, std::memory_order_relaxed);
            return;
        case InsertResult::Invalid:
            invalid_.fetch_add(1, std::memory_order_relaxed);
            log_warn(describe_store(store.id()) + ": chunk refused: " + error);
            return;
    }
    if (memory_limit() != 0) enforce_memory_limit();
    changed();
}

void StoreHub::on_info(RecordingStore& store, const core::StoreInfo& info,
                       std::string_view source) {
    if (!store.set_info(info, source)) {
        log_warn(describe_store(store.id()) + ": " + std::string(source) +
                 " sends application id \"" + info.application_id + "\", but the recording has \"" +
                 store.application_id() + "\" (kept; reported, not merged)");
    }
    if (writer_) writer_->write(info);
    changed();
}

void StoreHub::on_activation(const core::BlueprintActivation& activation) {
    {
        std::lock_guard lock(mutex_);
        activations_.push_back(activation);
        if (activations_.size() > kKeptActivations) {
            activations_.pop_front();
            ++activations_dropped_;
        }
    }
    if (writer_) writer_->write(activation);
    changed();
}

void StoreHub::enforce_memory_limit() {
    const uint64_t limit = memory_limit();
    if (limit == 0) return;
    auto total_bytes = [&](const std::vector<std::shared_ptr<RecordingStore>>& all) {
        uint64_t total = 0;
        for (const auto& s : all)
            total += s->bytes();
        return total;
    };
    auto all = stores();
    uint64_t total = total_bytes(all);
    if (total <= limit) return;
    // One evictor at a time; the others go on ingesting (the evictor catches up with them).
    std::unique_lock lock(evict_mutex_, std::try_to_lock);
    if (!lock.owns_lock()) return;

    const uint64_t target = limit - limit / 10;
    uint64_t freed_total = 0;
    std::vector<RecordingStore*> exhausted;
    while (total > target) {
        // The store holding the oldest evictable row.
        RecordingStore* victim = nullptr;
        core::Tuid oldest;
        for (const auto& s : all) {
            if (std::find(exhausted.begin(), exhausted.end(), s.get()) != exhausted.end()) continue;
            const auto id = s->oldest_row_id();
            if (id && (!victim || *id < oldest)) {
                victim = s.get();
                oldest = *id;
            }
        }
        if (!victim) break;
        const uint64_t excess = total - target;
        const uint64_t own = victim->bytes();
        const uint64_t freed = victim->evict_oldest(own > excess ? own - excess : 0);
        if (freed == 0) {
            exhausted.push_back(victim);
            continue;
        }
        freed_total += freed;
        total = total_bytes(all);
    }
    if (freed_total > 0) {
        evictions_.fetch_add(1, std::memory_order_relaxed);
        // One line at most every few seconds, with the totals so far.
        const auto now = std::chrono::steady_clock::now();
        if (now - last_eviction_report_ >= std::chrono::seconds(5)) {
            last_eviction_report_ = now;
            uint64_t rows = 0, bytes = 0;
            for (const auto& s : all) {
                const auto st = s->stats();
                rows += st.dropped_rows;
                bytes += st.dropped_bytes;
            }
            log_info("memory limit " + format_bytes(limit) + ": dropped the oldest " +
                     std::to_string(rows) + " rows (" + format_bytes(bytes) + ") so far");
        }
    }
    if (total > limit && !limit_unreachable_reported_) {
        limit_unreachable_reported_ = true;
        log_warn("memory limit " + format_bytes(limit) + " cannot be met: the remaining " +
                 format_bytes(total) + " are static data or latest values");
    }
}

}  // namespace rerun::ingest
