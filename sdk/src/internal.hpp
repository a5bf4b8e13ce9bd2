// Internals of the SDK: configuration, the per-thread row queues, the batcher, and sinks.
//
// Data path:
//   log() on thread T --> Producer (T's queue for this stream: a chain of byte blocks holding
//   records) --> batcher thread (turns records into chunks, encodes frames) --> Sink queues -->
//   each sink's own thread (file, socket) or the batcher itself (memory).
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "rerun/core/chunk.hpp"
#include "rerun/core/codec.hpp"
#include "rerun/core/codec_gather.hpp"
#include "rerun/core/message.hpp"
#include "rerun/recording_stream.hpp"

namespace rerun::detail {

// ---- configuration -----------------------------------------------------------------------------

struct Config {
    double flush_tick_secs = 0.05;
    uint64_t flush_num_bytes = 1024 * 1024;
    uint64_t flush_num_rows = UINT64_MAX;
    uint64_t queue_bytes = 512ull << 20;          // rows queued before the batcher
    uint64_t pre_sink_buffer_bytes = 1ull << 30;  // frames waiting for a first sink
    uint64_t tcp_buffer_bytes = 64ull << 20;
    // The longest a log call waits: for room in the queue, or for the batcher to take a lent
    // batch (then the call copies it).
    double max_log_block_secs = 0.1;

    // Reads RERUN_FLUSH_TICK_SECS, RERUN_FLUSH_NUM_BYTES, RERUN_FLUSH_NUM_ROWS,
    // RERUN_QUEUE_BYTES, RERUN_TCP_BUFFER_BYTES, RERUN_LOG_BLOCK_SECS. Bad values are reported
    // and ignored.
    static Config from_env();
};

// "10MB", "1.5 GiB", "4096", "64kB". Decimal units are powers of 1000, *iB of 1024.
std::optional<uint64_t> parse_bytes(std::string_view text);
// RERUN=on/off/1/0/true/false/yes/no; nullopt when unset or unreadable (the latter reported).
std::optional<bool> env_bool(const char* name);

// Prints "[rerun] <text>" on stderr (one write, so lines from threads do not interleave).
void log_warning(std::string_view text);

// Names the calling thread (at most 15 characters) for top, perf and gdb: the SDK's threads are
// rerun-batcher, rerun-file-sink and rerun-tcp-sink.
void name_this_thread(const char* name);

// ---- encoded frames ----------------------------------------------------------------------------

// One or more complete frames, shared by every sink that sends them: the bytes of `data`, or,
// when `pieces` is not empty, those byte ranges in order: parts of `data` and large column
// buffers of the chunks that `keep_alive` holds, sent as they lie (see encode_messages).
class PendingHeaders;
struct Blob {
    std::shared_ptr<uint8_t[]> data;
    size_t size = 0;  // every byte of the frames
    uint64_t num_chunks = 0;
    std::vector<std::span<const uint8_t>> pieces;
    std::vector<std::shared_ptr<const void>> keep_alive;
    // Set while the frames' payload hashes are still being computed: each frame header is then a
    // piece of zeros, and only sinks that write headers last (Sink::writes_headers_last) may
    // take the blob. finished_blob() makes the blob for the others.
    std::shared_ptr<PendingHeaders> pending_headers;
    // The pieces include a log call's own memory (a borrowed batch of kCallerWaitMinBytes or
    // more), and that call waits until the last holder of this blob lets go of it: only sinks
    // that write headers last (and so let go soon) may hold it; the others get a copy
    // (copied_blob) from dispatch().
    bool holds_caller_memory = false;

    // Calls f(std::span<const uint8_t>) on each range in order while it returns true; returns
    // false when a call did.
    template <class F>
    bool for_each_piece(F&& f) const {
        if (pieces.empty()) return f(std::span<const uint8_t>(data.get(), size));
        for (const auto& piece : pieces) {
            if (!f(piece)) return false;
        }
        return true;
    }
};
using BlobPtr = std::shared_ptr<const Blob>;

// The headers of a blob's frames, computed after the blob went to the sinks that write headers
// last (a 600 MB point cloud is written while it is hashed). Thread-safe: finish() on the
// batcher, wait() on a sink's thread.
class PendingHeaders {
  public:
    struct Header {
        size_t piece = 0;     // the blob's piece this header replaces
        uint64_t offset = 0;  // its first byte's offset in the blob
        std::array<uint8_t, core::wire::kFrameHeaderSize> bytes{};
    };
    PendingHeaders(std::shared_ptr<const core::Bytes> own, std::vector<core::FramePiece> pieces,
                   std::vector<core::UnhashedFrame> frames);
    // Hashes every frame's payload and publishes the headers. From one thread (the batcher);
    // later calls return at once.
    void finish();
    // Blocks until finish() has run; the headers are then final.
    const std::vector<Header>& wait();

  private:
    std::shared_ptr<const core::Bytes> own_;
    std::vector<core::FramePiece> pieces_;
    std::vector<core::UnhashedFrame> frames_;
    std::vector<Header> headers_;  // offsets known from the start, bytes once ready_
    std::mutex mu_;
    std::condition_variable ready_cv_;
    bool ready_ = false;
};

// `blob` with its pending headers finished (finish() is called here): the same pieces, each
// header piece now pointing at its final bytes.
BlobPtr finished_blob(const BlobPtr& blob);
// Every byte of `blob` (finished) in one buffer of its own: it holds nothing of the chunks.
BlobPtr copied_blob(const Blob& blob);

// A log call's borrowed batch of kCallerWaitMinBytes or more is not copied: the row takes the
// caller's memory as it is, and the call waits until nothing holds it any more (written by the
// file sinks; copied in dispatch() for the sinks that keep data). All of the call's lent values
// share one owner, a token whose deleter releases the call. The batcher take()s the row before
// it reads the values; a row not taken within the call's patience (the batcher is stuck behind
// a sink, or gone) is revoked: the call copies its data, swaps the copies in, and returns, as if
// it had copied from the start. Once taken, the call waits for the file sinks' writes.
inline constexpr size_t kCallerWaitMinBytes = size_t(64) << 20;
class CallerBorrow {
  public:
    // The caller, for each lent batch before it commits the row: a buffer of `bytes` owned by
    // the call's token (the same for every batch), to put in the record. On std::bad_alloc,
    // nothing is recorded (the token may have been created).
    static core::Buffer* lend(const std::shared_ptr<CallerBorrow>& borrow,
                              std::span<const uint8_t> bytes);
    // The batcher, on consuming the row, before reading any of its values: from here on they are
    // the batcher's, and the caller waits for their release. False when the row was revoked
    // (the values are then copies, not the caller's memory).
    bool take();
    // The caller: returns once released, or once it has revoked the row (after patience_secs).
    void wait(double patience_secs);
    // The caller, instead of wait(), when its row is dropped before it was committed (an
    // allocation failed): the lent buffers have been freed with the record's other entries.
    // Forgets them and drops the token, so that nothing keeps this object alive.
    void abandon() noexcept;

  private:
    void release();
    std::mutex mu_;
    std::condition_variable cv_;
    bool released_ = false;
    bool taken_ = false;
    bool revoked_ = false;
    // The caller's side, touched only by the caller (and by it only until it waits or, for
    // *lent_, while the row is not taken).
    std::shared_ptr<const void> token_;  // dropped by wait(): the buffers hold the only copies
    std::vector<core::Buffer*> lent_;
    std::vector<std::span<const uint8_t>> lent_bytes_;
};

// Frames of kGatherMinBytes or more are not copied whole: their column buffers of kBorrowMinBytes
// or more stay where they are (the chunk is kept alive), so a big point cloud moved into log()
// reaches the file or socket with no copy in between (fresh memory is slow to fill: the kernel
// zeroes every page first).
inline constexpr uint64_t kGatherMinBytes = uint64_t(8) << 20;
inline constexpr uint64_t kBorrowMinBytes = uint64_t(1) << 20;
class FrameBufferPool;
// `pool`, when given, supplies the buffer of frames written whole (see FrameBufferPool).
// `defer_hashes`: a blob of large frames comes back with pending_headers (its payload not yet
// hashed); otherwise every header is final.
std::shared_ptr<Blob> encode_messages(const std::vector<core::Message>& messages,
                                      FrameBufferPool* pool = nullptr, bool defer_hashes = false);

// Buffers for encoded frames, recycled between flushes. Each flush writes about
// RERUN_FLUSH_NUM_BYTES of frames, and a fresh buffer costs a page fault per 4 KiB on its first
// write (the kernel zeroes every page first), which made encoding a third of the batcher's
// page faults. A buffer handed out returns here when its last holder (a sink) drops it. Holds at
// most kMaxBuffers buffers of at most kMaxBufferBytes; thread-safe (sinks release on their own
// threads). Frames under kMinBufferBytes are not pooled (malloc reuses small blocks anyway), and
// a buffer is at most 1.25x the frames it holds: limits count frames by their size, and a queue
// of small frames must not pin big buffers. Create with std::make_shared: released buffers find the
// pool through a weak_ptr, so they may outlive it.
class FrameBufferPool : public std::enable_shared_from_this<FrameBufferPool> {
  public:
    static constexpr size_t kMaxBuffers = 4;
    static constexpr size_t kMinBufferBytes = size_t(64) << 10;
    static constexpr size_t kMaxBufferBytes = size_t(8) << 20;

    ~FrameBufferPool();
    // At least `size` and at most 1.25 * `size` uninitialised bytes; null when `size` is under
    // kMinBufferBytes or over kMaxBufferBytes.
    std::shared_ptr<uint8_t[]> take(size_t size);
    size_t free_buffers();

  private:
    struct Entry {
        uint8_t* data;
        size_t capacity;
    };
    void give_back(uint8_t* data, size_t capacity);

    std::mutex mu_;
    std::vector<Entry> free_;
};

// Uninitialised bytes. Large blocks are 2 MiB aligned with transparent huge pages requested,
// which spares the kernel most page faults when hundreds of MB are copied in.
std::shared_ptr<uint8_t[]> allocate_bytes(size_t size);

// memcpy for copying a borrowed batch into memory from allocate_bytes(). From 64 MiB on, the copy
// is split across up to 4 threads (as many as the hardware has), joined before returning: most
// of the cost of filling fresh memory is the kernel faulting and zeroing its pages, which then
// runs on every core at once (600 MB here: 0.180 s on one thread, 0.101 s on two).
void copy_bytes(uint8_t* dst, const uint8_t* src, size_t n);

// ---- sinks -------------------------------------------------------------------------------------

struct SinkCounters {
    std::atomic<uint64_t> frames_dropped{0};
    std::atomic<uint64_t> bytes_dropped{0};
    std::atomic<uint64_t> bytes_written{0};
    std::atomic<uint64_t> reconnects{0};
    std::atomic<int64_t> tcp_connected{0};
};

class Sink {
  public:
    virtual ~Sink() = default;
    // The store info frame; sent first (and again on every new TCP connection).
    virtual void start(BlobPtr store_info) = 0;
    // Queues frames. A TCP sink never blocks for long: beyond its byte bound it drops (and
    // counts) the frames. A file or stdout sink waits for the disk while it holds a few flushes
    // (nothing is dropped for a slow disk; the wait reaches log calls through the stream's own
    // bounded queue). The memory sink appends.
    virtual void send(BlobPtr frames) = 0;
    // Waits until everything queued so far is written, at most until `deadline`. False when
    // something is left, or was lost to a failure.
    virtual bool wait_drained(std::chrono::steady_clock::time_point deadline) = 0;
    // True for a sink that takes blobs with pending headers (it writes their bytes, then each
    // header in place once PendingHeaders::wait() returns) and lets go of every blob soon after
    // it is sent (so the blob may hold a log call's memory): a file sink on a regular file.
    // Fixed for the life of the sink.
    virtual bool writes_headers_last() const { return false; }
    // Why the sink lost data for good ("cannot write '/a.rrd': No space left on device (the
    // disk is full)"); empty while it works.
    virtual std::string failure() const { return {}; }
    // Where it writes, for people: "'/a.rrd'", "the viewer at 127.0.0.1:9876".
    virtual std::string name() const = 0;
    // Sends end-of-stream, writes what it can within its own bound, closes. Idempotent.
    virtual void close(BlobPtr end_of_stream) = 0;
    // In a forked child: a sink the child should use instead (TCP: a fresh connection to the
    // same address), or null (files and memory are the parent's).
    virtual std::shared_ptr<Sink> clone_for_child() const { return nullptr; }
};

// Validates and opens; errors are returned to the caller of save()/connect().
Result<std::shared_ptr<Sink>> make_file_sink(const std::string& path, SinkCounters* counters);
Result<std::shared_ptr<Sink>> make_stdout_sink(SinkCounters* counters);
std::shared_ptr<Sink> make_memory_sink(std::shared_ptr<MemoryStorage> storage,
                                       SinkCounters* counters);
Result<std::shared_ptr<Sink>> make_tcp_sink(const std::string& addr, float flush_timeout_sec,
                                            uint64_t buffer_bytes, SinkCounters* counters);

// "rerun+http://host:port/proxy", "http://host:port", "host:port" -> host and port.
Result<std::pair<std::string, uint16_t>> parse_address(std::string_view url);

// Our viewer listening at host:port answers the handshake with Ok.
enum class ProbeResult { Ours, Refused, NotOurs, Timeout };
ProbeResult probe_viewer(const std::string& host, uint16_t port, double timeout_secs,
                         std::string* detail);

struct MemoryStorage {
    std::mutex mu;
    BlobPtr store_info;
    std::vector<BlobPtr> blobs;
    size_t bytes = 0;
    std::weak_ptr<StreamImpl> stream;  // flushed by take()
};

// ---- per-thread row queues ---------------------------------------------------------------------

// A block of records. The producer appends and publishes `committed`; the batcher reads up to
// it. `next` is set after the final `committed`, so a reader that sees `next` and re-reads
// `committed` has everything.
struct Block {
    explicit Block(size_t cap) : data(new uint8_t[cap]), capacity(cap) {}
    std::unique_ptr<uint8_t[]> data;
    size_t capacity;
    std::atomic<size_t> committed{0};
    std::atomic<Block*> next{nullptr};
};

inline constexpr size_t kBlockSize = 64 * 1024;
// Component data at least this big travels as a separate buffer (shared when the user's
// Collection owns it) rather than inside a block.
inline constexpr size_t kExternalThreshold = 32 * 1024;

enum class RecordKind : uint32_t {
    DefineEntity = 1,
    DefineTimeline = 2,
    DefineSlot = 3,
    Row = 4,
    Chunk = 5,
};

struct RecordHeader {
    RecordKind kind;
    uint32_t size;  // of the whole record, a multiple of 8
};

struct TimelineState {
    std::string name;
    core::TimeType type = core::TimeType::Sequence;
    uint32_t id = 0;
    bool active = false;
    int64_t value = 0;
};

// One thread's queue into one stream. Owned jointly by the thread (thread_local cache) and the
// stream; the batcher deletes it once the thread is gone and its records are consumed.
struct Producer {
    explicit Producer(uint64_t id_) : id(id_) {}
    ~Producer();

    uint64_t id;

    // ---- producer side (the owning thread only)
    Block* tail = nullptr;
    size_t write_pos = 0;
    std::unordered_map<std::string, uint32_t> entities;
    std::string last_entity;  // one-entry cache in front of `entities`
    uint32_t last_entity_id = 0;
    bool has_last_entity = false;
    std::vector<TimelineState> timelines;  // at most 64 (a bit mask per row)
    uint64_t active_mask = 0;
    std::unordered_map<const ComponentSlot*, uint32_t> slots;
    const ComponentSlot* last_slots[4] = {};
    uint32_t last_slot_ids[4] = {};

    // ---- batcher side (own cache line: the producer writes next to it on every call)
    alignas(64) Block* head = nullptr;
    size_t read_pos = 0;
    uint64_t consumed_rows = 0;  // rows (and their flush bytes) the batcher has taken from here
    uint64_t consumed_bytes = 0;

    // Flush thresholds as points in this thread's rows_logged / bytes_logged: the log call that
    // reaches one wakes the batcher and sets it to UINT64_MAX (disarmed). Set by the batcher
    // after each drain, read by every log call (own cache line: it changes once per drain, not
    // per call). Starting at 0, a new thread's first row wakes the batcher, which then shares
    // out what is left of the thresholds among the threads.
    alignas(64) std::atomic<uint64_t> wake_rows_at{0};
    std::atomic<uint64_t> wake_bytes_at{0};

    // Blocks the batcher has finished with, for reuse by the producer.
    alignas(64) std::mutex free_mu;
    std::vector<Block*> free_blocks;

    std::atomic<bool> thread_exited{false};
    std::atomic<bool> orphaned{false};     // its stream has shut down
    std::atomic<uint64_t> rows_logged{0};  // written by the producer only
    // What its rows count towards RERUN_FLUSH_NUM_BYTES (row id, times, component data), summed;
    // written by the producer only.
    std::atomic<uint64_t> bytes_logged{0};
};

// Hot-path entry points (producer.cpp).
void set_time(StreamImpl& impl, std::string_view name, int type, int64_t value);
void disable_timeline(StreamImpl& impl, std::string_view name);
void reset_time(StreamImpl& impl);
Error log_row(StreamImpl& impl, std::string_view entity_path, bool is_static,
              const BatchRef* batches, size_t num_batches);
Error send_chunk(StreamImpl& impl, std::shared_ptr<core::Chunk> chunk);

// ---- the stream --------------------------------------------------------------------------------

class Batcher;

struct StreamImpl : std::enable_shared_from_this<StreamImpl> {
    StreamImpl(std::string app_id, std::string recording_id, StoreKind kind, Config config,
               std::string language = "cpp");
    ~StreamImpl();

    const std::string app_id;
    const std::string recording_id;
    const StoreKind kind;
    const Config config;
    core::StoreId store_id;
    BlobPtr store_info_frame;
    BlobPtr end_of_stream_frame;

    // Identity for thread-local lookups; replaced in a forked child so that threads re-register.
    std::atomic<uint64_t> serial{0};

    // Producers (under producers_mu).
    std::mutex producers_mu;
    std::vector<std::shared_ptr<Producer>> producers;
    std::atomic<uint64_t> queued_bytes{0};
    std::atomic<bool> queue_overloaded{false};  // a log call timed out waiting for room

    // Batcher thread control (under mu).
    std::mutex mu;
    std::condition_variable wake_cv;
    std::condition_variable done_cv;
    std::atomic<bool> wake_requested{false};
    uint64_t flush_requested = 0;
    uint64_t flush_completed = 0;
    bool stopping = false;
    bool closed = false;               // after shutdown(): no batcher any more
    std::atomic<bool> stopped{false};  // same, readable without the lock (log calls drop)
    Batcher* batcher = nullptr;
    std::thread* batcher_thread = nullptr;
    std::atomic<bool> needs_restart{false};        // forked child: threads are started on next use
    std::atomic<uint64_t> rows_logged_retired{0};  // rows of producers already removed

    // Sinks (under sinks_mu). With no sink, frames wait in `pending`.
    // flush_all() takes it with try_lock() until its deadline: flush_blocking(timeout) must
    // not wait past it for a batcher stuck in dispatch() (a pipe whose reader stopped reading).
    std::mutex sinks_mu;
    std::vector<std::shared_ptr<Sink>> sinks;
    std::deque<BlobPtr> pending;
    uint64_t pending_bytes = 0;
    bool pending_drop_reported = false;
    SinkCounters counters;

    // Counters.
    std::atomic<uint64_t> rows_dropped{0};
    std::atomic<uint64_t> chunks_encoded{0};
    std::atomic<uint64_t> bytes_encoded{0};
    std::atomic<bool> drop_reported{false};

    // The calling thread's producer (registers one on first use).
    Producer* producer();
    void ensure_started();
    // Wakes the batcher: one atomic exchange when a wake is already pending, else a pass
    // through `mu` and a notify.
    void wake();
    // Batches everything logged so far and hands it to the sinks. Waits at most until deadline.
    bool flush_batcher(std::chrono::steady_clock::time_point deadline);
    // Then waits for every sink. The error names each sink that failed (its failure()) or was
    // not drained by the deadline.
    Error flush_all(std::chrono::steady_clock::time_point deadline);
    // Called by the batcher with freshly encoded frames.
    void dispatch(BlobPtr frames);
    void replace_sinks(std::vector<std::shared_ptr<Sink>> new_sinks);
    // Flush, close sinks, stop the batcher. Idempotent.
    void shutdown();
    // pthread_atfork child: forget the parent's threads and sinks.
    void after_fork_in_child();
};

// Registry of live streams, for the exit and fork handlers.
void register_stream(StreamImpl* impl);
void unregister_stream(StreamImpl* impl);

// Runs the batcher loop of `impl` until stopping.
void run_batcher(StreamImpl* impl, Batcher* batcher);
Batcher* new_batcher(StreamImpl* impl);
void delete_batcher(Batcher* batcher);

uint64_t next_serial();

}  // namespace rerun::detail
