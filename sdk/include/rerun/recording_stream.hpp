// RecordingStream: the handle through which a program logs data into a recording.
//
// Threads: log() and set_time_*() only append to a buffer owned by the calling thread (no lock,
// no syscall, no allocation in the steady state). One background thread per stream batches rows
// into chunks (flushed every RERUN_FLUSH_TICK_SECS, default 0.05 s, or once RERUN_FLUSH_NUM_BYTES,
// default 1 MiB, or RERUN_FLUSH_NUM_ROWS rows have accumulated) and encodes them; each sink
// writes from its own thread.
//
// Time is per thread and per stream, as upstream: set_time_* affects later log calls made by the
// same thread on the same stream. Every non-static row also gets the `log_time` timeline.
//
// Bound on blocking: a log call waits only when the stream's internal queue (rows not yet
// batched) exceeds RERUN_QUEUE_BYTES (default 512 MiB), and then at most 100 ms
// (RERUN_LOG_BLOCK_SECS) before it drops the row; until there is room again, later calls drop at once without waiting. Drops are counted
// (stats().rows_dropped) and reported once.
//
// Handles are cheap to copy and share one stream; the stream is flushed and its sinks closed
// when the last handle goes away, and at process exit.
#pragma once

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rerun/component_batch.hpp"
#include "rerun/error.hpp"
#include "rerun/sinks.hpp"

namespace rerun::blueprint {
inline namespace api {
class Blueprint;  // rerun/blueprint.hpp
}
}  // namespace rerun::blueprint

namespace rerun {

enum class StoreKind { Recording, Blueprint };

struct RecordingStreamOptions {
    StoreKind store_kind = StoreKind::Recording;
    // Used when the RERUN environment variable is unset (RERUN=on/off/1/0/true/false wins).
    bool default_enabled = true;
    // The producer's language in the store info (shown by `rerun rrd print` and the viewer's
    // sources); language bindings over this SDK (the Python SDK: "python") set their own.
    std::string_view source_language = "cpp";
};

// Counters of one stream, for tests and diagnostics.
struct RecordingStats {
    uint64_t rows_logged = 0;
    uint64_t rows_dropped = 0;  // log calls whose row was dropped: the queue full, or no memory
    uint64_t chunks_encoded = 0;
    uint64_t bytes_encoded = 0;   // frame bytes produced by the batcher
    uint64_t frames_dropped = 0;  // frames that a sink or the pre-sink buffer had to drop
    uint64_t bytes_dropped = 0;
    uint64_t bytes_written = 0;  // bytes written by the sinks (files, sockets, memory)
    uint64_t reconnects = 0;     // successful TCP (re)connections
    uint64_t tcp_connected = 0;  // TCP sinks connected right now
};

class RecordingStream {
  public:
    explicit RecordingStream(std::string_view app_id, std::string_view recording_id = {},
                             StoreKind store_kind = StoreKind::Recording);
    RecordingStream(std::string_view app_id, std::string_view recording_id,
                    const RecordingStreamOptions& options);
    ~RecordingStream();
    RecordingStream(const RecordingStream&) = default;
    RecordingStream(RecordingStream&&) noexcept = default;
    RecordingStream& operator=(const RecordingStream&) = default;
    RecordingStream& operator=(RecordingStream&&) noexcept = default;

    // ---- identity and state --------------------------------------------------------------------
    bool is_enabled() const { return enabled_; }
    StoreKind kind() const;
    const std::string& get_application_id() const;
    const std::string& get_recording_id() const;
    RecordingStats stats() const;

    // ---- global / thread-local recording -------------------------------------------------------
    // Makes this the global recording (of its kind) and exports its Recording ID as
    // RERUN_RECORDING_ID, so that child processes started afterwards join the same recording.
    void set_global() const;
    // Makes this the recording of the calling thread (of its kind).
    void set_thread_local() const;
    // The thread-local recording, else the global one, else a disabled stream.
    static RecordingStream current(StoreKind store_kind = StoreKind::Recording);

    // ---- sinks ---------------------------------------------------------------------------------
    // Starts a viewer (or reuses ours when it already listens on the port) and connects to it.
    Error spawn(const SpawnOptions& options = {}) const;
    Error connect_grpc(std::string_view url = "rerun+http://127.0.0.1:9876/proxy") const;
    Error connect_tcp(std::string_view tcp_addr = "127.0.0.1:9876",
                      float flush_timeout_sec = 2.0f) const;
    Error connect(std::string_view tcp_addr = "127.0.0.1:9876",
                  float flush_timeout_sec = 2.0f) const {
        return connect_tcp(tcp_addr, flush_timeout_sec);
    }
    Error save(std::string_view path) const;
    Error to_stdout() const;
    // Replaces the sinks with a memory sink and returns it.
    MemorySink memory() const;

    // Replaces all sinks at once. Data logged before the first sink is set is delivered to it.
    template <class... Ts>
    Error set_sinks(const Ts&... sinks) const {
        std::vector<SinkSpec> specs;
        (specs.push_back(SinkSpec(sinks)), ...);
        return set_sinks_impl(specs);
    }

    // Flushes, sends end-of-stream and closes every sink. Later data is buffered again.
    void disconnect() const;
    // Batches everything logged so far and waits until every sink has written it, at most
    // timeout_sec. Returns an error on timeout (e.g. viewer unreachable).
    Error flush_blocking(float timeout_sec = std::numeric_limits<float>::infinity()) const;

    // ---- time (per thread) ---------------------------------------------------------------------
    void set_time_sequence(std::string_view timeline_name, int64_t sequence_nr) const;
    void set_time_duration_nanos(std::string_view timeline_name, int64_t nanos) const;
    void set_time_duration_secs(std::string_view timeline_name, double secs) const {
        set_time_duration_nanos(timeline_name, int64_t(std::llround(secs * 1e9)));
    }
    template <class Rep, class Period>
    void set_time_duration(std::string_view timeline_name,
                           std::chrono::duration<Rep, Period> duration) const {
        set_time_duration_nanos(
            timeline_name, std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count());
    }
    void set_time_timestamp_nanos_since_epoch(std::string_view timeline_name, int64_t nanos) const;
    void set_time_timestamp_secs_since_epoch(std::string_view timeline_name, double secs) const {
        set_time_timestamp_nanos_since_epoch(timeline_name, int64_t(std::llround(secs * 1e9)));
    }
    template <class Clock, class Duration>
    void set_time_timestamp(std::string_view timeline_name,
                            std::chrono::time_point<Clock, Duration> time) const {
        set_time_timestamp_nanos_since_epoch(
            timeline_name,
            std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
    }
    // Older API. The first value set on a timeline decides its type: values of 10^9 s (about
    // 31 years) or more are taken as timestamps since the epoch, smaller ones as durations.
    void set_time_seconds(std::string_view timeline_name, double seconds) const {
        set_time_nanos(timeline_name, int64_t(std::llround(seconds * 1e9)));
    }
    void set_time_nanos(std::string_view timeline_name, int64_t nanos) const;
    template <class Clock, class Duration>
    void set_time(std::string_view timeline_name,
                  std::chrono::time_point<Clock, Duration> time) const {
        set_time_timestamp(timeline_name, time);
    }
    template <class Rep, class Period>
    void set_time(std::string_view timeline_name,
                  std::chrono::duration<Rep, Period> duration) const {
        set_time_duration(timeline_name, duration);
    }
    void disable_timeline(std::string_view timeline_name) const;
    void reset_time() const;

    // ---- logging -------------------------------------------------------------------------------
    // Logs any number of archetypes as one row of `entity_path`. Never throws unless strict mode
    // is on; errors are reported through Error::handle.
    template <AsComponents... Ts>
    void log(std::string_view entity_path, const Ts&... as_components) const {
        log_with_static(entity_path, false, as_components...);
    }
    // Static data: holds at all times, has no timelines.
    template <AsComponents... Ts>
    void log_static(std::string_view entity_path, const Ts&... as_components) const {
        log_with_static(entity_path, true, as_components...);
    }
    template <AsComponents... Ts>
    void log_with_static(std::string_view entity_path, bool is_static,
                         const Ts&... as_components) const {
        if (!enabled_) return;
        const Error err = try_log_with_static(entity_path, is_static, as_components...);
        if (err.is_err()) detail::report_error(err);
    }
    template <AsComponents... Ts>
    Error try_log(std::string_view entity_path, const Ts&... as_components) const {
        return try_log_with_static(entity_path, false, as_components...);
    }
    template <AsComponents... Ts>
    Error try_log_static(std::string_view entity_path, const Ts&... as_components) const {
        return try_log_with_static(entity_path, true, as_components...);
    }
    template <AsComponents... Ts>
    Error try_log_with_static(std::string_view entity_path, bool is_static,
                              const Ts&... as_components) const {
        if (!enabled_) return Error::ok();
        constexpr size_t kMax = (size_t(0) + ... + Ts::kMaxBatches);
        std::array<detail::BatchRef, (kMax > 0 ? kMax : 1)> refs;
        size_t n = 0;
        ((n += as_components.collect_batches(refs.data() + n)), ...);
        return log_batches(entity_path, is_static, refs.data(), n);
    }

    // Lower level: one row made of the given batches.
    Error log_batches(std::string_view entity_path, bool is_static, const detail::BatchRef* batches,
                      size_t num_batches) const;

    // ---- columnar ------------------------------------------------------------------------------
    // Sends many rows at once: one value per row in every time column, and each component
    // column split into rows by `lengths` (empty: one instance per row). Bypasses batching.
    struct TimeColumn {
        std::string timeline;
        int kind = 1;  // core::TimeType value
        std::vector<int64_t> times;
        static TimeColumn from_sequence(std::string_view name, std::vector<int64_t> seq) {
            return {std::string(name), 1, std::move(seq)};
        }
        static TimeColumn from_duration_secs(std::string_view name, const std::vector<double>& s);
        static TimeColumn from_timestamp_secs_since_epoch(std::string_view name,
                                                          const std::vector<double>& s);
    };
    Error send_columns(std::string_view entity_path, const std::vector<TimeColumn>& time_columns,
                       const std::vector<detail::BatchRef>& columns,
                       const std::vector<std::vector<uint32_t>>& lengths) const;
    // Convenience: one time column and one archetype whose every batch holds one instance per row.
    template <AsComponents T>
    Error send_columns(std::string_view entity_path, const TimeColumn& time_column,
                       const T& archetype) const {
        return send_columns(entity_path, time_column, ArchetypeColumns<T>{archetype, {}});
    }
    // Upstream's form: one time column or several ({a, b}), then the columns of one or more
    // archetypes, each split into rows its own way:
    //   rec.send_columns("points", TimeColumn::from_sequence("step", steps),
    //                    rerun::Points3D(positions).columns(lengths),
    //                    rerun::Points3D::update_fields().with_colors(colors).columns());
    // A component given twice is an error.
    template <AsComponents... Ts>
    requires(sizeof...(Ts) > 0) Error
        send_columns(std::string_view entity_path, const Collection<TimeColumn>& time_columns,
                     const ArchetypeColumns<Ts>&... columns)
    const {
        std::vector<detail::BatchRef> refs;
        std::vector<std::vector<uint32_t>> lengths;
        (append_columns(columns, refs, lengths), ...);
        return send_columns(entity_path,
                            std::vector<TimeColumn>(time_columns.begin(), time_columns.end()), refs,
                            lengths);
    }

    // ---- blueprints ----------------------------------------------------------------------------
    // Sends a layout for this stream's application id through this stream's sinks, after the
    // data logged so far (rerun/blueprint.hpp). make_active: the viewer shows it now (and saves
    // it as the application's blueprint); make_default: it is what the viewer resets to, and
    // what it shows when the user has no blueprint of their own for the application.
    Error send_blueprint(const blueprint::api::Blueprint& blueprint, bool make_active = true,
                         bool make_default = true) const;

    // ---- internal ------------------------------------------------------------------------------
    struct SinkSpec {
        enum class Kind { File, Tcp, Memory, Stdout } kind;
        std::string target;
        float flush_timeout_sec = 2.0f;
        uint64_t buffer_bytes = 0;
        std::shared_ptr<detail::MemoryStorage> memory;
        SinkSpec(const FileSink& s) : kind(Kind::File), target(s.path) {}
        SinkSpec(const GrpcSink& s);
        SinkSpec(const TcpSink& s)
            : kind(Kind::Tcp),
              target(s.addr),
              flush_timeout_sec(s.flush_timeout_sec),
              buffer_bytes(s.buffer_bytes) {}
        SinkSpec(const MemorySink& s) : kind(Kind::Memory), memory(s.storage) {}
        SinkSpec(const StdoutSink&) : kind(Kind::Stdout) {}
    };
    Error set_sinks_impl(const std::vector<SinkSpec>& specs) const;
    template <AsComponents T>
    static void append_columns(const ArchetypeColumns<T>& columns,
                               std::vector<detail::BatchRef>& refs,
                               std::vector<std::vector<uint32_t>>& lengths) {
        std::array<detail::BatchRef, T::kMaxBatches> batch;
        const size_t n = columns.archetype.collect_batches(batch.data());
        refs.insert(refs.end(), batch.begin(), batch.begin() + n);
        lengths.insert(lengths.end(), n, columns.lengths);
    }
    explicit RecordingStream(std::shared_ptr<detail::StreamImpl> impl);
    const std::shared_ptr<detail::StreamImpl>& impl() const { return impl_; }

  private:
    void set_time_impl(std::string_view timeline_name, int type, int64_t value) const;

    std::shared_ptr<detail::StreamImpl> impl_;
    bool enabled_ = false;
};

using TimeColumn = RecordingStream::TimeColumn;

// ---- Python-style global recording -------------------------------------------------------------
struct InitOptions {
    std::string_view recording_id = {};
    bool default_enabled = true;
    bool spawn = false;
    SpawnOptions spawn_options = {};
    // When non-empty, connects to this address ("host:port" or a rerun+http URL).
    std::string_view connect = {};
};
// Creates a recording, makes it the global one (exporting its id to child processes), and
// optionally spawns or connects.
RecordingStream init(std::string_view app_id, const InitOptions& options = {});

std::optional<RecordingStream> get_global_data_recording();
std::optional<RecordingStream> get_thread_local_data_recording();
// The thread-local recording if any, else the global one.
std::optional<RecordingStream> get_data_recording();
// Each returns the previous one.
std::optional<RecordingStream> set_global_data_recording(std::optional<RecordingStream> rec);
std::optional<RecordingStream> set_thread_local_data_recording(std::optional<RecordingStream> rec);

// Starts a viewer listening on options.port, or finds one of ours already listening there, and
// returns once it accepts connections (at most options.startup_timeout_sec). Connects nothing:
// RecordingStream::spawn() is this followed by connect_tcp().
Error spawn(const SpawnOptions& options = {});

// A fresh random UUIDv4, as used for default Recording IDs.
std::string new_recording_id();

}  // namespace rerun
