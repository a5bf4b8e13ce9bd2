// Integration tests with real processes over loopback: build/rerun --headless as the viewer,
// tests/ingest_test_sender as producers, and hostile peers driven from this process.
// No timing assertions: every wait has a generous limit and only the outcome is checked.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "process.hpp"
#include "rerun/core/codec.hpp"
#include "rerun/core/handshake.hpp"
#include "rerun/ingest/memory_limit.hpp"

using namespace rerun;
using namespace rerun::ingest::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// AddressSanitizer's quarantine keeps freed memory resident, and ThreadSanitizer's shadow memory
// is several times the program's: resident-set bounds mean nothing there (the viewer is built
// with the same flags as this test).
#if defined(RERUN_SANITIZER_ADDRESS) || defined(RERUN_SANITIZER_THREAD)
constexpr bool kCheckResidentSet = false;
#else
constexpr bool kCheckResidentSet = true;
#endif

std::string tmp(const std::string& name) {
    return temp_dir() + "/" + name;
}

json load_json(const std::string& path) {
    const std::string text = read_file(path);
    REQUIRE_MESSAGE(!text.empty(), "missing " << path);
    return json::parse(text);
}

const json* find_recording(const json& stats, const std::string& id) {
    for (const auto& r : stats["recordings"]) {
        if (r["recording_id"] == id && r["kind"] == "recording") return &r;
    }
    return nullptr;
}

uint64_t entity_rows(const json& recording, const std::string& entity) {
    const auto& e = recording["entities"];
    if (!e.contains(entity)) return 0;
    return e[entity]["rows"].get<uint64_t>();
}

std::unique_ptr<Process> start_sender(uint16_t port, const std::string& recording,
                                      const std::string& entity, uint64_t rows,
                                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--port", std::to_string(port), "--recording", recording,
                                     "--app",  "app_" + recording,   "--entity",    entity,
                                     "--rows", std::to_string(rows)};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<Process>(sender_binary(), args);
}

void write_sender_file(const std::string& path, const std::string& recording,
                       const std::string& entity, uint64_t rows, uint64_t rows_per_chunk = 100) {
    Process p(sender_binary(),
              {"--file", path, "--recording", recording, "--app", "app", "--entity", entity,
               "--rows", std::to_string(rows), "--rows-per-chunk", std::to_string(rows_per_chunk)});
    REQUIRE(p.wait(60s) == 0);
}

// Ends the viewer with SIGTERM and returns its --stats-json.
json stop_viewer(Viewer& viewer, const std::string& stats_path) {
    viewer.process->signal(SIGTERM);
    const auto status = viewer.process->wait(60s);
    REQUIRE(status.has_value());
    CHECK(*status == 0);
    return load_json(stats_path);
}

int connect_to(uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool send_bytes(int fd, const void* data, size_t size) {
    return ::send(fd, data, size, MSG_NOSIGNAL) == ssize_t(size);
}

// Blocking send of everything (TCP flow control may hold it as long as the viewer does not read).
bool send_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

// Reads until the peer closes (true) or the timeout passes (false); collects what arrived.
bool wait_closed(int fd, std::chrono::milliseconds timeout, std::string* received = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[4096];
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return true;
        if (received) received->append(buf, size_t(n));
    }
    return false;
}

bool handshake(int fd) {
    const auto hello = core::encode_hello();
    if (!send_bytes(fd, hello.data(), hello.size())) return false;
    std::array<uint8_t, core::wire::kReplyHeaderSize> reply{};
    size_t got = 0;
    while (got < reply.size()) {
        const ssize_t n = ::recv(fd, reply.data() + got, reply.size() - got, 0);
        if (n <= 0) return false;
        got += size_t(n);
    }
    const auto header = core::parse_reply_header(reply);
    return header && header->status == core::wire::HandshakeStatus::Ok;
}

// A frame header that passes its own checksum and announces `stored_len` payload bytes.
std::array<uint8_t, core::wire::kFrameHeaderSize> frame_header(uint64_t stored_len) {
    std::array<uint8_t, core::wire::kFrameHeaderSize> h{};
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(h.data() + at, &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(h.data() + at, &v, 8); };
    put32(0, core::wire::kFrameSync);
    h[4] = uint8_t(core::wire::FrameKind::Chunk);
    put64(8, stored_len);
    put64(16, stored_len);
    put64(24, 0);
    put32(32, uint32_t(XXH3_64bits(h.data(), 32)));
    return h;
}

void raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

std::string run_and_capture(const std::vector<std::string>& args, int* status) {
    const std::string err = tmp("cli_stderr.txt");
    std::filesystem::remove(err);
    Process p(rerun_binary(), args, err);
    std::string out;
    while (auto line = p.read_line(20s))
        out += *line + "\n";
    *status = p.wait(20s).value_or(-1);
    return out + read_file(err);
}

}  // namespace

TEST_CASE("cli: help, version, unknown flags") {
    int status = -1;
    auto out = run_and_capture({"--help"}, &status);
    CHECK(status == 0);
    CHECK(out.find("--memory-limit") != std::string::npos);
    out = run_and_capture({"--version"}, &status);
    CHECK(status == 0);
    CHECK(out.find("rerun ") == 0);
    out = run_and_capture({"--frobnicate"}, &status);
    CHECK(status == 2);
    CHECK(out.find("unknown option --frobnicate") != std::string::npos);
    out = run_and_capture({"--port", "x"}, &status);
    CHECK(status == 2);
    out = run_and_capture({"--memory-limit", "lots"}, &status);
    CHECK(status == 2);
    out = run_and_capture({"--max-inflight-bytes", "lots"}, &status);
    CHECK(status == 2);
    CHECK(out.find("--max-inflight-bytes: \"lots\" is not a size") != std::string::npos);

    // All interfaces: said out loud.
    auto exposed = start_viewer({"--bind", "0.0.0.0"}, tmp("bind.log"));
    exposed.process->signal(SIGTERM);
    CHECK(exposed.process->wait(30s) == 0);
    CHECK(read_file(tmp("bind.log")).find("anyone on the network") != std::string::npos);
}

TEST_CASE("32 senders x 100k rows for 4 recordings: every row arrives, none twice") {
    const std::string stats = tmp("many.json");
    auto viewer = start_viewer({"--stats-json", stats}, tmp("many.log"));
    constexpr int kSenders = 32;
    constexpr uint64_t kRows = 100'000;
    std::vector<std::unique_ptr<Process>> senders;
    for (int i = 0; i < kSenders; ++i) {
        senders.push_back(start_sender(viewer.port, "rec" + std::to_string(i % 4),
                                       "/sender/" + std::to_string(i), kRows,
                                       {"--rows-per-chunk", std::to_string(500 + 100 * (i % 5))}));
    }
    for (auto& s : senders)
        CHECK(s->wait(120s) == 0);
    const json j = stop_viewer(viewer, stats);
    int recordings = 0;
    for (int r = 0; r < 4; ++r) {
        const json* rec = find_recording(j, "rec" + std::to_string(r));
        REQUIRE(rec);
        ++recordings;
        CHECK((*rec)["application_id"] == "app_rec" + std::to_string(r));
        CHECK((*rec)["rows"] == 8 * kRows);
        CHECK((*rec)["duplicate_chunks"] == 0);
        CHECK((*rec)["sources"].size() == 8);
        for (const auto& source : (*rec)["sources"]) {
            CHECK(source["ended"] == true);  // each sent EndOfStream
            CHECK(source["language"] == "cpp");
        }
        for (int i = r; i < kSenders; i += 4) {
            const std::string entity = "/sender/" + std::to_string(i);
            CHECK_MESSAGE(entity_rows(*rec, entity) == kRows, entity);
            CHECK((*rec)["entities"][entity]["rows_total"] == kRows);
        }
    }
    CHECK(recordings == 4);
    CHECK(j["server"]["decode_issues"] == 0);
}

TEST_CASE("a sender killed with SIGKILL mid-frame: its complete frames are kept") {
    const std::string stats = tmp("kill.json");
    auto viewer = start_viewer({"--stats-json", stats}, tmp("kill.log"));
    auto good = start_sender(viewer.port, "rec", "/good", 50'000, {"--rows-per-chunk", "100"});
    auto victim = start_sender(viewer.port, "rec", "/victim", 50'000,
                               {"--rows-per-chunk", "100", "--pause-after-chunks", "7"});
    REQUIRE(victim->wait_for_line("paused", 30s));
    victim->signal(SIGKILL);
    CHECK(victim->wait(10s) == 128 + SIGKILL);
    CHECK(good->wait(60s) == 0);
    const json j = stop_viewer(viewer, stats);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    CHECK(entity_rows(*rec, "/good") == 50'000);
    CHECK(entity_rows(*rec, "/victim") == 700);
    CHECK(j["server"]["cut_mid_frame"] == 1);
    CHECK(read_file(viewer.log_path).find("disconnected inside a frame") != std::string::npos);
}

TEST_CASE("hostile peers are refused or timed out; a good sender loses nothing") {
    raise_fd_limit();
    const std::string stats = tmp("hostile.json");
    auto viewer = start_viewer({"--stats-json", stats, "--handshake-timeout", "1s",
                                "--frame-timeout", "1s", "--max-frame-bytes", "64MiB"},
                               tmp("hostile.log"));
    const uint16_t port = viewer.port;
    auto good = start_sender(port, "rec", "/good", 300'000, {"--rows-per-chunk", "200"});

    // 1000 idle connections: never say hello, get closed by the handshake timeout.
    std::vector<int> idle;
    for (int i = 0; i < 1000; ++i) {
        const int fd = connect_to(port);
        if (fd >= 0) idle.push_back(fd);
    }
    CHECK(idle.size() == 1000);

    // A length prefix of 4 GiB after a valid handshake.
    const int huge = connect_to(port);
    REQUIRE(huge >= 0);
    REQUIRE(handshake(huge));
    const auto header = frame_header(uint64_t(4) << 30);
    CHECK(send_bytes(huge, header.data(), header.size()));

    // Random bytes instead of a hello.
    const int noise = connect_to(port);
    REQUIRE(noise >= 0);
    std::mt19937 rng(7);
    std::vector<uint8_t> junk(256);
    for (auto& b : junk)
        b = uint8_t(rng());
    junk[0] = 'Z';
    CHECK(send_bytes(noise, junk.data(), junk.size()));

    // An HTTP request.
    const int http = connect_to(port);
    REQUIRE(http >= 0);
    const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    CHECK(send_bytes(http, request.data(), request.size()));

    // One byte a second, before the handshake and inside a frame.
    const int slow_hello = connect_to(port);
    const int slow_frame = connect_to(port);
    REQUIRE(slow_hello >= 0);
    REQUIRE(slow_frame >= 0);
    REQUIRE(handshake(slow_frame));
    // One byte a second until the viewer closes them (it should after about a second; the bound
    // is only there so that a broken viewer fails the test instead of hanging it). The hello's
    // first 8 bytes are our magic, so it never looks foreign; after 8 bytes it starts over.
    const auto hello = core::encode_hello();
    const auto slow_header = frame_header(1000);
    bool slow_hello_closed = false, slow_frame_closed = false;
    const auto slow_deadline = std::chrono::steady_clock::now() + 180s;
    for (size_t i = 0; !(slow_hello_closed && slow_frame_closed) &&
                       std::chrono::steady_clock::now() < slow_deadline;
         ++i) {
        if (!slow_hello_closed) slow_hello_closed = !send_bytes(slow_hello, &hello[i % 8], 1);
        if (!slow_frame_closed)
            slow_frame_closed = !send_bytes(slow_frame, &slow_header[i % 40], 1);
        slow_hello_closed = slow_hello_closed || wait_closed(slow_hello, 1s);
        slow_frame_closed = slow_frame_closed || wait_closed(slow_frame, 1ms);
    }
    CHECK(slow_hello_closed);
    CHECK(slow_frame_closed);

    CHECK(wait_closed(huge, 20s));
    CHECK(wait_closed(noise, 20s));
    std::string http_answer;
    CHECK(wait_closed(http, 20s, &http_answer));
    CHECK(http_answer.rfind("HTTP/1.1 400", 0) == 0);
    int idle_closed = 0;
    for (int fd : idle) {
        idle_closed += wait_closed(fd, 20s);
        ::close(fd);
    }
    CHECK(idle_closed == 1000);
    for (int fd : {huge, noise, http, slow_hello, slow_frame})
        ::close(fd);

    CHECK(good->wait(120s) == 0);
    const json j = stop_viewer(viewer, stats);
    const uint64_t peak_rss = j["process"]["peak_resident_bytes"].get<uint64_t>();
    CHECK(peak_rss > 0);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    CHECK(entity_rows(*rec, "/good") == 300'000);
    const auto& s = j["server"];
    CHECK(s["timeouts_handshake"].get<int>() >= 1001);
    CHECK(s["refused_foreign"].get<int>() >= 2);
    CHECK(s["dropped_too_large"] == 1);
    CHECK(s["timeouts_slow"] == 1);
    // Bounded: nothing close to the 4 GiB announced, or to 1000 read buffers.
    MESSAGE("viewer peak RSS: " << peak_rss / 1'000'000 << " MB");
    if (kCheckResidentSet) CHECK(peak_rss < uint64_t(400) << 20);
    const std::string log = read_file(viewer.log_path);
    CHECK(log.find("refused: it looks like") != std::string::npos);
    CHECK(log.find("no complete hello") != std::string::npos);
    CHECK(log.find("too slow") != std::string::npos);
    CHECK(log.find("connection closed (limit") != std::string::npos);
}

TEST_CASE("peers stalled mid-frame: in-flight memory stays within --max-inflight-bytes") {
    // 16 peers each send 24 MiB of a 200 MiB frame and stop: 384 MiB if the viewer kept them
    // all. With a 32 MiB budget it reads a few, the others wait (their bytes stay in the
    // kernel's socket buffers, then TCP flow control stops them), the stalled ones are closed
    // by the frame timeout, and the waiting ones get their turn. Meanwhile a good sender and
    // one whose single frame (40 MB) is larger than the whole budget lose nothing.
    raise_fd_limit();
    constexpr int kStalled = 16;
    constexpr size_t kPart = size_t(24) << 20;
    constexpr uint64_t kBudget = uint64_t(32) << 20;
    constexpr uint64_t kBigFrame = 40'000'000;  // 40 rows x 1 MB blob, one chunk
    const std::string stats = tmp("inflight.json");
    auto viewer = start_viewer({"--stats-json", stats, "--max-inflight-bytes", "32MiB",
                                "--frame-timeout", "1s", "--max-frame-bytes", "256MiB"},
                               tmp("inflight.log"));
    const uint64_t base_rss = resident_bytes(viewer.process->pid());
    REQUIRE(base_rss > 0);

    struct Peer {
        std::atomic<bool> connected{false}, sent{false}, closed{false};
    };
    std::vector<std::unique_ptr<Peer>> peers;
    std::vector<std::thread> threads;
    const std::vector<uint8_t> part(kPart, 0x5a);
    for (int i = 0; i < kStalled; ++i) {
        peers.push_back(std::make_unique<Peer>());
        threads.emplace_back([&, peer = peers.back().get()] {
            const int fd = connect_to(viewer.port);
            if (fd < 0) return;
            if (handshake(fd)) {
                peer->connected = true;
                const auto header = frame_header(uint64_t(200) << 20);
                peer->sent = send_all(fd, header.data(), header.size()) &&
                             send_all(fd, part.data(), part.size());
                // Then silence, until the viewer gives up on the frame.
                peer->closed = wait_closed(fd, 600s);
            }
            ::close(fd);
        });
    }
    auto good = start_sender(viewer.port, "rec", "/good", 300'000, {"--rows-per-chunk", "200"});
    auto big = start_sender(viewer.port, "rec", "/big", 40,
                            {"--rows-per-chunk", "40", "--blob-bytes", "1000000"});
    CHECK(good->wait(600s) == 0);
    CHECK(big->wait(600s) == 0);
    for (auto& t : threads)
        t.join();
    for (const auto& p : peers) {
        CHECK(p->connected);
        CHECK(p->sent);
        CHECK(p->closed);
    }

    const json j = stop_viewer(viewer, stats);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    CHECK(entity_rows(*rec, "/good") == 300'000);
    CHECK(entity_rows(*rec, "/big") == 40);
    const auto& s = j["server"];
    CHECK(s["max_inflight_bytes"] == kBudget);
    CHECK(s["timeouts_slow"] == kStalled);
    CHECK(s["decode_issues"] == 0);
    CHECK(s["budget_waits"].get<uint64_t>() > 0);  // the budget was what held them back
    CHECK(s["inflight_bytes"] == 0);
    // The accounting: the budget, plus the one frame allowed past it (the largest here is the
    // big sender's), plus a read in progress per io thread.
    const uint64_t accounted_bound = kBudget + kBigFrame + (uint64_t(8) << 20);
    const uint64_t inflight_peak = s["inflight_peak"].get<uint64_t>();
    MESSAGE("in-flight peak " << inflight_peak / 1'000'000 << " MB (bound "
                              << accounted_bound / 1'000'000 << " MB)");
    CHECK(inflight_peak > kBudget / 2);
    CHECK(inflight_peak <= accounted_bound);
    // The resident set: that bound, the big frame once more as stored data, and generous slack
    // for the allocator and the stores; far below the 384 MiB the stalled peers sent.
    const uint64_t peak_rss = j["process"]["peak_resident_bytes"].get<uint64_t>();
    MESSAGE("viewer resident: " << base_rss / 1'000'000 << " MB at start, peak "
                                << peak_rss / 1'000'000 << " MB");
    if (kCheckResidentSet) CHECK(peak_rss < base_rss + accounted_bound + (uint64_t(128) << 20));

    const std::string log = read_file(viewer.log_path);
    size_t slow_lines = 0;
    for (size_t at = log.find("too slow"); at != std::string::npos;
         at = log.find("too slow", at + 1))
        ++slow_lines;
    CHECK(slow_lines == kStalled);
    CHECK(log.find("--max-inflight-bytes") != std::string::npos);
}

TEST_CASE("--memory-limit holds while a sender streams 3x the limit") {
    const std::string stats = tmp("limit.json");
    auto viewer = start_viewer({"--stats-json", stats, "--memory-limit", "30MB"}, tmp("limit.log"));
    // 90 000 rows of ~1 kB: 3x the limit.
    auto sender = start_sender(viewer.port, "rec", "/bulk", 90'000,
                               {"--rows-per-chunk", "100", "--blob-bytes", "1000"});
    CHECK(sender->wait(300s) == 0);
    const json j = stop_viewer(viewer, stats);
    // The viewer's own peak (VmHWM at exit, after it read everything): no sampling can miss it.
    const uint64_t peak_rss = j["process"]["peak_resident_bytes"].get<uint64_t>();
    CHECK(peak_rss > 0);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    CHECK((*rec)["bytes"].get<uint64_t>() <= 30'000'000);
    CHECK(j["hub"]["bytes"].get<uint64_t>() <= 30'000'000);
    CHECK((*rec)["dropped"]["rows"].get<uint64_t>() > 0);
    CHECK((*rec)["rows"].get<uint64_t>() + (*rec)["dropped"]["rows"].get<uint64_t>() == 90'000);
    // The latest value stays: the time range still ends at the last row.
    CHECK((*rec)["timelines"][0]["max"] == 89'999);
    // Payload slabs the store let go of serve new data (90 MB needs 11 slabs of 8 MiB; about
    // 4 hold the limit's worth).
    const uint64_t slabs_reused = j["server"]["slabs_reused"].get<uint64_t>();
    const uint64_t slabs_allocated = j["server"]["slabs_allocated"].get<uint64_t>();
    MESSAGE("payload slabs: " << slabs_allocated << " allocated, " << slabs_reused << " reused");
    CHECK(slabs_reused > 0);
    CHECK(slabs_allocated + slabs_reused >= 10);
    MESSAGE("viewer peak RSS with a 30 MB limit: " << peak_rss / 1'000'000 << " MB");
    if (kCheckResidentSet) CHECK(peak_rss < uint64_t(200) << 20);
}

TEST_CASE(
    "files: same Recording ID in two files is one recording; copies and repeats do not double") {
    const std::string a = tmp("a.rrd"), b = tmp("b.rrd"), c = tmp("copy_of_a.rrd");
    write_sender_file(a, "shared", "/a", 1000);
    write_sender_file(b, "shared", "/b", 2000);
    std::filesystem::copy_file(a, c, std::filesystem::copy_options::overwrite_existing);
    const std::string stats = tmp("files.json");
    Process viewer(rerun_binary(), {"--headless", "--no-listen", "--stats-json", stats, a, b, a, c},
                   tmp("files.log"));
    CHECK(viewer.wait(60s) == 0);
    const json j = load_json(stats);
    CHECK(j["recordings"].size() == 1);
    const json* rec = find_recording(j, "shared");
    REQUIRE(rec);
    CHECK(entity_rows(*rec, "/a") == 1000);
    CHECK(entity_rows(*rec, "/b") == 2000);
    CHECK((*rec)["duplicate_chunks"] == 10);  // the copy's chunks
    CHECK((*rec)["sources"].size() == 3);
    CHECK(read_file(tmp("files.log")).find("already open") != std::string::npos);
}

TEST_CASE("files: truncated, upstream, stdin") {
    const std::string full = tmp("full.rrd"), cut = tmp("cut.rrd"), upstream = tmp("upstream.rrd");
    write_sender_file(full, "rec", "/x", 1000);
    const std::string bytes = read_file(full);
    {
        std::ofstream out(cut, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size() * 6 / 10));
        std::ofstream up(upstream, std::ios::binary);
        up << "RRF2" << std::string(200, '\x01');
    }
    const std::string stats = tmp("cut.json");
    Process viewer(rerun_binary(), {"--headless", "--no-listen", "--stats-json", stats, cut},
                   tmp("cut.log"));
    CHECK(viewer.wait(60s) == 0);
    const json j = load_json(stats);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    const uint64_t rows = entity_rows(*rec, "/x");
    CHECK(rows > 0);
    CHECK(rows < 1000);
    CHECK(rows % 100 == 0);  // whole chunks only
    CHECK(read_file(tmp("cut.log")).find("offset") != std::string::npos);

    Process up(rerun_binary(), {"--headless", "--no-listen", upstream}, tmp("upstream.log"));
    CHECK(up.wait(60s) == 1);
    const std::string up_log = read_file(tmp("upstream.log"));
    CHECK(up_log.find("upstream.rrd:") != std::string::npos);
    MESSAGE("upstream file: " << up_log);

    const std::string stdin_stats = tmp("stdin.json");
    Process from_stdin(
        "/bin/sh",
        {"-c", "exec '" + rerun_binary() + "' --headless --no-listen --stats-json '" + stdin_stats +
                   "' - < '" + full + "'"},
        tmp("stdin.log"));
    CHECK(from_stdin.wait(60s) == 0);
    const json s = load_json(stdin_stats);
    REQUIRE(find_recording(s, "rec"));
    CHECK(entity_rows(*find_recording(s, "rec"), "/x") == 1000);
}

TEST_CASE("the memory limit defaults to 75% of RAM; --memory-limit 0 means none") {
    const uint64_t ram_75 = ingest::parse_memory_limit("75%").value_or(0);
    REQUIRE(ram_75 > 0);
    const struct {
        std::vector<std::string> args;
        uint64_t expected;
    } cases[] = {{{}, ram_75},
                 {{"--memory-limit", "0"}, 0},
                 {{"--memory-limit", "none"}, 0},
                 {{"--memory-limit", "64MiB"}, uint64_t(64) << 20}};
    int n = 0;
    for (const auto& c : cases) {
        const std::string stats = tmp("limit" + std::to_string(n++) + ".json");
        auto args = c.args;
        args.insert(args.end(), {"--stats-json", stats});
        auto viewer = start_viewer(args, tmp("limit_default.log"));
        const json j = stop_viewer(viewer, stats);
        CHECK(j["hub"]["memory_limit"].get<uint64_t>() == c.expected);
    }
}

TEST_CASE("--save streams what arrives into a file that reads back the same") {
    const std::string saved = tmp("saved.rrd"), stats = tmp("save.json");
    auto viewer = start_viewer({"--save", saved, "--stats-json", stats}, tmp("save.log"));
    auto s1 = start_sender(viewer.port, "r1", "/one", 20'000);
    auto s2 = start_sender(viewer.port, "r2", "/two", 30'000, {"--compress"});
    CHECK(s1->wait(60s) == 0);
    CHECK(s2->wait(60s) == 0);
    const json live = stop_viewer(viewer, stats);
    CHECK(live["saved"]["bytes"].get<uint64_t>() > 0);

    const std::string reread = tmp("reread.json");
    Process reader(rerun_binary(), {"--headless", "--no-listen", "--stats-json", reread, saved},
                   tmp("reread.log"));
    CHECK(reader.wait(60s) == 0);
    const json j = load_json(reread);
    REQUIRE(find_recording(j, "r1"));
    REQUIRE(find_recording(j, "r2"));
    CHECK(entity_rows(*find_recording(j, "r1"), "/one") == 20'000);
    CHECK(entity_rows(*find_recording(j, "r2"), "/two") == 30'000);
    CHECK((*find_recording(j, "r2"))["application_id"] == "app_r2");
    CHECK(j["files"][0]["issues"] == 0);
}

TEST_CASE("rerun FILES hands the files to a viewer already listening") {
    const std::string file = tmp("fwd.rrd"), stats = tmp("fwd.json");
    write_sender_file(file, "fwd", "/f", 3000);
    auto viewer = start_viewer({"--stats-json", stats}, tmp("fwd.log"));
    Process client(rerun_binary(), {"--port", std::to_string(viewer.port), file},
                   tmp("fwd_client.log"));
    CHECK(client.wait(60s) == 0);
    CHECK(read_file(tmp("fwd_client.log")).find("sent 1 file") != std::string::npos);
    // The viewer sees the connection end before we stop it (drain waits for it anyway).
    const json j = stop_viewer(viewer, stats);
    REQUIRE(find_recording(j, "fwd"));
    CHECK(entity_rows(*find_recording(j, "fwd"), "/f") == 3000);
}

TEST_CASE("handshake answers: another protocol version, and busy") {
    const std::string stats = tmp("busy.json");
    auto viewer = start_viewer({"--stats-json", stats, "--max-connections", "1"}, tmp("busy.log"));
    auto read_reply = [](int fd) -> std::optional<core::ReplyHeader> {
        std::array<uint8_t, core::wire::kReplyHeaderSize> reply{};
        size_t got = 0;
        while (got < reply.size()) {
            const ssize_t n = ::recv(fd, reply.data() + got, reply.size() - got, 0);
            if (n <= 0) return std::nullopt;
            got += size_t(n);
        }
        return core::parse_reply_header(reply);
    };
    // A client of protocol version 99.
    const int newer = connect_to(viewer.port);
    REQUIRE(newer >= 0);
    auto hello = core::encode_hello();
    hello[8] = 99;
    hello[9] = 0;
    CHECK(send_bytes(newer, hello.data(), hello.size()));
    const auto reply = read_reply(newer);
    REQUIRE(reply);
    CHECK(reply->status == core::wire::HandshakeStatus::VersionMismatch);
    CHECK(reply->message_len > 0);
    CHECK(wait_closed(newer, 20s));
    ::close(newer);

    // The only slot taken: the next client hears Busy.
    const int first = connect_to(viewer.port);
    REQUIRE(handshake(first));
    const int second = connect_to(viewer.port);
    REQUIRE(second >= 0);
    const auto hello_ok = core::encode_hello();
    send_bytes(second, hello_ok.data(), hello_ok.size());
    const auto busy = read_reply(second);
    REQUIRE(busy);
    CHECK(busy->status == core::wire::HandshakeStatus::Busy);
    ::close(second);
    ::close(first);
    const json j = stop_viewer(viewer, stats);
    CHECK(j["server"]["refused_version"] == 1);
    CHECK(j["server"]["refused_busy"] == 1);
}

TEST_CASE("senders interleaving into one entity: rows add up, times overlap") {
    const std::string stats = tmp("same_entity.json");
    auto viewer = start_viewer({"--stats-json", stats}, tmp("same_entity.log"));
    std::vector<std::unique_ptr<Process>> senders;
    for (int i = 0; i < 4; ++i) {
        // Overlapping time ranges: 0..19999, 5000..24999, ...
        senders.push_back(
            start_sender(viewer.port, "rec", "/shared", 20'000,
                         {"--first-time", std::to_string(i * 5000), "--rows-per-chunk", "300"}));
    }
    for (auto& s : senders)
        CHECK(s->wait(60s) == 0);
    const json j = stop_viewer(viewer, stats);
    const json* rec = find_recording(j, "rec");
    REQUIRE(rec);
    CHECK(entity_rows(*rec, "/shared") == 80'000);
    CHECK((*rec)["timelines"][0]["min"] == 0);
    CHECK((*rec)["timelines"][0]["max"] == 3 * 5000 + 19'999);
}

TEST_CASE("when full, the connection silent longest makes room for a new one") {
    const std::string stats = tmp("room.json");
    auto viewer = start_viewer(
        {"--stats-json", stats, "--max-connections", "2", "--evict-idle-after", "300ms"},
        tmp("room.log"));
    const int quiet1 = connect_to(viewer.port);
    const int quiet2 = connect_to(viewer.port);
    REQUIRE(handshake(quiet1));
    REQUIRE(handshake(quiet2));
    std::this_thread::sleep_for(600ms);
    // A sender arriving now is served; one of the silent connections is closed for it.
    auto sender = start_sender(viewer.port, "rec", "/late", 10'000);
    CHECK(sender->wait(60s) == 0);
    // One of them is closed (the close may still be on its way): wait for either.
    bool closed1 = false, closed2 = false;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!closed1 && !closed2 && std::chrono::steady_clock::now() < deadline) {
        closed1 = wait_closed(quiet1, 50ms);
        closed2 = wait_closed(quiet2, 50ms);
    }
    CHECK(int(closed1) + int(closed2) >= 1);
    ::close(quiet1);
    ::close(quiet2);
    const json j = stop_viewer(viewer, stats);
    REQUIRE(find_recording(j, "rec"));
    CHECK(entity_rows(*find_recording(j, "rec"), "/late") == 10'000);
    CHECK(j["server"]["evicted_idle"].get<int>() >= 1);
    CHECK(j["server"]["refused_busy"] == 0);
    CHECK(read_file(viewer.log_path).find("closed to make room") != std::string::npos);
}
