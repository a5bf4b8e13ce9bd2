// TCP sink against a test listener on loopback, and spawn() with the real viewer.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <rerun.hpp>
#include <set>
#include <thread>

#include "test_support.hpp"

using rerun::core::wire::HandshakeStatus;
using sdk_test::TestListener;

namespace {

std::string addr(uint16_t port) {
    return "127.0.0.1:" + std::to_string(port);
}

void log_rows(const rerun::RecordingStream& rec, const char* entity, int from, int to) {
    for (int i = from; i < to; ++i) {
        rec.set_time_sequence("i", i);
        rec.log(entity, rerun::Scalars(double(i)));
    }
}

// Waits (bounded) until the condition holds; returns whether it did.
template <class F>
bool eventually(F f, double secs = 30) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(secs);
    while (std::chrono::steady_clock::now() < until) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return f();
}

// Captures what is written to stderr (fd 2) while alive.
struct StderrCapture {
    std::string path;
    int saved;
    explicit StderrCapture(std::string p) : path(std::move(p)) {
        saved = ::dup(2);
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 2);
        ::close(fd);
    }
    std::string text() const {
        std::ifstream in(path);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    ~StderrCapture() {
        ::dup2(saved, 2);
        ::close(saved);
    }
};

}  // namespace

TEST_CASE("connect: the listener receives store info, chunks and end of stream") {
    TestListener viewer;
    {
        const rerun::RecordingStream rec("tcp", "tcp-rec");
        REQUIRE(rec.connect_tcp(addr(viewer.port())).is_ok());
        log_rows(rec, "s", 0, 1000);
        REQUIRE(rec.flush_blocking(30).is_ok());
    }
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.end_of_streams == 1; }));
    const auto d = viewer.snapshot();
    CHECK(d.issues.empty());
    REQUIRE(d.infos.size() == 1);
    CHECK(d.infos[0].store.id == "tcp-rec");
    CHECK(d.rows("/s") == 1000);
}

TEST_CASE("connect_grpc accepts the upstream URL form") {
    TestListener viewer;
    const rerun::RecordingStream rec("tcp");
    REQUIRE(rec.connect_grpc("rerun+http://127.0.0.1:" + std::to_string(viewer.port()) + "/proxy")
                .is_ok());
    rec.log("x", rerun::Scalars(1.0));
    REQUIRE(rec.flush_blocking(30).is_ok());
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.rows("/x") == 1; }));
}

TEST_CASE("set_sinks with a file and a TCP viewer: both get everything") {
    sdk_test::TempDir tmp;
    TestListener viewer;
    const std::string path = tmp.path("both.rrd");
    {
        const rerun::RecordingStream rec("both", "both-rec");
        REQUIRE(rec.set_sinks(rerun::FileSink{path}, rerun::TcpSink{addr(viewer.port())}).is_ok());
        log_rows(rec, "s", 0, 1000);
        rec.log_static("meta", rerun::TextDocument("static"));
        REQUIRE(rec.flush_blocking(30).is_ok());
        CHECK(viewer.wait_for([](const sdk_test::Decoded& d) {
            return d.rows("/s") == 1000 && d.rows("/meta") == 1;
        }));
    }  // the last handle closes both sinks with an end-of-stream
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.end_of_streams == 1; }));
    const auto received = viewer.snapshot();
    const auto file = sdk_test::decode_file(path);
    CHECK(file.issues.empty());
    CHECK(received.issues.empty());
    for (const auto* d : {&file, &received}) {
        CHECK(d->recording_ids() == std::vector<std::string>{"both-rec"});
        CHECK(d->rows("/s") == 1000);
        CHECK(d->rows("/meta") == 1);
        CHECK(d->end_of_streams == 1);
    }
    // The same rows, not just as many.
    const auto row_ids = [](const sdk_test::Decoded& d) {
        std::set<std::pair<uint64_t, uint64_t>> ids;
        for (const auto& c : d.chunks)
            for (const auto& r : c.chunk->row_id_values())
                ids.insert({r.time_ns, r.inc});
        return ids;
    };
    CHECK(row_ids(file).size() == 1001);
    CHECK(row_ids(file) == row_ids(received));
}

TEST_CASE("big point clouds reach a file and a TCP viewer intact (written from where they lie)") {
    // Frames of 8 MiB and more are sent as pieces: their large columns straight from the
    // chunk's buffers (a moved-in vector is never copied). Byte for byte what was logged.
    sdk_test::TempDir tmp;
    TestListener viewer;
    const std::string path = tmp.path("big.rrd");
    std::vector<rerun::Position3D> points(2'000'000);
    for (size_t i = 0; i < points.size(); ++i)
        points[i] = {float(i), 0.5f * float(i), -float(i)};
    {
        const rerun::RecordingStream rec("big", "big-rec");
        REQUIRE(rec.set_sinks(rerun::FileSink{path}, rerun::TcpSink{addr(viewer.port())}).is_ok());
        auto moved = points;
        rec.log("moved", rerun::Points3D(std::move(moved)).with_radii({0.5f}));
        rec.log("borrowed", rerun::Points3D(points));
        log_rows(rec, "small", 0, 10);  // small frames around the big ones
        REQUIRE(rec.flush_blocking(60).is_ok());
    }
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.end_of_streams == 1; }));
    const auto received = viewer.snapshot();
    const auto file = sdk_test::decode_file(path);
    for (const auto* d : {&file, &received}) {
        CHECK(d->issues.empty());
        CHECK(d->rows("/small") == 10);
        for (const char* entity : {"/moved", "/borrowed"}) {
            CAPTURE(entity);
            const rerun::core::Chunk* found = nullptr;
            for (const auto& c : d->chunks) {
                if (c.chunk->entity_path.to_string() == entity) found = c.chunk.get();
            }
            REQUIRE(found);
            const auto* pos = found->find_component("Points3D:positions");
            REQUIRE(pos);
            REQUIRE(pos->values.size() == points.size() * sizeof(rerun::Position3D));
            CHECK(std::memcmp(pos->values.data(), points.data(), pos->values.size()) == 0);
        }
    }
}

TEST_CASE("a listener that appears later receives the buffered data") {
    const uint16_t port = sdk_test::free_port();
    const rerun::RecordingStream rec("tcp");
    REQUIRE(rec.connect_tcp(addr(port)).is_ok());
    log_rows(rec, "early", 0, 500);
    // Nobody listens yet: the flush cannot complete, and the error says where it was going.
    const auto err = rec.flush_blocking(0.2f);
    CHECK(err.code == rerun::ErrorCode::RecordingStreamFlushTimeout);
    CHECK(err.description.find("not everything was written to the viewer at " + addr(port) + " ") !=
          std::string::npos);
    TestListener viewer(port);
    CHECK(viewer.wait_for([](const sdk_test::Decoded& d) { return d.rows("/early") == 500; }));
    CHECK(rec.flush_blocking(30).is_ok());
}

TEST_CASE("the stream reconnects when the viewer comes back, and resends what it holds") {
    std::optional<TestListener> viewer;
    viewer.emplace();
    const uint16_t port = viewer->port();
    const rerun::RecordingStream rec("tcp", "reconnect-rec");
    REQUIRE(rec.connect_tcp(addr(port)).is_ok());
    log_rows(rec, "s", 0, 100);
    REQUIRE(rec.flush_blocking(30).is_ok());
    CHECK(viewer->wait_for([](const sdk_test::Decoded& d) { return d.rows("/s") == 100; }));

    viewer.reset();  // the viewer goes away
    CHECK(eventually([&] { return rec.stats().tcp_connected == 0; }));
    log_rows(rec, "s", 100, 300);
    CHECK(rec.flush_blocking(0.2f).is_err());

    viewer.emplace(port);  // and comes back
    // The 200 rows logged meanwhile, after the 100 written last to the old connection (the
    // resend window: a viewer that went away may not have processed them).
    CHECK(viewer->wait_for([](const sdk_test::Decoded& d) { return d.rows("/s") == 300; }));
    const auto d = viewer->snapshot();
    REQUIRE(d.infos.size() == 1);  // store info first, again, on the new connection
    CHECK(d.infos[0].store.id == "reconnect-rec");
    CHECK(rec.stats().reconnects == 2);
}

TEST_CASE("logging 200 MB with no viewer stays within the bound and reports the drops once") {
    sdk_test::TempDir tmp;
    const uint16_t port = sdk_test::free_port();
    constexpr uint64_t kBound = 32ull << 20;
    std::string captured;
    uint64_t dropped_bytes = 0, received_rows = 0;
    constexpr int kLogs = 200;
    {
        StderrCapture capture(tmp.path("stderr.txt"));
        const rerun::RecordingStream rec("flood");
        rerun::TcpSink sink;
        sink.addr = addr(port);
        sink.buffer_bytes = kBound;
        REQUIRE(rec.set_sinks(sink).is_ok());
        // 200 x 1 MB batches of points.
        std::vector<rerun::Position3D> points(1024 * 1024 / 12, rerun::Position3D(1.f, 2.f, 3.f));
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kLogs; ++i) {
            rec.set_time_sequence("i", i);
            rec.log("cloud", rerun::Points3D(points));
        }
        const auto log_secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        MESSAGE("200 MB logged in " << log_secs << " s with no viewer");
        CHECK(rec.flush_blocking(0.5f).is_err());
        // The log calls have returned, but the batcher may still be encoding what they queued
        // (under ThreadSanitizer, for seconds): wait until every row has reached the sink.
        const uint64_t logged_bytes = uint64_t(kLogs) * points.size() * sizeof(points[0]);
        const auto encode_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (rec.stats().bytes_encoded < logged_bytes &&
               std::chrono::steady_clock::now() < encode_deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const auto stats = rec.stats();
        REQUIRE(stats.bytes_encoded >= logged_bytes);
        dropped_bytes = stats.bytes_dropped;
        CHECK(stats.frames_dropped > 0);
        CHECK(stats.bytes_dropped >= uint64_t(kLogs) * (1 << 20) - kBound - (8 << 20));
        CHECK(stats.rows_dropped == 0);

        TestListener viewer(port);
        CHECK(viewer.wait_for([&](const sdk_test::Decoded& d) { return d.rows("/cloud") > 0; }));
        REQUIRE(rec.flush_blocking(30).is_ok());
        CHECK(viewer.wait_for([&](const sdk_test::Decoded& d) {
            return d.rows("/cloud") + rec.stats().frames_dropped >= uint64_t(kLogs);
        }));
        received_rows = viewer.snapshot().rows("/cloud");
        CHECK(viewer.bytes() <= kBound + (4 << 20));
        rec.disconnect();
        captured = capture.text();
    }
    MESSAGE("received " << received_rows << " rows; dropped " << (dropped_bytes >> 20) << " MiB");
    CHECK(received_rows > 0);
    CHECK(received_rows < uint64_t(kLogs));
    const auto first = captured.find("dropped ");
    REQUIRE(first != std::string::npos);
    CHECK(captured.find("dropped ", first + 1) == std::string::npos);  // once
    CHECK(captured.find("chunk(s)") != std::string::npos);
}

TEST_CASE("a refusing viewer is reported and retried; a version mismatch is final") {
    sdk_test::TempDir tmp;
    std::string text;
    {
        StderrCapture capture(tmp.path("stderr.txt"));
        TestListener busy(0, HandshakeStatus::Busy);
        const rerun::RecordingStream rec("tcp");
        REQUIRE(rec.connect_tcp(addr(busy.port())).is_ok());
        rec.log("x", rerun::Scalars(1.0));
        CHECK(rec.flush_blocking(0.5f).is_err());
        CHECK(eventually([&] { return busy.connections() >= 2; }));  // it retries
        CHECK(rec.stats().reconnects == 0);
        rec.disconnect();
        text = capture.text();
    }
    CHECK(text.find("refused") != std::string::npos);
    INFO(text);
    CHECK(text.find("busy") != std::string::npos);
}

// ---- spawn -------------------------------------------------------------------------------------

namespace {

std::string viewer_path() {
    return std::string(RERUN_BUILD_DIR) + "/rerun";
}

// The pid of the process whose command line mentions `needle` (the unique file we gave it).
pid_t find_process_with(const std::string& needle) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmd.find(needle) != std::string::npos && cmd.find("--headless") != std::string::npos)
            return pid_t(std::stoi(name));
    }
    return -1;
}

}  // namespace

TEST_CASE("spawn starts the viewer, reuses it, and refuses a port held by something else") {
    // The build makes the viewer before this test (tests/sdk/CMakeLists.txt).
    INFO("viewer " << viewer_path());
    REQUIRE(std::filesystem::exists(viewer_path()));
    sdk_test::TempDir tmp;
    const uint16_t port = sdk_test::free_port();
    const auto out = tmp.path("viewer_saved.rrd");
    rerun::SpawnOptions opts;
    opts.port = port;
    opts.memory_limit = "1GB";
    const std::string exe = viewer_path();  // SpawnOptions holds views, as upstream
    opts.executable_path = exe;
    opts.extra_args = {"--headless", "--quiet", "--save", out};
    opts.hide_welcome_screen = true;  // a flag the viewer must accept
    // The viewer's output goes to $XDG_STATE_HOME/rerun/viewer.log, never to ours.
    const char* old_state = std::getenv("XDG_STATE_HOME");
    const std::string saved_state = old_state ? old_state : "";
    ::setenv("XDG_STATE_HOME", tmp.dir.c_str(), 1);
    {
        const rerun::RecordingStream rec("spawned", "spawn-rec");
        const auto spawned = rec.spawn(opts);
        INFO(spawned.description);
        REQUIRE(spawned.is_ok());
        log_rows(rec, "s", 0, 100);
        REQUIRE(rec.flush_blocking(30).is_ok());

        // A second spawn on the same port reuses the running viewer.
        const rerun::RecordingStream rec2("spawned", "spawn-rec");
        rerun::SpawnOptions bad = opts;
        bad.executable_path = "/nonexistent/rerun";  // would fail if it tried to start one
        REQUIRE(rec2.spawn(bad).is_ok());
        log_rows(rec2, "s2", 0, 10);
        REQUIRE(rec2.flush_blocking(30).is_ok());
    }
    if (old_state)
        ::setenv("XDG_STATE_HOME", saved_state.c_str(), 1);
    else
        ::unsetenv("XDG_STATE_HOME");
    {
        std::ifstream log(tmp.path("rerun/viewer.log"));
        const std::string text((std::istreambuf_iterator<char>(log)),
                               std::istreambuf_iterator<char>());
        CHECK(text.find("listening on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
    }
    const pid_t pid = find_process_with(out);
    REQUIRE(pid > 0);
    ::kill(pid, SIGTERM);
    CHECK(eventually([&] { return ::kill(pid, 0) != 0; }));
    const auto d = sdk_test::decode_file(out);
    CHECK(d.rows("/s") == 100);
    CHECK(d.rows("/s2") == 10);
    CHECK(d.recording_ids() == std::vector<std::string>{"spawn-rec"});

    // Something that is not a viewer holds the port: a clear error, no viewer started.
    TestListener other(0, HandshakeStatus::BadHello);
    rerun::SpawnOptions taken = opts;
    taken.port = other.port();
    const rerun::RecordingStream rec3("spawned");
    const auto err = rec3.spawn(taken);
    CHECK(err.code == rerun::ErrorCode::PortInUse);
    MESSAGE(err.description);
}

TEST_CASE("spawn reports a missing viewer") {
    rerun::SpawnOptions opts;
    opts.port = sdk_test::free_port();
    opts.executable_path = "/nonexistent/rerun";
    const rerun::RecordingStream rec("spawned");
    CHECK(rec.spawn(opts).code == rerun::ErrorCode::ViewerNotFound);
}

// Frames of 8 MiB and more go out without a copy of their large columns, and the batcher reuses
// column vectors from one flush to the next: it must not reuse those that a sink still holds.
// Here nobody listens at first, so the TCP sink keeps the big frame while later flushes fill
// vectors; the listener that appears then must receive the big frame's values intact.
TEST_CASE("a big frame's borrowed columns stay intact while the sink still holds them") {
    ::setenv("RERUN_FLUSH_TICK_SECS", "1000", 1);
    ::setenv("RERUN_FLUSH_NUM_BYTES", "1GB", 1);
    constexpr int kBig = 700'000;  // row ids alone: 11 MB, so the frame borrows them
    constexpr int kSmall = 50'000;
    constexpr int kRounds = 5;
    const uint16_t port = sdk_test::free_port();
    const rerun::RecordingStream rec("tcp");
    ::unsetenv("RERUN_FLUSH_TICK_SECS");
    ::unsetenv("RERUN_FLUSH_NUM_BYTES");
    rerun::TcpSink sink;
    sink.addr = addr(port);
    sink.buffer_bytes = 512ull << 20;
    REQUIRE(rec.set_sinks(sink).is_ok());
    log_rows(rec, "s", 0, kBig);
    (void)rec.flush_blocking(0.01f);  // nobody listens: times out, the batcher flushes anyway
    REQUIRE(eventually([&] { return rec.stats().chunks_encoded == 1; }));
    for (int round = 1; round <= kRounds; ++round) {
        for (int i = 0; i < kSmall; ++i) {
            rec.set_time_sequence("i", -round);
            rec.log("s", rerun::Scalars(-1.0));
        }
        (void)rec.flush_blocking(0.01f);
        REQUIRE(eventually([&] { return rec.stats().chunks_encoded == uint64_t(1 + round); }));
    }
    TestListener viewer(port);
    REQUIRE(viewer.wait_for(
        [](const sdk_test::Decoded& d) { return d.rows("/s") == kBig + kRounds * kSmall; }, 60));
    const auto d = viewer.snapshot();
    CHECK(d.issues.empty());
    const auto chunks = d.chunks_of("/s");
    REQUIRE(chunks.size() == 1 + kRounds);
    REQUIRE(chunks[0]->num_rows == uint64_t(kBig));
    const auto times = chunks[0]->find_timeline("i")->values();
    const auto values = chunks[0]->find_component("Scalars:scalars")->values_as<double>();
    int wrong = 0;
    for (int i = 0; i < kBig; ++i)
        wrong += (times[size_t(i)] != i || values[size_t(i)] != double(i)) ? 1 : 0;
    CHECK(wrong == 0);
}
