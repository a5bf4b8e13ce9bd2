// The viewer away while an SDK process streams, with real processes: a headless `rerun` killed
// with SIGKILL mid-stream and a new one started on the same port; and 200 MB logged with nobody
// listening before a viewer appears. The SDK process (fault_logger) must keep logging, stay
// within its buffer bound, report what it drops once, reconnect, and deliver what it holds:
// every row logged is in a viewer's recording or counted as dropped.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "fault_support.hpp"
#include "process.hpp"

using namespace rerun::ingest::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Fields = std::map<std::string, int64_t>;

// Reads the logger's report lines until one satisfies `want` (bounded wait for an event).
std::optional<Fields> wait_report(Process& logger, const std::function<bool(Fields&)>& want,
                                  std::chrono::seconds limit = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        auto line = logger.read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()));
        if (!line) return std::nullopt;
        auto f = fault_test::fields(*line);
        if (line->rfind("logged ", 0) == 0 && want(f)) return f;
    }
    return std::nullopt;
}

std::string fresh_dir(const std::string& name) {
    const std::string dir = temp_dir() + "/" + name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

// "dropped N chunk(s)" lines of the SDK's stderr, with their counts.
std::vector<int64_t> drop_reports(const std::string& text) {
    std::vector<int64_t> counts;
    for (size_t at = text.find("dropped "); at != std::string::npos;
         at = text.find("dropped ", at + 1)) {
        const size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end - at);
        if (line.find("chunk(s)") == std::string::npos) continue;
        counts.push_back(std::stoll(line.substr(8)));
    }
    return counts;
}

uint64_t stats_rows(const std::string& json_path, const std::string& recording_id) {
    const auto j = nlohmann::json::parse(read_file(json_path));
    for (const auto& r : j["recordings"]) {
        if (r["recording_id"] == recording_id) return r["rows"].get<uint64_t>();
    }
    return 0;
}

// A port nobody listens on now. The one place a fixed port is needed: the SDK must be given
// its viewer's address before that viewer exists. Bind port 0, note the port, close it; the
// caller retries with another one on the rare collision.
uint16_t unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::optional<Viewer> try_start_viewer(const std::vector<std::string>& args,
                                       const std::string& log) {
    try {
        return start_viewer(args, log);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

TEST_CASE(
    "the viewer killed while an SDK streams: it keeps logging within its bound, "
    "reconnects to a new viewer and delivers what it holds") {
    // Each chunk holds exactly kGroup rows (flushed by row count only), so dropped chunks
    // count dropped rows. Rows of 1000 points (12 KB); the TCP buffer bound is kBuffer.
    constexpr int64_t kGroup = 10;
    constexpr uint64_t kBuffer = 16ull << 20;
    const std::string dir = fresh_dir("viewer_killed");
    fault_test::ScopedEnv env(
        {{"RERUN_FLUSH_NUM_ROWS", std::to_string(kGroup)},
         {"RERUN_FLUSH_TICK_SECS", "3600"},
         {"RERUN_FLUSH_NUM_BYTES", "1GiB"},
         {"RERUN_TCP_BUFFER_BYTES", std::to_string(kBuffer)},
         // freed memory is reused at once, so resident memory means held
         {"ASAN_OPTIONS", fault_test::asan_options_with("quarantine_size_mb=0")}});
    const std::string first_rrd = dir + "/first.rrd";
    auto first = start_viewer({"--save", first_rrd}, dir + "/first.log");
    const std::string port = std::to_string(first.port);
    Process logger(FAULT_LOGGER, {"stream", "127.0.0.1:" + port, "1000", "5"}, dir + "/logger.err");

    // 1. Streaming to the first viewer, until part of the stream is in its --save file (which
    //    it writes in 4 MiB pieces): what a killed viewer had recorded survives there.
    REQUIRE(wait_report(logger, [](Fields& f) { return f["connected"] == 1; }).has_value());
    bool saved_some = false;
    for (int i = 0; i < 6000 && !saved_some; ++i) {
        REQUIRE(logger.read_line(30s).has_value());
        saved_some = fs::exists(first_rrd) && fs::file_size(first_rrd) > (1u << 20);
    }
    REQUIRE(saved_some);
    const uint64_t peak_before = fault_test::peak_resident_bytes(logger.pid());

    // 2. SIGKILL: no goodbye. The logger goes on; the SDK notices, buffers, then drops.
    first.process->signal(SIGKILL);
    REQUIRE(first.process->wait(10s).has_value());
    auto gone = wait_report(logger, [](Fields& f) { return f["connected"] == 0; });
    REQUIRE(gone.has_value());
    const int64_t outage_from = (*gone)["logged"];  // logged after the viewer died
    auto full = wait_report(logger, [](Fields& f) { return f["dropped_frames"] > 0; });
    REQUIRE(full.has_value());                    // it kept logging until its buffer was full
    const int64_t outage_to = (*full)["logged"];  // logged before any new viewer existed
    CHECK((*full)["connected"] == 0);
    const uint64_t peak_outage = fault_test::peak_resident_bytes(logger.pid());

    // 3. A new viewer on the same port: the SDK reconnects and sends what it holds.
    const std::string second_rrd = dir + "/second.rrd";
    auto second =
        start_viewer({"--port", port, "--save", second_rrd, "--stats-json", dir + "/second.json"},
                     dir + "/second.log");
    REQUIRE(second.port == first.port);
    auto back =
        wait_report(logger, [](Fields& f) { return f["connected"] == 1 && f["reconnects"] == 2; });
    REQUIRE(back.has_value());
    const int64_t resumed = (*back)["logged"];
    REQUIRE(
        wait_report(logger, [&](Fields& f) { return f["logged"] >= resumed + 100; }).has_value());
    logger.signal(SIGUSR1);
    const auto flushed = logger.wait_for_line("flush", 90s);
    REQUIRE(flushed.has_value());
    CHECK(*flushed == "flush ok");
    const auto done_line = logger.wait_for_line("done", 30s);
    REQUIRE(done_line.has_value());
    REQUIRE(logger.wait(30s) == 0);
    second.process->signal(SIGTERM);
    REQUIRE(second.process->wait(30s) == 0);

    auto done = fault_test::fields(*done_line);
    const int64_t logged = done["logged"];
    const int64_t dropped_rows = done["dropped_frames"] * kGroup;
    const auto before = fault_test::read_recording(first_rrd);
    const auto after = fault_test::read_recording(second_rrd);
    MESSAGE("logged " << logged << " rows; the killed viewer had saved " << before.rows
                      << ", the new one received " << after.rows << "; dropped " << dropped_rows
                      << " (outage: rows " << outage_from << " to " << outage_to
                      << "); peak memory " << (peak_before >> 20) << " MiB before the kill, "
                      << (peak_outage >> 20) << " MiB after the buffer filled");

    // The accounting: every row logged was recorded by a viewer or counted as dropped.
    CHECK(done["rows_dropped"] == 0);  // no log call was refused
    CHECK_MESSAGE(before.only_cut_tail(), before.describe_issues());
    CHECK(before.rows > 0);
    CHECK_MESSAGE(after.issues.empty(), after.describe_issues());
    for (const auto n : before.chunk_rows)
        CHECK(n == uint64_t(kGroup));
    for (const auto n : after.chunk_rows)
        CHECK(n == uint64_t(kGroup));
    std::set<int64_t> recorded = before.steps;
    recorded.insert(after.steps.begin(), after.steps.end());
    CHECK(*recorded.rbegin() < logged);
    const int64_t missing = logged - int64_t(recorded.size());
    CHECK(missing >= 0);
    CHECK(int64_t(recorded.size()) + dropped_rows >= logged);
    // What is missing went in whole chunks, as the drop count says.
    for (int64_t step = 0; step < logged; step += kGroup) {
        const auto n = fault_test::count_in(recorded, step, step + kGroup);
        CHECK_MESSAGE((n == 0 || n == uint64_t(kGroup)), "chunk at step " << step);
    }
    // The rows logged while no viewer ran reached the new one, unless dropped; the first of
    // them certainly (the newest are dropped first).
    const auto outage_delivered = fault_test::count_in(after.steps, outage_from, outage_to);
    CHECK(int64_t(outage_delivered) + dropped_rows >= outage_to - outage_from);
    CHECK(after.steps.count(outage_from) == 1);
    CHECK(after.rows == stats_rows(dir + "/second.json", "fault_stream"));

    // Within the bound: the buffer (kBuffer, the resend window included) plus allocator slack.
    CHECK(peak_outage <= peak_before + kBuffer + (16u << 20));
    // The drops were reported once, with their count; the resend was announced.
    const std::string err = read_file(dir + "/logger.err");
    CAPTURE(err);
    const auto reports = drop_reports(err);
    REQUIRE(reports.size() == 1);
    CHECK(reports[0] == done["dropped_frames"]);
    CHECK(err.find("will be sent again") != std::string::npos);
}

TEST_CASE(
    "logging 200 MB with no viewer stays within the bound and reports the drops once; "
    "a viewer that appears later receives the buffered data") {
    // 6400 rows of 2730 points (32 KB: small enough to travel inside the SDK's queue, which
    // RERUN_QUEUE_BYTES bounds), in chunks of kGroup rows (1 MiB).
    constexpr int64_t kRows = 6400;
    constexpr int64_t kGroup = 32;
    constexpr uint64_t kRowBytes = 2730 * 12;
    constexpr uint64_t kBuffer = 32ull << 20;     // RERUN_TCP_BUFFER_BYTES
    constexpr uint64_t kQueueBytes = 8ull << 20;  // RERUN_QUEUE_BYTES, before the batcher
    // Chunks are cut by row count only: the tick (50 ms by default) would also cut one wherever
    // the batcher happens to be when it fires, which on a loaded machine is mid-group.
    fault_test::ScopedEnv env(
        {{"RERUN_FLUSH_NUM_ROWS", std::to_string(kGroup)},
         {"RERUN_FLUSH_TICK_SECS", "3600"},
         {"RERUN_FLUSH_NUM_BYTES", "1GiB"},
         {"RERUN_TCP_BUFFER_BYTES", std::to_string(kBuffer)},
         {"RERUN_QUEUE_BYTES", std::to_string(kQueueBytes)},
         {"ASAN_OPTIONS", fault_test::asan_options_with("quarantine_size_mb=0")}});
    for (int attempt = 1; attempt <= 3; ++attempt) {
        const std::string dir = fresh_dir("flood_" + std::to_string(attempt));
        const uint16_t port = unused_port();
        const std::string addr = "127.0.0.1:" + std::to_string(port);
        Process logger(FAULT_LOGGER, {"flood", addr, std::to_string(kRows), "2730"},
                       dir + "/logger.err");
        REQUIRE(logger.wait_for_line("ready", 60s).has_value());
        const uint64_t peak_ready = fault_test::peak_resident_bytes(logger.pid());
        logger.signal(SIGUSR1);  // go
        const auto logged_line = logger.wait_for_line("logged", 120s);
        REQUIRE(logged_line.has_value());
        const uint64_t peak_logged = fault_test::peak_resident_bytes(logger.pid());

        auto viewer = try_start_viewer({"--port", std::to_string(port), "--save",
                                        dir + "/viewer.rrd", "--stats-json", dir + "/viewer.json"},
                                       dir + "/viewer.log");
        if (!viewer) {
            MESSAGE("port " << port << " was taken meanwhile (attempt " << attempt
                            << "): " << read_file(dir + "/viewer.log"));
            continue;  // the logger is killed with its Process
        }
        const auto flushed = logger.wait_for_line("flush", 90s);
        REQUIRE(flushed.has_value());
        CHECK(*flushed == "flush ok");
        const auto done_line = logger.wait_for_line("done", 30s);
        REQUIRE(done_line.has_value());
        REQUIRE(logger.wait(30s) == 0);
        viewer->process->signal(SIGTERM);
        REQUIRE(viewer->process->wait(30s) == 0);

        auto done = fault_test::fields(*done_line);
        const int64_t dropped = done["dropped_frames"];  // chunks of kGroup rows
        const int64_t refused = done["rows_dropped"];    // log calls past the queue's bound
        const auto got = fault_test::read_recording(dir + "/viewer.rrd");
        MESSAGE("logged " << kRows * kRowBytes / 1000000 << " MB; received " << got.rows
                          << " rows, dropped " << dropped << " chunks of " << kGroup << " (+"
                          << refused << " refused log calls); peak memory " << (peak_ready >> 20)
                          << " MiB before logging, " << (peak_logged >> 20) << " MiB after");
        CHECK(done["logged"] == kRows);
        CHECK_MESSAGE(got.issues.empty(), got.describe_issues());
        CHECK(got.rows == stats_rows(dir + "/viewer.json", "fault_flood"));
        REQUIRE(got.rows > 0);  // the buffered data arrived
        CHECK(dropped > 0);     // and not all of it could be kept
        CHECK(int64_t(got.rows) + dropped * kGroup + refused >= kRows);
        CHECK(int64_t(got.rows) + refused <= kRows);
        if (refused == 0) {
            for (const auto n : got.chunk_rows)
                CHECK(n == uint64_t(kGroup));
        }
        // No more than the buffer held, plus what had not reached it when the viewer came:
        // "logged" means the log calls returned, the batcher may still be up to
        // RERUN_QUEUE_BYTES (and one batch) behind.
        CHECK(got.rows * kRowBytes <= kBuffer + kQueueBytes + 2 * kGroup * kRowBytes);
        // The oldest rows were kept: the chunks that fit in the buffer while nothing had been
        // dropped yet all arrived.
        constexpr int64_t kFirstChunks = int64_t(kBuffer / (kGroup * kRowBytes)) - 1;
        CHECK(int64_t(fault_test::count_in(got.steps, 0, kFirstChunks * kGroup)) + refused >=
              kFirstChunks * kGroup);
        // Memory: the queue and the TCP buffer, plus slack (encoding, allocator), not 200 MB.
        CHECK(peak_logged <= peak_ready + kBuffer + kQueueBytes + (16u << 20));
        const std::string err = read_file(dir + "/logger.err");
        CAPTURE(err);
        const auto reports = drop_reports(err);
        REQUIRE(reports.size() == 1);  // once
        CHECK(reports[0] == dropped);  // with the count
        return;
    }
    FAIL("three free ports in a row were taken before the viewer could bind them");
}
