// StoreHub: every store of the process, keyed by StoreId (Recording ID + kind), fed by any
// number of sources at once (TCP connections, files, stdin). Whatever carries the same StoreId
// lands in the same RecordingStore. Also enforces the memory limit across all stores, and tees
// accepted messages into an RrdWriter (--save).
//
// Threads: sources call SourceSession::handle() from their own threads; the GUI reads stores()
// and queries them from its thread. The hub's own lock is held only to look up or create a store.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rerun/core/message.hpp"
#include "rerun/ingest/store.hpp"

namespace rerun::ingest {

class RrdWriter;

struct HubOptions {
    // Total accounted bytes of all stores; 0 = no limit. When exceeded, the oldest temporal rows
    // (smallest row ids) are dropped first, down to ~90% of the limit; static data and the latest
    // value of every component are kept.
    uint64_t memory_limit = 0;
    StoreOptions store;  // for every store the hub creates
};

struct HubStats {
    uint64_t messages = 0;
    uint64_t chunks_inserted = 0;
    uint64_t chunks_duplicate = 0;
    uint64_t chunks_invalid = 0;
    uint64_t evictions = 0;  // eviction rounds
    uint64_t dropped_rows = 0;
    uint64_t dropped_bytes = 0;
    uint64_t bytes = 0;  // accounted bytes of all stores now
};

class StoreHub;

// One producer's view of the hub (a connection, a file, stdin). Used from one thread at a time.
class SourceSession {
  public:
    SourceSession(StoreHub& hub, std::string name);
    ~SourceSession();
    SourceSession(const SourceSession&) = delete;
    SourceSession& operator=(const SourceSession&) = delete;

    const std::string& name() const { return name_; }
    void handle(core::Message&& message);
    uint64_t messages() const { return messages_; }

  private:
    std::shared_ptr<RecordingStore> store_for(const core::StoreId& id);

    StoreHub& hub_;
    std::string name_;
    uint64_t messages_ = 0;
    // The stores this source has written to (usually one recording and one blueprint; a map, so
    // that a source naming a new store in every message costs no scan per message).
    std::map<core::StoreId, std::shared_ptr<RecordingStore>> stores_;
};

class StoreHub {
  public:
    explicit StoreHub(HubOptions options = {});
    ~StoreHub();
    StoreHub(const StoreHub&) = delete;
    StoreHub& operator=(const StoreHub&) = delete;

    // ---- for the GUI and tools (any thread) -------------------------------------------------
    std::shared_ptr<RecordingStore> find(const core::StoreId& id) const;
    std::vector<std::shared_ptr<RecordingStore>> stores() const;  // sorted by id
    // The blueprint activations received, in arrival order, numbered from 0: those numbered
    // `from` and later (a caller that has read up to n asks for those from n: each call copies
    // only what is new to it). Only the last kKeptActivations are kept, so that a sender
    // repeating activations cannot grow memory without bound: a caller further behind gets the
    // kept ones. *next, when given, is set to the number the next activation will have (what to
    // pass as `from` next time).
    static constexpr size_t kKeptActivations = 1024;
    std::vector<core::BlueprintActivation> blueprint_activations(size_t from = 0,
                                                                 size_t* next = nullptr) const;
    HubStats stats() const;
    // Forgets a store (the viewer's "close recording"): its memory is freed once the last reader
    // lets go of it. A source still sending to that id starts a new store with the same id and
    // application id (a live recording that is closed comes back with what arrives afterwards).
    // Returns false when no such store exists.
    bool close(const core::StoreId& id);

    // Bumped after every change in any store (a new store, inserts, evictions, infos).
    uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    // Blocks until generation() != seen or the timeout passes; returns generation().
    uint64_t wait_for_change(uint64_t seen, std::chrono::milliseconds timeout) const;
    // Called on the ingest threads after each change; must be cheap and must not call back into
    // the hub under a lock of its own (glfwPostEmptyEvent is the intended use). Set it before
    // sources start.
    void set_change_callback(std::function<void()> callback);

    // Tees every accepted message (new chunks, store infos, blueprint activations) into the
    // writer. A store's StoreInfo is written before its first chunk (synthesised with an empty
    // application id when a chunk comes first). Set it before sources start.
    void set_writer(std::shared_ptr<RrdWriter> writer);

    void set_memory_limit(uint64_t bytes);
    uint64_t memory_limit() const { return memory_limit_.load(std::memory_order_relaxed); }

    // Direct entry, for tests and tools: like a SourceSession named `source_name`.
    void handle(std::string_view source_name, core::Message&& message);

  private:
    friend class SourceSession;
    std::shared_ptr<RecordingStore> get_or_create(const core::StoreId& id);
    void on_chunk(RecordingStore& store, core::ChunkMessage&& message);
    void on_info(RecordingStore& store, const core::StoreInfo& info, std::string_view source);
    void on_activation(const core::BlueprintActivation& activation);
    void changed();
    void enforce_memory_limit();

    mutable std::mutex mutex_;  // stores_, activations_
    std::map<core::StoreId, std::shared_ptr<RecordingStore>> stores_;
    std::deque<core::BlueprintActivation> activations_;  // the last kKeptActivations
    size_t activations_dropped_ = 0;                     // the number of activations_.front()

    std::atomic<uint64_t> memory_limit_{0};
    StoreOptions store_options_;
    std::mutex evict_mutex_;
    bool limit_unreachable_reported_ = false;                     // under evict_mutex_
    std::chrono::steady_clock::time_point last_eviction_report_;  // under evict_mutex_

    std::shared_ptr<RrdWriter> writer_;
    std::function<void()> on_change_;

    std::atomic<uint64_t> generation_{0};
    mutable std::mutex wait_mutex_;
    mutable std::condition_variable wait_cv_;

    std::atomic<uint64_t> messages_{0};
    std::atomic<uint64_t> inserted_{0};
    std::atomic<uint64_t> duplicate_{0};
    std::atomic<uint64_t> invalid_{0};
    std::atomic<uint64_t> evictions_{0};
};

}  // namespace rerun::ingest
