// RecordingStream: the public API over StreamImpl, Recording IDs, and the global and
// thread-local recordings.
#include "rerun/recording_stream.hpp"

#include <unistd.h>

#include <cstdlib>
#include <random>

#include "internal.hpp"
#include "rerun/core/tuid.hpp"

namespace rerun {

namespace {

// RERUN_RECORDING_ID as the process inherited it, read before anything here can export one.
const std::string& inherited_recording_id() {
    static const std::string value = [] {
        const char* v = std::getenv("RERUN_RECORDING_ID");
        return std::string(v != nullptr ? v : "");
    }();
    return value;
}
[[maybe_unused]] const bool g_capture_inherited = (inherited_recording_id(), true);

// The inherited id goes to the first stream that asks for a default id; every later one gets a
// fresh UUID, so that two streams of one process never share an id by accident.
std::atomic<bool> g_inherited_claimed{false};

std::string default_recording_id() {
    const std::string& inherited = inherited_recording_id();
    if (!inherited.empty() && !g_inherited_claimed.exchange(true)) return inherited;
    return new_recording_id();
}

bool enabled_from_env(bool default_enabled) {
    if (auto v = detail::env_bool("RERUN")) return *v;
    return default_enabled;
}

}  // namespace

std::string new_recording_id() {
    thread_local std::mt19937_64 rng = [] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), uint32_t(::getpid())};
        return std::mt19937_64(seq);
    }();
    thread_local pid_t seeded_pid = ::getpid();
    if (seeded_pid != ::getpid()) {  // forked child: do not repeat the parent's sequence
        std::random_device rd;
        rng.seed((uint64_t(rd()) << 32) ^ rd() ^ uint64_t(::getpid()));
        seeded_pid = ::getpid();
    }
    uint64_t hi = rng(), lo = rng();
    hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 0; i < 16; ++i) {
        const uint64_t word = i < 8 ? hi : lo;
        const int shift = 56 - 8 * (i % 8);
        const auto byte = uint8_t(word >> shift);
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[byte >> 4]);
        out.push_back(kHex[byte & 15]);
    }
    return out;
}

RecordingStream::RecordingStream(std::string_view app_id, std::string_view recording_id,
                                 StoreKind store_kind)
    : RecordingStream(app_id, recording_id, RecordingStreamOptions{store_kind, true}) {}

RecordingStream::RecordingStream(std::string_view app_id, std::string_view recording_id,
                                 const RecordingStreamOptions& options) {
    enabled_ = enabled_from_env(options.default_enabled);
    std::string id = recording_id.empty() ? default_recording_id() : std::string(recording_id);
    impl_ = std::make_shared<detail::StreamImpl>(std::string(app_id), std::move(id),
                                                 options.store_kind, detail::Config::from_env(),
                                                 std::string(options.source_language));
    if (enabled_) {
        detail::register_stream(impl_.get());
        impl_->ensure_started();
    }
}

RecordingStream::RecordingStream(std::shared_ptr<detail::StreamImpl> impl)
    : impl_(std::move(impl)), enabled_(impl_ != nullptr) {}

RecordingStream::~RecordingStream() = default;

StoreKind RecordingStream::kind() const {
    return impl_->kind;
}
const std::string& RecordingStream::get_application_id() const {
    return impl_->app_id;
}
const std::string& RecordingStream::get_recording_id() const {
    return impl_->recording_id;
}

RecordingStats RecordingStream::stats() const {
    RecordingStats s;
    auto& i = *impl_;
    s.rows_logged = i.rows_logged_retired.load();
    {
        std::lock_guard lock(i.producers_mu);
        for (const auto& p : i.producers)
            s.rows_logged += p->rows_logged.load();
    }
    s.rows_dropped = i.rows_dropped.load();
    s.chunks_encoded = i.chunks_encoded.load();
    s.bytes_encoded = i.bytes_encoded.load();
    s.frames_dropped = i.counters.frames_dropped.load();
    s.bytes_dropped = i.counters.bytes_dropped.load();
    s.bytes_written = i.counters.bytes_written.load();
    s.reconnects = i.counters.reconnects.load();
    s.tcp_connected = uint64_t(std::max<int64_t>(0, i.counters.tcp_connected.load()));
    return s;
}

// ---- sinks -------------------------------------------------------------------------------------

RecordingStream::SinkSpec::SinkSpec(const GrpcSink& s)
    : kind(Kind::Tcp), target(s.url), flush_timeout_sec(s.flush_timeout_sec) {}

Error RecordingStream::set_sinks_impl(const std::vector<SinkSpec>& specs) const {
    if (!enabled_) return Error::ok();
    std::vector<std::shared_ptr<detail::Sink>> sinks;
    for (const auto& spec : specs) {
        Result<std::shared_ptr<detail::Sink>> made(std::shared_ptr<detail::Sink>{});
        switch (spec.kind) {
            case SinkSpec::Kind::File:
                made = detail::make_file_sink(spec.target, &impl_->counters);
                break;
            case SinkSpec::Kind::Stdout:
                made = detail::make_stdout_sink(&impl_->counters);
                break;
            case SinkSpec::Kind::Memory:
                spec.memory->stream = impl_;
                made = detail::make_memory_sink(spec.memory, &impl_->counters);
                break;
            case SinkSpec::Kind::Tcp:
                made = detail::make_tcp_sink(
                    spec.target, spec.flush_timeout_sec,
                    spec.buffer_bytes != 0 ? spec.buffer_bytes : impl_->config.tcp_buffer_bytes,
                    &impl_->counters);
                break;
        }
        if (made.is_err()) return made.error;
        sinks.push_back(std::move(made.value));
    }
    impl_->replace_sinks(std::move(sinks));
    return Error::ok();
}

Error RecordingStream::connect_grpc(std::string_view url) const {
    GrpcSink sink;
    sink.url = std::string(url);
    auto parsed = detail::parse_address(url);
    if (parsed.is_err()) return Error(ErrorCode::InvalidServerUrl, parsed.error.description);
    return set_sinks(sink);
}

Error RecordingStream::connect_tcp(std::string_view tcp_addr, float flush_timeout_sec) const {
    TcpSink sink;
    sink.addr = std::string(tcp_addr);
    sink.flush_timeout_sec = flush_timeout_sec;
    return set_sinks(sink);
}

Error RecordingStream::save(std::string_view path) const {
    return set_sinks(FileSink{std::string(path)});
}

Error RecordingStream::to_stdout() const {
    return set_sinks(StdoutSink{});
}

MemorySink RecordingStream::memory() const {
    MemorySink sink;
    const Error err = set_sinks(sink);
    if (err.is_err()) detail::report_error(err);
    return sink;
}

void RecordingStream::disconnect() const {
    if (!enabled_) return;
    impl_->replace_sinks({});
}

Error RecordingStream::flush_blocking(float timeout_sec) const {
    if (!enabled_) return Error::ok();
    const auto deadline = std::isfinite(timeout_sec)
                              ? std::chrono::steady_clock::now() +
                                    std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                        std::chrono::duration<double>(std::max(0.f, timeout_sec)))
                              : std::chrono::steady_clock::time_point::max();
    return impl_->flush_all(deadline);
}

RecordingStream::TimeColumn RecordingStream::TimeColumn::from_duration_secs(
    std::string_view name, const std::vector<double>& s) {
    TimeColumn c{std::string(name), int(core::TimeType::Duration), {}};
    for (double v : s)
        c.times.push_back(int64_t(std::llround(v * 1e9)));
    return c;
}
RecordingStream::TimeColumn RecordingStream::TimeColumn::from_timestamp_secs_since_epoch(
    std::string_view name, const std::vector<double>& s) {
    TimeColumn c{std::string(name), int(core::TimeType::Timestamp), {}};
    for (double v : s)
        c.times.push_back(int64_t(std::llround(v * 1e9)));
    return c;
}

Error RecordingStream::send_columns(std::string_view entity_path,
                                    const std::vector<TimeColumn>& time_columns,
                                    const std::vector<detail::BatchRef>& columns,
                                    const std::vector<std::vector<uint32_t>>& lengths) const {
    if (!enabled_) return Error::ok();
    if (time_columns.empty()) {
        return Error(ErrorCode::InvalidTimeArgument, "send_columns: at least one time column");
    }
    const size_t num_rows = time_columns.front().times.size();
    for (const auto& t : time_columns) {
        if (t.times.size() != num_rows || t.timeline.empty() || t.kind < 1 || t.kind > 3) {
            return Error(ErrorCode::InvalidTimeArgument,
                         "send_columns: time columns must be non-empty, named, and equally long");
        }
    }
    for (size_t c = 0; c < columns.size(); ++c) {
        for (size_t k = 0; k < c; ++k) {
            if (columns[k].slot->component == columns[c].slot->component) {
                return Error(ErrorCode::InvalidArchetypeField,
                             "send_columns: " + std::string(columns[c].slot->component) +
                                 " is given twice; pass each component in one column only");
            }
        }
    }
    auto chunk = std::make_shared<core::Chunk>();
    chunk->id = core::Tuid::make();
    chunk->entity_path = core::EntityPath::parse_lenient(entity_path);
    chunk->num_rows = num_rows;
    std::vector<core::Tuid> row_ids(num_rows);
    for (auto& r : row_ids)
        r = core::Tuid::make();
    chunk->row_ids = core::Buffer::from_vector(std::move(row_ids));
    for (const auto& t : time_columns) {
        chunk->timelines.push_back(
            core::TimeColumn{core::Timeline{t.timeline, core::TimeType(t.kind)},
                             core::Buffer::from_vector(std::vector<core::TimeInt>(t.times))});
    }
    for (size_t c = 0; c < columns.size(); ++c) {
        const auto& b = columns[c];
        const auto type = b.slot->type->type;
        const size_t elem = type.element_size();
        core::ComponentColumn col;
        col.descriptor = {std::string(b.slot->archetype), std::string(b.slot->component),
                          std::string(b.slot->type->name)};
        col.type = type;
        col.num_rows = num_rows;
        const std::vector<uint32_t>* lens =
            c < lengths.size() && !lengths[c].empty() ? &lengths[c] : nullptr;
        if (lens != nullptr) {
            if (lens->size() != num_rows) {
                return Error(ErrorCode::InvalidArchetypeField,
                             "send_columns: one length per row is needed");
            }
            std::vector<uint32_t> offsets{0};
            for (auto l : *lens)
                offsets.push_back(offsets.back() + l);
            if (offsets.back() != b.num_instances) {
                return Error(ErrorCode::InvalidArchetypeField,
                             "send_columns: the lengths do not add up to the instances of " +
                                 std::string(b.slot->component));
            }
            col.row_offsets = core::Buffer::from_vector(std::move(offsets));
        } else if (b.num_instances != num_rows) {
            return Error(ErrorCode::InvalidArchetypeField,
                         "send_columns: " + std::string(b.slot->component) + " has " +
                             std::to_string(b.num_instances) + " instances for " +
                             std::to_string(num_rows) + " rows");
        }
        if (type.kind == core::ElementKind::Fixed) {
            col.values = core::Buffer::copy_of(b.data, b.num_instances * b.stride);
        } else {
            std::vector<uint8_t> bytes;
            std::vector<uint32_t> offs{0};
            for (size_t k = 0; k < b.num_instances; ++k) {
                const auto inst = b.instance_bytes(b.data, k);
                bytes.insert(bytes.end(), inst.begin(), inst.end());
                offs.push_back(uint32_t(bytes.size() / elem));
            }
            col.values = core::Buffer::from_vector(std::move(bytes));
            col.list_offsets = core::Buffer::from_vector(std::move(offs));
        }
        chunk->components.push_back(std::move(col));
    }
    if (auto problem = chunk->validate(); !problem.empty()) {
        return Error(ErrorCode::InvalidArchetypeField, "send_columns: " + problem);
    }
    return detail::send_chunk(*impl_, std::move(chunk));
}

// ---- global and thread-local recordings --------------------------------------------------------

namespace {

std::mutex g_globals_mu;
std::optional<RecordingStream> g_global[2];
thread_local std::optional<RecordingStream> t_local[2];

int index_of(StoreKind kind) {
    return kind == StoreKind::Blueprint ? 1 : 0;
}

}  // namespace

void RecordingStream::set_global() const {
    set_global_data_recording(*this);
}

void RecordingStream::set_thread_local() const {
    t_local[index_of(kind())] = *this;
}

RecordingStream RecordingStream::current(StoreKind store_kind) {
    if (auto& local = t_local[index_of(store_kind)]) return *local;
    {
        std::lock_guard lock(g_globals_mu);
        if (auto& global = g_global[index_of(store_kind)]) return *global;
    }
    static const RecordingStream disabled("rerun_disabled", "disabled",
                                          RecordingStreamOptions{store_kind, false});
    RecordingStream copy = disabled;
    copy.enabled_ = false;
    return copy;
}

std::optional<RecordingStream> get_global_data_recording() {
    std::lock_guard lock(g_globals_mu);
    return g_global[0];
}

std::optional<RecordingStream> get_thread_local_data_recording() {
    return t_local[0];
}

std::optional<RecordingStream> get_data_recording() {
    if (t_local[0]) return t_local[0];
    return get_global_data_recording();
}

std::optional<RecordingStream> set_global_data_recording(std::optional<RecordingStream> rec) {
    const int k = rec ? index_of(rec->kind()) : 0;
    if (rec && k == 0) {
        // Child processes started from now on join this recording.
        ::setenv("RERUN_RECORDING_ID", rec->get_recording_id().c_str(), 1);
    }
    std::lock_guard lock(g_globals_mu);
    std::optional<RecordingStream> previous = std::move(g_global[k]);
    g_global[k] = std::move(rec);
    return previous;
}

std::optional<RecordingStream> set_thread_local_data_recording(std::optional<RecordingStream> rec) {
    const int k = rec ? index_of(rec->kind()) : 0;
    std::optional<RecordingStream> previous = std::move(t_local[k]);
    t_local[k] = std::move(rec);
    return previous;
}

RecordingStream init(std::string_view app_id, const InitOptions& options) {
    RecordingStream rec(app_id, options.recording_id,
                        RecordingStreamOptions{StoreKind::Recording, options.default_enabled});
    rec.set_global();
    if (options.spawn) {
        rec.spawn(options.spawn_options).handle();
    } else if (!options.connect.empty()) {
        rec.connect_grpc(options.connect).handle();
    }
    return rec;
}

}  // namespace rerun
