// StreamImpl: lifetime of a stream's threads and sinks, flushing, process exit and fork.
#include <pthread.h>

#include <algorithm>
#include <cstdlib>

#include "internal.hpp"
#include "rerun/core/tuid.hpp"

namespace rerun::detail {

namespace {

std::atomic<uint64_t> g_serial{1};

// Live streams, for the exit and fork handlers. Never destroyed: streams may outlive static
// destruction order (a global recording, a stream in a static object).
std::mutex& registry_mu() {
    static auto* mu = new std::mutex;
    return *mu;
}
std::vector<StreamImpl*>& registry() {
    static auto* streams = new std::vector<StreamImpl*>;
    return *streams;
}

void on_exit() {
    std::vector<std::shared_ptr<StreamImpl>> streams;
    {
        std::lock_guard lock(registry_mu());
        for (StreamImpl* s : registry()) {
            if (auto p = s->weak_from_this().lock()) streams.push_back(std::move(p));
        }
    }
    for (auto& s : streams)
        s->shutdown();
}

void fork_prepare() {
    registry_mu().lock();
    for (StreamImpl* s : registry()) {
        s->mu.lock();
        s->producers_mu.lock();
        s->sinks_mu.lock();
    }
}
void fork_parent() {
    for (StreamImpl* s : registry()) {
        s->sinks_mu.unlock();
        s->producers_mu.unlock();
        s->mu.unlock();
    }
    registry_mu().unlock();
}
void fork_child() {
    for (StreamImpl* s : registry()) {
        s->sinks_mu.unlock();
        s->producers_mu.unlock();
        s->mu.unlock();
        s->after_fork_in_child();
    }
    registry_mu().unlock();
}

// What a forked child abandons stays reachable from here, so that leak checkers do not flag it.
void keep_forever(const void* p) {
    static auto* graveyard = new std::vector<const void*>;
    graveyard->push_back(p);
}

}  // namespace

uint64_t next_serial() {
    return g_serial.fetch_add(1);
}

void register_stream(StreamImpl* impl) {
    static const bool handlers = [] {
        std::atexit(on_exit);
        pthread_atfork(fork_prepare, fork_parent, fork_child);
        return true;
    }();
    (void)handlers;
    std::lock_guard lock(registry_mu());
    registry().push_back(impl);
}

void unregister_stream(StreamImpl* impl) {
    std::lock_guard lock(registry_mu());
    std::erase(registry(), impl);
}

StreamImpl::StreamImpl(std::string app_id_, std::string recording_id_, StoreKind kind_,
                       Config config_, std::string language)
    : app_id(std::move(app_id_)),
      recording_id(std::move(recording_id_)),
      kind(kind_),
      config(config_) {
    store_id.kind =
        kind == StoreKind::Blueprint ? core::StoreKind::Blueprint : core::StoreKind::Recording;
    store_id.id = recording_id;
    core::StoreInfo info;
    info.store = store_id;
    info.application_id = app_id;
    info.started_ns = core::now_nanos_since_epoch();
    info.source.language = std::move(language);
    info.source.sdk_version = "0.1.0";
    info.source.detail = "rerun_sdk (pid " + std::to_string(::getpid()) + ")";
    store_info_frame = encode_messages({core::Message(info)});
    end_of_stream_frame = encode_messages({core::Message(core::EndOfStream{store_id})});
    serial.store(next_serial());
}

StreamImpl::~StreamImpl() {
    shutdown();
}

void StreamImpl::ensure_started() {
    std::vector<std::shared_ptr<Sink>> to_start;
    {
        std::lock_guard lock(mu);
        if (closed || batcher_thread != nullptr) {
            needs_restart.store(false);
            return;
        }
        batcher = new_batcher(this);
        batcher_thread = new std::thread(run_batcher, this, batcher);
        if (needs_restart.exchange(false)) {
            std::lock_guard sl(sinks_mu);
            to_start = sinks;
        }
    }
    for (auto& s : to_start)
        s->start(store_info_frame);
}

void StreamImpl::wake() {
    if (wake_requested.exchange(true, std::memory_order_relaxed)) return;  // already pending
    // Passing through the mutex orders this wake after the batcher's look at the flag or after
    // it has gone to sleep: a notify in between would be lost, and with a long tick the batcher
    // would then sleep through a flush threshold.
    { std::lock_guard lock(mu); }
    wake_cv.notify_one();
}

bool StreamImpl::flush_batcher(std::chrono::steady_clock::time_point deadline) {
    if (needs_restart.load()) ensure_started();
    std::unique_lock lock(mu);
    if (batcher_thread == nullptr) return true;
    const uint64_t ticket = ++flush_requested;
    wake_cv.notify_one();
    return done_cv.wait_until(lock, deadline, [&] { return flush_completed >= ticket; });
}

Error StreamImpl::flush_all(std::chrono::steady_clock::time_point deadline) {
    std::string problems;
    bool failed = false;
    const auto add = [&problems](const std::string& what) {
        problems += problems.empty() ? "flush_blocking: " : "; ";
        problems += what;
    };
    if (!flush_batcher(deadline)) add("the rows logged were not all encoded within the timeout");
    std::vector<std::shared_ptr<Sink>> current;
    {
        // Polled, not try_lock_until(): ThreadSanitizer (GCC 12) does not see the lock that
        // pthread_mutex_clocklock takes. Contended only while dispatch() waits for a sink.
        std::unique_lock lock(sinks_mu, std::defer_lock);
        if (deadline == std::chrono::steady_clock::time_point::max()) lock.lock();
        while (!lock.owns_lock() && !lock.try_lock()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                add("a sink did not take what was flushed within the timeout");
                return Error(ErrorCode::RecordingStreamFlushTimeout, problems);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        current = sinks;
    }
    for (auto& s : current) {
        const bool drained = s->wait_drained(deadline);
        if (std::string failure = s->failure(); !failure.empty()) {
            failed = true;
            add(failure);
        } else if (!drained) {
            add("not everything was written to " + s->name() + " within the timeout");
        }
    }
    if (problems.empty()) return Error::ok();
    return Error(failed ? ErrorCode::FileWriteFailure : ErrorCode::RecordingStreamFlushTimeout,
                 problems);
}

void StreamImpl::dispatch(BlobPtr frames) {
    std::lock_guard lock(sinks_mu);
    // Sinks that write headers last take the blob as it is: with pending headers they write the
    // payload while this thread hashes it (a 600 MB point cloud: the hash and the write overlap).
    bool others = sinks.empty();
    for (auto& s : sinks) {
        if (s->writes_headers_last())
            s->send(frames);
        else
            others = true;
    }
    if (frames->pending_headers) {
        if (!others) {
            frames->pending_headers->finish();
            return;
        }
        frames = finished_blob(frames);
    }
    if (!others) return;
    // The others may keep a blob for long (a socket waiting for its viewer, the memory sink,
    // the buffer before a first sink): a log call waiting on its memory gets it back now.
    if (frames->holds_caller_memory) frames = copied_blob(*frames);
    if (!sinks.empty()) {
        for (auto& s : sinks) {
            if (!s->writes_headers_last()) s->send(frames);
        }
        return;
    }
    if (!pending.empty() && pending_bytes + frames->size > config.pre_sink_buffer_bytes) {
        counters.frames_dropped.fetch_add(frames->num_chunks);
        counters.bytes_dropped.fetch_add(frames->size);
        if (!pending_drop_reported) {
            pending_drop_reported = true;
            log_warning("no sink has been set and " +
                        std::to_string(config.pre_sink_buffer_bytes >> 20) +
                        " MiB are already buffered for one; dropping newer data (stats() counts "
                        "it)");
        }
        return;
    }
    pending_bytes += frames->size;
    pending.push_back(std::move(frames));
}

void StreamImpl::replace_sinks(std::vector<std::shared_ptr<Sink>> new_sinks) {
    // Everything logged so far belongs to the old sinks (or, with none, to the new ones).
    flush_batcher(std::chrono::steady_clock::time_point::max());
    std::vector<std::shared_ptr<Sink>> old;
    {
        std::lock_guard lock(sinks_mu);
        old.swap(sinks);
        sinks = std::move(new_sinks);
        for (auto& s : sinks) {
            s->start(store_info_frame);
            for (auto& b : pending)
                s->send(b);
        }
        if (!sinks.empty()) {
            pending.clear();
            pending_bytes = 0;
            pending_drop_reported = false;
        }
    }
    for (auto& s : old)
        s->close(end_of_stream_frame);
}

void StreamImpl::shutdown() {
    {
        std::lock_guard lock(mu);
        if (closed) return;
    }
    if (needs_restart.load()) ensure_started();
    std::thread* thread = nullptr;
    {
        std::lock_guard lock(mu);
        stopping = true;
        thread = batcher_thread;
    }
    wake_cv.notify_all();
    if (thread != nullptr) {
        thread->join();
        delete thread;
    }
    std::vector<std::shared_ptr<Sink>> old;
    uint64_t unsent = 0;
    {
        std::lock_guard lock(mu);
        closed = true;
        stopped.store(true);
        batcher_thread = nullptr;
        delete_batcher(batcher);
        batcher = nullptr;
    }
    {
        std::lock_guard lock(sinks_mu);
        old.swap(sinks);
        for (const auto& b : pending)
            unsent += b->num_chunks;
        pending.clear();
        pending_bytes = 0;
    }
    for (auto& s : old)
        s->close(end_of_stream_frame);
    {
        // Threads may keep their producer until they exit; give back what it holds now.
        std::lock_guard lock(producers_mu);
        for (auto& p : producers) {
            p->orphaned.store(true);
            std::lock_guard free_lock(p->free_mu);
            for (Block* b : p->free_blocks)
                delete b;
            p->free_blocks.clear();
        }
    }
    if (unsent > 0) {
        log_warning(std::to_string(unsent) + " chunk(s) logged to recording " + recording_id +
                    " were never sent: no sink was set (call save(), connect() or spawn())");
    }
    unregister_stream(this);
}

void StreamImpl::after_fork_in_child() {
    // The parent's threads do not exist here, and the state they were using may be mid-update:
    // abandon it (deliberately leaked) and start afresh on next use. Condition variables may
    // still count the parent's waiters, and the mutexes their wake-ups: make new ones.
    new (&wake_cv) std::condition_variable();
    new (&done_cv) std::condition_variable();
    new (&mu) std::mutex();
    new (&producers_mu) std::mutex();
    new (&sinks_mu) std::mutex();
    keep_forever(batcher_thread);
    keep_forever(batcher);
    batcher_thread = nullptr;
    batcher = nullptr;
    stopping = false;
    flush_requested = 0;
    flush_completed = 0;
    wake_requested.store(false);
    keep_forever(new std::vector<std::shared_ptr<Producer>>(std::move(producers)));
    producers.clear();
    queued_bytes.store(0);
    std::vector<std::shared_ptr<Sink>> child_sinks;
    for (const auto& s : sinks) {
        if (auto c = s->clone_for_child()) child_sinks.push_back(std::move(c));
    }
    keep_forever(new std::vector<std::shared_ptr<Sink>>(std::move(sinks)));
    sinks = std::move(child_sinks);
    keep_forever(new std::deque<BlobPtr>(std::move(pending)));
    pending.clear();
    pending_bytes = 0;
    serial.store(next_serial());
    needs_restart.store(!closed);
}

}  // namespace rerun::detail
