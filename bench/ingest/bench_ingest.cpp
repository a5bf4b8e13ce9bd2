// Ingest benchmarks, each figure next to a limit measured in the same run, and next to the goal
// of issue 4 where it sets one:
//   tcp     aggregate ingest over loopback with 1, 4 and 16 senders (the viewer's TcpServer ->
//           decoder -> stores) vs raw loopback TCP (the same bytes read and discarded);
//           goal >= 0.5x. Then 4 senders streaming 3x a memory limit (a long-running viewer:
//           the memory of dropped rows serves new ones), and where the time goes.
//   small   rows of one f64 scalar ingested per second (insert only; decode + insert; over TCP);
//           goal >= 10M rows/s
//   file    opening a 2 GB .rrd file (read + decode + insert) vs reading it like `cat` (warm
//           cache); goal >= 0.5x. The file is written to --dir and removed afterwards; the
//           store holds it all, so this needs ~2x --file-mb of free memory.
//   order   store inserts of the same chunks arriving in time order, reversed, shuffled, and as
//           two files of one recording read one after the other (issue 4: "out-of-order
//           arrival is handled"); the limit is the in-order rate, goal: the same order of
//           magnitude (a sorted vector per index made reversed arrival quadratic)
//   memory  store memory per scalar row (goal <= 20 B) and per byte of bulk payload (goal
//           <= 1.1): resident set growth, measured in a fresh child process each
//
//   bench_ingest [--only tcp|small|file|order|memory] [--tcp-mb 512] [--rows 10000000]
//                [--rows-per-chunk 1000] [--file-mb 2000] [--dir /tmp] [--inflight-mb 1024]
//                [--chunks 200000 (for order)] [--senders N (for tcp; default 1, 4 and 16)]
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "rerun/core/codec.hpp"
#include "rerun/core/handshake.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/rrd_writer.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "rerun/ingest/tcp_server.hpp"
#include "test_data.hpp"

using namespace rerun;
using namespace rerun::ingest;
using Clock = std::chrono::steady_clock;

namespace {

struct Config {
    std::string only;
    uint64_t tcp_mb = 512;
    uint64_t rows = 10'000'000;
    uint64_t rows_per_chunk = 1000;
    uint64_t file_mb = 2000;  // the issue's 2 GB
    std::string dir = "/tmp";
    uint64_t inflight_mb = kDefaultMaxInflightBytes >> 20;  // the server's budget; 0 = none
    uint64_t chunks = 200'000;                              // for order
    int senders = 0;                                        // for tcp: 0 = 1, 4 and 16
};

Config g_cfg;  // for ingest_seconds()

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

uint64_t rss_bytes() {
    std::ifstream in("/proc/self/statm");
    uint64_t size = 0, resident = 0;
    in >> size >> resident;
    return resident * uint64_t(sysconf(_SC_PAGESIZE));
}

// ---- loopback helpers -------------------------------------------------------------------------

int listen_any(uint16_t* port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd, 128);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    *port = ntohs(addr.sin_port);
    return fd;
}

int connect_port(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::perror("connect");
        std::exit(1);
    }
    return fd;
}

void send_all(int fd, const uint8_t* p, size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd, p, std::min<size_t>(n, size_t(4) << 20), MSG_NOSIGNAL);
        if (w <= 0) {
            std::perror("send");
            std::exit(1);
        }
        p += w;
        n -= size_t(w);
    }
}

void handshake(int fd) {
    const auto hello = core::encode_hello();
    send_all(fd, hello.data(), hello.size());
    uint8_t reply[core::wire::kReplyHeaderSize];
    size_t got = 0;
    while (got < sizeof reply) {
        const ssize_t n = ::recv(fd, reply + got, sizeof reply - got, 0);
        if (n <= 0) std::exit(1);
        got += size_t(n);
    }
}

// Frames of `rows_per_chunk` rows with a `blob` bytes list column each, about `bytes` in all.
core::Bytes bulk_stream(uint64_t bytes, uint32_t blob, uint64_t rows_per_chunk,
                        const std::string& rec, const std::string& entity, uint64_t* rows_out) {
    core::Bytes out;
    out.reserve(bytes + (size_t(2) << 20));
    core::append_frame(out, testing::store_info(rec, "bench"));
    uint64_t rows = 0;
    while (out.size() < bytes) {
        testing::ScalarChunkSpec spec;
        spec.entity = entity;
        spec.rows = rows_per_chunk;
        spec.first_time = int64_t(rows);
        spec.blob_bytes = blob;
        core::append_frame(out, testing::chunk_message(rec, testing::scalar_chunk(spec)));
        rows += rows_per_chunk;
    }
    *rows_out = rows;
    return out;
}

core::Bytes scalar_stream(uint64_t rows, uint64_t rows_per_chunk, const std::string& rec) {
    core::Bytes out;
    core::append_frame(out, testing::store_info(rec, "bench"));
    for (uint64_t sent = 0; sent < rows; sent += rows_per_chunk) {
        testing::ScalarChunkSpec spec;
        spec.entity = "/scalars";
        spec.rows = std::min(rows_per_chunk, rows - sent);
        spec.first_time = int64_t(sent);
        core::append_frame(out, testing::chunk_message(rec, testing::scalar_chunk(spec)));
    }
    return out;
}

// CPU seconds this process has used (all threads, user + system).
double process_cpu_secs() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// Raw loopback: N connections, the same bytes sent and read into a discarded buffer.
// *cores, when given: the cores kept busy meanwhile (process CPU time over wall time).
double raw_loopback_seconds(const std::vector<core::Bytes>& streams, double* cores = nullptr) {
    uint16_t port = 0;
    const int lfd = listen_any(&port);
    const size_t n = streams.size();
    std::vector<std::thread> readers;
    std::atomic<int> ready{0};
    std::thread acceptor([&] {
        for (size_t i = 0; i < n; ++i) {
            const int c = ::accept(lfd, nullptr, nullptr);
            readers.emplace_back([c] {
                std::vector<uint8_t> buf(size_t(1) << 20);
                while (::recv(c, buf.data(), buf.size(), 0) > 0) {
                }
                ::close(c);
            });
        }
        ready = 1;
    });
    const auto start = Clock::now();
    const double cpu_start = process_cpu_secs();
    std::vector<std::thread> senders;
    for (size_t i = 0; i < n; ++i) {
        senders.emplace_back([&, i] {
            const int fd = connect_port(port);
            send_all(fd, streams[i].data(), streams[i].size());
            ::close(fd);
        });
    }
    for (auto& t : senders)
        t.join();
    acceptor.join();
    for (auto& t : readers)
        t.join();
    const double secs = since(start);
    if (cores) *cores = (process_cpu_secs() - cpu_start) / secs;
    ::close(lfd);
    return secs;
}

// The viewer's endpoint: N connections with handshake, until every row is in the store.
// *cores as for raw_loopback_seconds (not counting the server's stop and the stores' freeing).
double ingest_seconds(const std::vector<core::Bytes>& streams, uint64_t total_rows,
                      uint64_t* stored_bytes = nullptr, uint64_t memory_limit = 0,
                      double* cores = nullptr) {
    StoreHub hub;
    if (memory_limit != 0) hub.set_memory_limit(memory_limit);
    ServerOptions options{.bind_address = "127.0.0.1", .port = 0};
    options.max_inflight_bytes = g_cfg.inflight_mb << 20;
    TcpServer server(hub, options);
    std::string error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        std::exit(1);
    }
    auto rows_in = [&] {
        uint64_t rows = 0;
        for (const auto& s : hub.stores())
            rows += s->stats().rows_total;
        return rows;
    };
    const auto start = Clock::now();
    const double cpu_start = process_cpu_secs();
    std::vector<std::thread> senders;
    for (size_t i = 0; i < streams.size(); ++i) {
        senders.emplace_back([&, i] {
            const int fd = connect_port(server.port());
            handshake(fd);
            send_all(fd, streams[i].data(), streams[i].size());
            ::close(fd);
        });
    }
    for (auto& t : senders)
        t.join();
    uint64_t gen = hub.generation();
    while (rows_in() < total_rows)
        gen = hub.wait_for_change(gen, std::chrono::milliseconds(5));
    const double secs = since(start);
    if (cores) *cores = (process_cpu_secs() - cpu_start) / secs;
    if (stored_bytes) *stored_bytes = hub.stats().bytes;
    server.stop();
    return secs;
}

// One bulk stream per sender, of about `bytes_each`, spread over `recordings` recordings.
struct SenderStreams {
    std::vector<core::Bytes> streams;
    uint64_t rows = 0;
    uint64_t bytes = 0;
};
SenderStreams sender_streams(int senders, uint64_t bytes_each, int recordings) {
    SenderStreams s;
    for (int i = 0; i < senders; ++i) {
        uint64_t rows = 0;
        s.streams.push_back(bulk_stream(bytes_each, 1000, 1000,
                                        "rec" + std::to_string(i % recordings),
                                        "/s" + std::to_string(i), &rows));
        s.rows += rows;
        s.bytes += s.streams.back().size();
    }
    return s;
}

// Best of three of raw loopback and of ingest (with `memory_limit`, 0 = none), alternating, so
// that a noisy neighbour hurts both alike. With each, the cores it kept busy (CPU time over wall
// time, senders included): below the machine's cores, something waited.
struct Comparison {
    double raw = 1e300, raw_cores = 0;
    double ingest = 1e300, ingest_cores = 0;
};
Comparison compare_with_loopback(const SenderStreams& s, uint64_t memory_limit) {
    Comparison c;
    for (int rep = 0; rep < 3; ++rep) {
        double cores = 0;
        const double r = raw_loopback_seconds(s.streams, &cores);
        if (r < c.raw) c.raw = r, c.raw_cores = cores;
        const double i = ingest_seconds(s.streams, s.rows, nullptr, memory_limit, &cores);
        if (i < c.ingest) c.ingest = i, c.ingest_cores = cores;
        malloc_trim(0);
    }
    return c;
}

// What this machine charges for memory a process has not used before: memcpy of `bytes` into
// fresh pages (huge pages asked for, as the decoder's slabs are) and again into the same pages.
// A growing store pays the first on every byte it keeps; raw loopback reads into one hot
// buffer and pays neither. In a VM that reports freed memory to its host (free page reporting),
// fresh pages also cost the host's fault and zeroing.
void print_fresh_memory_cost(size_t bytes) {
    std::vector<uint8_t> src(bytes, 1);
    double fresh = 1e300, warm = 1e300;
    for (int rep = 0; rep < 3; ++rep) {
        void* p =
            ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return;
        ::madvise(p, bytes, MADV_HUGEPAGE);
        auto t = Clock::now();
        std::memcpy(p, src.data(), bytes);
        fresh = std::min(fresh, since(t));
        t = Clock::now();
        std::memcpy(p, src.data(), bytes);
        warm = std::min(warm, since(t));
        ::munmap(p, bytes);
    }
    std::string reporting = "off or unknown";
    std::ifstream reported("/sys/module/page_reporting/parameters/reported_kib");
    if (uint64_t kib = 0; reported >> kib) {
        reporting = kib == 0 ? "on, nothing reported yet"
                             : "on, " + std::to_string(kib >> 20) + " GiB reported since boot";
    }
    std::printf(
        "   this machine: memcpy into fresh memory %.2f GB/s, into the same memory again %.2f GB/s "
        "(%.1fx); free page reporting to a hypervisor: %s\n",
        double(bytes) / fresh / 1e9, double(bytes) / warm / 1e9, fresh / warm, reporting.c_str());
}

void bench_tcp(const Config& cfg) {
    std::printf(
        "== aggregate ingest over loopback TCP (%llu MB in ~1 MB frames: 1000 rows x (f64 + 1 "
        "kB); in-flight budget %llu MiB)\n",
        static_cast<unsigned long long>(cfg.tcp_mb),
        static_cast<unsigned long long>(cfg.inflight_mb));
    print_fresh_memory_cost(size_t(256) << 20);
    std::vector<int> sender_counts{1, 4, 16};
    if (cfg.senders > 0) sender_counts = {cfg.senders};
    for (const int senders : sender_counts) {
        const SenderStreams s =
            sender_streams(senders, cfg.tcp_mb * 1'000'000 / uint64_t(senders), 4);
        const Comparison c = compare_with_loopback(s, 0);
        std::printf(
            "  %2d senders: ingest %7.2f GB/s (%.3f s, %.1f cores)   raw loopback %7.2f GB/s "
            "(%.3f s, %.1f cores)   ratio %.2fx (goal >= 0.5x)\n",
            senders, double(s.bytes) / c.ingest / 1e9, c.ingest, c.ingest_cores,
            double(s.bytes) / c.raw / 1e9, c.raw, c.raw_cores, c.raw / c.ingest);
        malloc_trim(0);
    }
    // A long-running viewer at its memory limit: the store drops old rows as new ones arrive, so
    // the memory of dropped rows can serve new ones. 4 senders stream 3x the limit.
    {
        const uint64_t limit = cfg.tcp_mb * 1'000'000 / 2;
        const SenderStreams s = sender_streams(4, 3 * limit / 4, 4);
        const Comparison c = compare_with_loopback(s, limit);
        std::printf(
            "   4 senders, 3x a %llu MB memory limit: ingest %7.2f GB/s (%.3f s, %.1f cores)   "
            "raw loopback %7.2f GB/s (%.3f s, %.1f cores)   ratio %.2fx\n",
            static_cast<unsigned long long>(limit / 1'000'000), double(s.bytes) / c.ingest / 1e9,
            c.ingest, c.ingest_cores, double(s.bytes) / c.raw / 1e9, c.raw, c.raw_cores,
            c.raw / c.ingest);
    }
    // Where the time goes: the decoder alone over the same kind of frames, one thread, keeping
    // what it decodes (fresh memory, as the store does) and dropping it (memory reused).
    uint64_t rows = 0;
    const core::Bytes stream =
        bulk_stream(cfg.tcp_mb * 1'000'000 / 4, 1000, 1000, "d", "/d", &rows);
    for (const bool keep : {true, false}) {
        double best = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
            std::vector<core::Message> kept;
            core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
            const auto start = Clock::now();
            for (size_t at = 0; at < stream.size(); at += size_t(1) << 20) {
                decoder.feed({stream.data() + at, std::min(stream.size() - at, size_t(1) << 20)});
                while (auto e = decoder.next()) {
                    if (keep) kept.push_back(std::move(std::get<core::DecodedFrame>(*e).message));
                }
            }
            best = std::min(best, since(start));
            malloc_trim(0);
        }
        std::printf("  decoder alone, %s: %7.2f GB/s\n",
                    keep ? "keeping the frames" : "dropping the frames",
                    double(stream.size()) / best / 1e9);
    }
    {
        double best = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
            StoreHub hub;
            SourceSession source(hub, "bench");
            core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
            const auto start = Clock::now();
            for (size_t at = 0; at < stream.size(); at += size_t(1) << 20) {
                decoder.feed({stream.data() + at, std::min(stream.size() - at, size_t(1) << 20)});
                while (auto e = decoder.next())
                    source.handle(std::move(std::get<core::DecodedFrame>(*e).message));
            }
            best = std::min(best, since(start));
        }
        std::printf("  decoder + store, one thread, no TCP: %7.2f GB/s\n",
                    double(stream.size()) / best / 1e9);
    }
}

void bench_small(const Config& cfg) {
    std::printf("== small rows: 1 f64 scalar per row, %llu rows in chunks of %llu\n",
                static_cast<unsigned long long>(cfg.rows),
                static_cast<unsigned long long>(cfg.rows_per_chunk));
    const core::Bytes stream = scalar_stream(cfg.rows, cfg.rows_per_chunk, "small");

    // Decodes the stream; hands each chunk to `sink`. Returns seconds.
    auto decode_into = [&](auto&& sink) {
        core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
        const auto start = Clock::now();
        for (size_t at = 0; at < stream.size(); at += size_t(1) << 20) {
            decoder.feed({stream.data() + at, std::min(stream.size() - at, size_t(1) << 20)});
            while (auto e = decoder.next())
                sink(std::move(std::get<core::DecodedFrame>(*e).message));
        }
        return since(start);
    };
    // The first run pays the page faults of fresh memory; later runs reuse freed memory.
    double first = 0, best = 1e300;
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<core::Message> kept;
        kept.reserve(cfg.rows / cfg.rows_per_chunk + 2);
        const double secs = decode_into([&](core::Message&& m) { kept.push_back(std::move(m)); });
        if (rep == 0) first = secs;
        best = std::min(best, secs);
    }
    std::printf("  decode only            %7.1f M rows/s  (first run %.1f; %.2f GB/s of frames)\n",
                double(cfg.rows) / best / 1e6, double(cfg.rows) / first / 1e6,
                double(stream.size()) / best / 1e9);
    {
        std::vector<core::ChunkPtr> chunks;
        decode_into([&](core::Message&& m) {
            if (auto* c = std::get_if<core::ChunkMessage>(&m)) chunks.push_back(c->chunk);
        });
        RecordingStore store({core::StoreKind::Recording, "small"});
        const auto start = Clock::now();
        for (const auto& c : chunks)
            store.insert(c);
        const double secs = since(start);
        std::printf("  store insert only      %7.1f M rows/s  (%.0f ns per chunk)\n",
                    double(cfg.rows) / secs / 1e6, secs * 1e9 / double(chunks.size()));
    }
    first = 0;
    best = 1e300;
    for (int rep = 0; rep < 3; ++rep) {
        StoreHub hub;
        SourceSession source(hub, "bench");
        const double secs = decode_into([&](core::Message&& m) { source.handle(std::move(m)); });
        if (rep == 0) first = secs;
        best = std::min(best, secs);
    }
    std::printf(
        "  decode + insert (hub)  %7.1f M rows/s  (first run %.1f)   %.2fx the goal of 10 M "
        "rows/s\n",
        double(cfg.rows) / best / 1e6, double(cfg.rows) / first / 1e6,
        double(cfg.rows) / best / 10e6);
    {
        std::vector<core::Bytes> one;
        one.push_back(stream);
        double raw = 1e300, secs = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
            raw = std::min(raw, raw_loopback_seconds(one));
            secs = std::min(secs, ingest_seconds(one, cfg.rows));
        }
        std::printf(
            "  over TCP, 1 sender     %7.1f M rows/s  (raw loopback of the same bytes: %.1f M "
            "rows/s)   %.2fx the goal of 10 M rows/s\n",
            double(cfg.rows) / secs / 1e6, double(cfg.rows) / raw / 1e6,
            double(cfg.rows) / secs / 10e6);
    }
}

void bench_order(const Config& cfg) {
    const uint64_t n = cfg.chunks;
    std::printf("== arrival order: %llu chunks of 4 scalar rows each, one entity\n",
                static_cast<unsigned long long>(n));
    std::vector<core::ChunkPtr> chunks;
    chunks.reserve(n);
    for (uint64_t k = 0; k < n; ++k) {
        const int64_t t = int64_t(k) * 10;
        chunks.push_back(testing::scalar_chunk_at("/series", "frame", {t, t + 1, t + 2, t + 3},
                                                  {0.0, 1.0, 2.0, 3.0}));
    }
    std::vector<uint64_t> in_order(n);
    for (uint64_t k = 0; k < n; ++k)
        in_order[k] = k;
    // Inserts the chunks in `order` into a fresh store; returns the best of 3 runs in seconds.
    auto insert_seconds = [&](const std::vector<uint64_t>& order) {
        double best = 1e300;
        for (int rep = 0; rep < 3; ++rep) {
            RecordingStore store({core::StoreKind::Recording, "order"});
            const auto start = Clock::now();
            for (const uint64_t k : order)
                store.insert(chunks[k]);
            best = std::min(best, since(start));
        }
        return best;
    };
    const double base = insert_seconds(in_order);
    std::printf("  in order               %7.1f k chunks/s  (%.0f ns per chunk)\n",
                double(n) / base / 1e3, base * 1e9 / double(n));
    auto report = [&](const char* name, const std::vector<uint64_t>& order) {
        const double secs = insert_seconds(order);
        std::printf("  %-22s %7.1f k chunks/s  (%.0f ns per chunk)   %.2fx the in-order rate\n",
                    name, double(n) / secs / 1e3, secs * 1e9 / double(n), base / secs);
    };
    std::vector<uint64_t> order(in_order.rbegin(), in_order.rend());
    report("reversed", order);
    order = in_order;
    std::shuffle(order.begin(), order.end(), std::mt19937_64(1));
    report("shuffled", order);
    order = in_order;
    std::stable_partition(order.begin(), order.end(), [](uint64_t k) { return k % 2 == 0; });
    report("two files, one by one", order);
}

void bench_file(const Config& cfg) {
    const std::string path = cfg.dir + "/bench_ingest_" + std::to_string(::getpid()) + ".rrd";
    {
        std::string error;
        auto writer = RrdWriter::create(path, &error);
        if (!writer) {
            std::fprintf(stderr, "%s\n", error.c_str());
            std::exit(1);
        }
        writer->write(testing::store_info("file", "bench"));
        uint64_t rows = 0;
        while (writer->bytes_written() < cfg.file_mb * 1'000'000) {
            testing::ScalarChunkSpec spec;
            spec.entity = rows % 2 ? "/bulk" : "/bulk2";
            spec.rows = 1000;
            spec.first_time = int64_t(rows);
            spec.blob_bytes = 1000;
            writer->write(testing::chunk_message("file", testing::scalar_chunk(spec)));
            rows += 1000;
        }
    }
    const uint64_t size = uint64_t(std::ifstream(path, std::ios::ate | std::ios::binary).tellg());
    std::printf("== opening a %.0f MB file (warm page cache)\n", double(size) / 1e6);
    // Warm the cache, then time a read() loop with cat's role: every byte into user space.
    auto cat_seconds = [&] {
        std::vector<uint8_t> buf(size_t(4) << 20);
        FILE* f = std::fopen(path.c_str(), "rb");
        const auto start = Clock::now();
        const int fd = fileno(f);
        while (::read(fd, buf.data(), buf.size()) > 0) {
        }
        const double secs = since(start);
        std::fclose(f);
        return secs;
    };
    cat_seconds();
    const double cat = std::min(cat_seconds(), cat_seconds());
    const auto sh_start = Clock::now();
    const std::string cmd = "cat '" + path + "' > /dev/null";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "cat failed\n");
    const double cat_cmd = since(sh_start);
    double open_secs = 1e300, first_open = 0;
    for (int rep = 0; rep < 3; ++rep) {
        StoreHub hub;
        const auto start = Clock::now();
        FileLoader loader(hub);
        loader.open(path);
        loader.wait_idle();
        const double secs = since(start);
        if (rep == 0) first_open = secs;
        open_secs = std::min(open_secs, secs);
        const auto p = loader.progress().at(0);
        if (p.bytes_read != size || p.issues != 0) std::fprintf(stderr, "file read incompletely\n");
    }
    std::printf(
        "  open (read + decode + insert) %6.2f GB/s (%.3f s; first open %.2f GB/s, paying the "
        "page faults of fresh memory)\n",
        double(size) / open_secs / 1e9, open_secs, double(size) / first_open / 1e9);
    std::printf(
        "  read() loop like cat          %6.2f GB/s (%.3f s)   ratio %.2fx (goal >= 0.5x)\n",
        double(size) / cat / 1e9, cat, cat / open_secs);
    std::printf(
        "  `cat file > /dev/null`        %6.2f GB/s (%.3f s)   ratio %.2fx (goal >= 0.5x)\n",
        double(size) / cat_cmd / 1e9, cat_cmd, cat_cmd / open_secs);
    std::remove(path.c_str());
}

// ---- memory (run in a child process, so earlier allocations do not blur the figures) ---------

// Issue 4's goals for store memory.
constexpr double kGoalBytesPerRow = 20.0;
constexpr double kGoalBytesPerBulkByte = 1.1;

int child_memory_scalar(uint64_t rows, uint64_t rows_per_chunk) {
    StoreHub hub;
    SourceSession source(hub, "bench");
    // Warm up the allocator and the hub with one chunk.
    malloc_trim(0);
    const uint64_t before = rss_bytes();
    core::Bytes frame;
    core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
    for (uint64_t sent = 0; sent < rows; sent += rows_per_chunk) {
        testing::ScalarChunkSpec spec;
        spec.entity = "/scalars";
        spec.rows = std::min(rows_per_chunk, rows - sent);
        spec.first_time = int64_t(sent);
        frame.clear();
        core::append_frame(frame, testing::chunk_message("mem", testing::scalar_chunk(spec)));
        decoder.feed(frame);
        while (auto e = decoder.next())
            source.handle(std::move(std::get<core::DecodedFrame>(*e).message));
    }
    core::Bytes().swap(frame);
    malloc_trim(0);
    const uint64_t after = rss_bytes();
    const auto st = hub.find({core::StoreKind::Recording, "mem"})->stats();
    const double per_row = double(after - before) / double(rows);
    std::printf(
        "  per scalar row: %.1f B resident (%.1f B accounted; raw columns 32 B: row id 16 + time 8 "
        "+ f64 8)\n",
        per_row, double(st.bytes) / double(rows));
    std::printf(
        "    goal <= %.0f B per row: %.2fx of the goal (<= 1 meets it; upstream 37 B: %.2fx)\n",
        kGoalBytesPerRow, per_row / kGoalBytesPerRow, 37.0 / kGoalBytesPerRow);
    return 0;
}

int child_memory_bulk(uint64_t mb) {
    StoreHub hub;
    SourceSession source(hub, "bench");
    malloc_trim(0);
    const uint64_t before = rss_bytes();
    core::Bytes frame;
    core::FrameDecoder decoder(core::FrameDecoder::Framing::Stream);
    uint64_t payload = 0;
    int64_t t = 0;
    while (payload < mb * 1'000'000) {
        testing::ScalarChunkSpec spec;
        spec.entity = "/images";
        spec.rows = 4;
        spec.first_time = t;
        spec.blob_bytes = 1'000'000;  // a 1 MB image per row
        t += 4;
        payload += uint64_t(spec.rows) * spec.blob_bytes;
        frame.clear();
        core::append_frame(frame, testing::chunk_message("mem", testing::scalar_chunk(spec)));
        decoder.feed(frame);
        while (auto e = decoder.next())
            source.handle(std::move(std::get<core::DecodedFrame>(*e).message));
    }
    core::Bytes().swap(frame);
    malloc_trim(0);
    const uint64_t after = rss_bytes();
    const double per_byte = double(after - before) / double(payload);
    std::printf("  per byte of bulk payload: %.3f B resident (%llu MB of 1 MB blobs)\n", per_byte,
                static_cast<unsigned long long>(mb));
    std::printf("    goal <= %.1f B per byte: %.2fx of the goal (<= 1 meets it)\n",
                kGoalBytesPerBulkByte, per_byte / kGoalBytesPerBulkByte);
    return 0;
}

void bench_memory(const Config& cfg, const char* self) {
    std::printf("== store memory (resident growth in a fresh process)\n");
    std::fflush(stdout);
    const std::string base = std::string("'") + self + "'";
    const std::string scalar = base + " --child-memory-scalar " + std::to_string(cfg.rows) + " " +
                               std::to_string(cfg.rows_per_chunk);
    const std::string bulk = base + " --child-memory-bulk 512";
    if (std::system(scalar.c_str()) != 0 || std::system(bulk.c_str()) != 0) {
        std::fprintf(stderr, "memory child failed\n");
    }
}

}  // namespace

int main(int argc, char** argv) {
    set_log_level(LogLevel::Warn);
    Config cfg;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto num = [&]() -> uint64_t {
            return i + 1 < argc ? std::strtoull(argv[++i], nullptr, 10) : 0;
        };
        if (a == "--only" && i + 1 < argc)
            cfg.only = argv[++i];
        else if (a == "--tcp-mb")
            cfg.tcp_mb = num();
        else if (a == "--rows")
            cfg.rows = num();
        else if (a == "--rows-per-chunk")
            cfg.rows_per_chunk = num();
        else if (a == "--file-mb")
            cfg.file_mb = num();
        else if (a == "--senders")
            cfg.senders = int(num());
        else if (a == "--chunks")
            cfg.chunks = num();
        else if (a == "--inflight-mb")
            cfg.inflight_mb = num();
        else if (a == "--dir" && i + 1 < argc)
            cfg.dir = argv[++i];
        else if (a == "--child-memory-scalar" && i + 2 < argc) {
            const uint64_t rows = num();
            return child_memory_scalar(rows, num());
        } else if (a == "--child-memory-bulk") {
            return child_memory_bulk(num());
        } else {
            std::fprintf(
                stderr,
                "usage: bench_ingest [--only tcp|small|file|order|memory] [--tcp-mb N] [--rows N]\n"
                "                    [--rows-per-chunk N] [--file-mb N] [--dir DIR]\n"
                "                    [--inflight-mb N (the TCP server's budget; 0 = none)]\n");
            return 2;
        }
    }
    if (cfg.rows_per_chunk == 0) cfg.rows_per_chunk = 1000;
    g_cfg = cfg;
    std::printf("bench_ingest: %u hardware threads\n", std::thread::hardware_concurrency());
    if (cfg.only.empty() || cfg.only == "tcp") bench_tcp(cfg);
    if (cfg.only.empty() || cfg.only == "small") bench_small(cfg);
    if (cfg.only.empty() || cfg.only == "file") bench_file(cfg);
    if (cfg.only.empty() || cfg.only == "order") bench_order(cfg);
    if (cfg.only.empty() || cfg.only == "memory") bench_memory(cfg, argv[0]);
    return 0;
}
