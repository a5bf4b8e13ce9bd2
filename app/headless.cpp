// `rerun --headless`: the endpoint, files and stores without a window. Runs until SIGINT or
// SIGTERM (or, with --no-listen, until its files are read), then drains the connections, closes
// --save and writes --stats-json.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/rrd_writer.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "rerun/ingest/tcp_server.hpp"

namespace rerun::app {

namespace {

using nlohmann::json;

// A field of /proc/self/status in bytes ("VmHWM:" is the peak resident set), 0 if unknown.
uint64_t status_bytes(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0)
            return std::strtoull(line.c_str() + field.size(), nullptr, 10) * 1024;
    }
    return 0;
}

json stats_json(const ingest::StoreHub& hub, const ingest::TcpServer* server,
                const ingest::FileLoader& files, const ingest::RrdWriter* writer,
                const ViewerOptions& options) {
    json root;
    json recordings = json::array();
    for (const auto& store : hub.stores()) {
        const auto st = store->stats();
        json r;
        r["application_id"] = st.application_id;
        r["recording_id"] = st.id.id;
        r["kind"] = std::string(core::store_kind_name(st.id.kind));
        r["chunks"] = st.chunks;
        r["rows"] = st.rows;
        r["rows_total"] = st.rows_total;
        r["bytes"] = st.bytes;
        r["duplicate_chunks"] = st.duplicate_chunks;
        r["dropped"] = {
            {"chunks", st.dropped_chunks}, {"rows", st.dropped_rows}, {"bytes", st.dropped_bytes}};
        r["ignored_columns"] = st.ignored_columns;
        r["conflicts"] = st.conflicts;
        json entities = json::object();
        for (const auto& e : store->entities()) {
            json components = json::object();
            for (const auto& c : e.components) {
                components[c.descriptor.component] = {
                    {"type", c.type.to_string()},
                    {"component_type", c.descriptor.component_type},
                    {"rows", c.rows},
                    {"static", c.has_static}};
            }
            entities[e.path.to_string()] = {{"rows", e.rows},
                                            {"rows_total", e.rows_total},
                                            {"bytes", e.bytes},
                                            {"components", components}};
        }
        r["entities"] = entities;
        r["entity_count"] = entities.size();
        json timelines = json::array();
        for (const auto& t : store->timelines()) {
            timelines.push_back({{"name", t.timeline.name},
                                 {"type", std::string(core::time_type_name(t.timeline.type))},
                                 {"min", t.min},
                                 {"max", t.max}});
        }
        r["timelines"] = timelines;
        json sources = json::array();
        for (const auto& s : st.sources) {
            sources.push_back({{"name", s.name},
                               {"language", s.source.language},
                               {"sdk_version", s.source.sdk_version},
                               {"detail", s.source.detail},
                               {"ended", s.ended}});
        }
        r["sources"] = sources;
        recordings.push_back(std::move(r));
    }
    root["recordings"] = recordings;

    const auto hs = hub.stats();
    root["hub"] = {{"messages", hs.messages},
                   {"chunks_inserted", hs.chunks_inserted},
                   {"chunks_duplicate", hs.chunks_duplicate},
                   {"chunks_invalid", hs.chunks_invalid},
                   {"bytes", hs.bytes},
                   {"memory_limit", hub.memory_limit()},
                   {"eviction_rounds", hs.evictions},
                   {"dropped_rows", hs.dropped_rows},
                   {"dropped_bytes", hs.dropped_bytes}};
    if (server) {
        const auto s = server->stats();
        root["server"] = {{"address", options.bind},
                          {"port", server->port()},
                          {"accepted", s.accepted},
                          {"handshakes_ok", s.handshakes_ok},
                          {"refused_busy", s.refused_busy},
                          {"refused_foreign", s.refused_foreign},
                          {"refused_version", s.refused_version},
                          {"timeouts_handshake", s.timeouts_handshake},
                          {"timeouts_idle", s.timeouts_idle},
                          {"timeouts_slow", s.timeouts_slow},
                          {"evicted_idle", s.evicted_idle},
                          {"dropped_too_large", s.dropped_too_large},
                          {"cut_mid_frame", s.cut_mid_frame},
                          {"bytes_received", s.bytes_received},
                          {"frames", s.frames},
                          {"decode_issues", s.decode_issues},
                          {"max_inflight_bytes",
                           options.max_inflight_bytes.value_or(ingest::kDefaultMaxInflightBytes)},
                          {"inflight_bytes", s.inflight_bytes},
                          {"inflight_peak", s.inflight_peak},
                          {"budget_waits", s.budget_waits},
                          {"slabs_allocated", s.slabs_allocated},
                          {"slabs_reused", s.slabs_reused}};
    }
    json file_list = json::array();
    for (const auto& p : files.progress()) {
        file_list.push_back({{"path", p.path},
                             {"bytes_read", p.bytes_read},
                             {"total_bytes", p.total_bytes},
                             {"frames", p.frames},
                             {"issues", p.issues},
                             {"done", p.done},
                             {"failed", p.failed},
                             {"error", p.error}});
    }
    root["files"] = file_list;
    root["process"] = {{"resident_bytes", status_bytes("VmRSS:")},
                       {"peak_resident_bytes", status_bytes("VmHWM:")}};
    if (writer) root["saved"] = {{"path", writer->path()}, {"bytes", writer->bytes_written()}};
    return root;
}

bool write_text_file(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return false;
        out << text;
        if (!out.flush()) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int run_headless(const ViewerOptions& options) {
    // SIGINT/SIGTERM are blocked in every thread (the mask is inherited by the threads started
    // below) and taken synchronously by this loop.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    ::signal(SIGPIPE, SIG_IGN);

    ingest::StoreHub hub(ingest::HubOptions{effective_memory_limit(options)});
    std::shared_ptr<ingest::RrdWriter> writer;
    if (!options.save_path.empty()) {
        std::string error;
        writer = ingest::RrdWriter::create(options.save_path, &error);
        if (!writer) {
            ingest::log_error(error);
            return 1;
        }
        hub.set_writer(writer);
        ingest::log_info("saving everything that arrives to " + options.save_path);
    }
    if (options.memory_limit) {
        ingest::log_info("memory limit " + ingest::format_bytes(*options.memory_limit));
    }

    std::optional<ingest::TcpServer> server;
    if (!options.no_listen) {
        ingest::ServerOptions so;
        so.bind_address = options.bind;
        so.port = options.port;
        so.io_threads = options.io_threads;
        so.max_connections = options.max_connections;
        so.evict_idle_after = options.evict_idle_after;
        so.handshake_timeout = options.handshake_timeout;
        so.idle_timeout = options.idle_timeout;
        so.frame_timeout = options.frame_timeout;
        if (options.max_frame_bytes != 0) so.max_frame_bytes = options.max_frame_bytes;
        if (options.max_inflight_bytes) so.max_inflight_bytes = *options.max_inflight_bytes;
        server.emplace(hub, so);
        std::string error;
        if (!server->start(&error)) {
            ingest::log_error(error + (options.port != 0 ? " (--port 0 picks a free port)" : ""));
            return 1;
        }
        // The one line tools parse: "rerun: listening on ADDR:PORT".
        std::printf("rerun: listening on %s:%u\n", options.bind.c_str(), unsigned(server->port()));
        std::fflush(stdout);
        if (options.bind == "0.0.0.0" || options.bind == "::") {
            ingest::log_warn(
                "listening on all interfaces: anyone on the network can send data to "
                "this viewer (use --bind 127.0.0.1 to keep it local)");
        }
    }

    ingest::FileLoaderOptions file_options;
    file_options.follow = options.follow;
    ingest::FileLoader files(hub, file_options);
    for (const auto& input : options.inputs)
        files.open(input);

    bool interrupted = false;
    while (true) {
        // Without a listener the loop ends when the files are read: look often.
        timespec tick{0, server ? 100'000'000 : 10'000'000};
        const int sig = sigtimedwait(&signals, nullptr, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
            interrupted = true;
            ingest::log_info(std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") +
                             ", shutting down");
            break;
        }
        if (!server && files.idle()) break;
    }

    if (server) {
        // Senders that have finished have closed their sockets: let their last bytes in.
        server->stop_accepting();
        if (!server->drain(std::chrono::milliseconds(500), std::chrono::seconds(10))) {
            ingest::log_info("closing connections that are still open");
        }
        server->stop();
    }
    if (interrupted) files.cancel();
    files.wait_idle();

    if (writer && !writer->flush()) ingest::log_error(writer->error());

    if (!options.stats_json_path.empty()) {
        const auto text =
            stats_json(hub, server ? &*server : nullptr, files, writer.get(), options).dump(2);
        if (!write_text_file(options.stats_json_path, text + "\n")) {
            ingest::log_error("cannot write " + options.stats_json_path);
            return 1;
        }
    }
    int status = 0;
    for (const auto& p : files.progress()) {
        if (p.failed) status = 1;  // already logged with its reason
    }
    for (const auto& store : hub.stores()) {
        const auto st = store->stats();
        ingest::log_info(
            std::string(core::store_kind_name(st.id.kind)) + " \"" + st.id.id + "\" (" +
            (st.application_id.empty() ? "no application id" : st.application_id) +
            "): " + std::to_string(st.rows) + " rows, " + ingest::format_bytes(st.bytes) +
            (st.dropped_rows ? ", dropped " + std::to_string(st.dropped_rows) + " rows (" +
                                   ingest::format_bytes(st.dropped_bytes) + ")"
                             : std::string()));
    }
    return status;
}

}  // namespace rerun::app
