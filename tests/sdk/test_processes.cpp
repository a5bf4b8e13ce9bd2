// Real processes: shared Recording IDs, inherited ids, environment variables, fork.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "test_support.hpp"

using sdk_test::child_path;
using sdk_test::decode_file;
using sdk_test::run_process;

TEST_CASE("two processes with the same Recording ID make one recording") {
    sdk_test::TempDir tmp;
    const auto a =
        run_process({child_path(), "save", tmp.path("a.rrd"), "proc_a", "100", "shared-id"});
    const auto b =
        run_process({child_path(), "save", tmp.path("b.rrd"), "proc_b", "50", "shared-id"});
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    const auto da = decode_file(tmp.path("a.rrd"));
    const auto db = decode_file(tmp.path("b.rrd"));
    CHECK(da.issues.empty());
    CHECK(db.issues.empty());
    CHECK(da.recording_ids() == std::vector<std::string>{"shared-id"});
    CHECK(db.recording_ids() == std::vector<std::string>{"shared-id"});
    CHECK(da.rows("/proc_a") + db.rows("/proc_b") == 150);
    // Row ids from the two processes never collide.
    std::set<std::pair<uint64_t, uint64_t>> ids;
    for (const auto* d : {&da, &db})
        for (const auto& c : d->chunks)
            for (const auto& r : c.chunk->row_id_values())
                ids.insert({r.time_ns, r.inc});
    CHECK(ids.size() == 150);
}

TEST_CASE("RERUN_RECORDING_ID is inherited by the first default stream only") {
    sdk_test::TempDir tmp;
    const auto r = run_process({child_path(), "two_streams", tmp.path("a.rrd"), tmp.path("b.rrd")},
                               {{"RERUN_RECORDING_ID", "from-parent"}});
    REQUIRE(r.exit_code == 0);
    CHECK(decode_file(tmp.path("a.rrd")).recording_ids() ==
          std::vector<std::string>{"from-parent"});
    const auto ids_b = decode_file(tmp.path("b.rrd")).recording_ids();
    REQUIRE(ids_b.size() == 1);
    CHECK(ids_b[0] != "from-parent");
}

TEST_CASE("a process started after init() joins the global recording") {
    sdk_test::TempDir tmp;
    const auto r = run_process({child_path(), "global_then_child", child_path(), tmp.path("c.rrd")},
                               {{"RERUN_RECORDING_ID", ""}});
    REQUIRE(r.exit_code == 0);
    const auto parent_at = r.output.find("parent=");
    REQUIRE(parent_at != std::string::npos);
    const std::string parent_id = r.output.substr(parent_at + 7, 36);
    CHECK(decode_file(tmp.path("c.rrd")).recording_ids() == std::vector<std::string>{parent_id});
}

TEST_CASE("RERUN=off disables a program; RERUN=on keeps it enabled") {
    sdk_test::TempDir tmp;
    const auto off =
        run_process({child_path(), "save", tmp.path("off.rrd"), "x", "10"}, {{"RERUN", "off"}});
    REQUIRE(off.exit_code == 0);
    CHECK(off.output.find("enabled=0") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(tmp.path("off.rrd")));
    const auto on =
        run_process({child_path(), "save", tmp.path("on.rrd"), "x", "10"}, {{"RERUN", "true"}});
    CHECK(on.output.find("enabled=1") != std::string::npos);
    CHECK(decode_file(tmp.path("on.rrd")).rows("/x") == 10);
}

TEST_CASE("flush environment variables change the batching of a program") {
    sdk_test::TempDir tmp;
    const auto r = run_process({child_path(), "save", tmp.path("rows.rrd"), "x", "100"},
                               {{"RERUN_FLUSH_NUM_ROWS", "7"}, {"RERUN_FLUSH_TICK_SECS", "100"}});
    REQUIRE(r.exit_code == 0);
    const auto d = decode_file(tmp.path("rows.rrd"));
    CHECK(d.rows("/x") == 100);
    CHECK(d.chunks_of("/x").size() == 15);  // 14 x 7 + 2
    const auto r2 =
        run_process({child_path(), "save", tmp.path("one.rrd"), "x", "100"},
                    {{"RERUN_FLUSH_NUM_BYTES", "10MB"}, {"RERUN_FLUSH_TICK_SECS", "100"}});
    REQUIRE(r2.exit_code == 0);
    CHECK(decode_file(tmp.path("one.rrd")).chunks_of("/x").size() == 1);
    // A bad value is reported and ignored.
    const auto r3 = run_process({child_path(), "save", tmp.path("bad.rrd"), "x", "5"},
                                {{"RERUN_FLUSH_NUM_BYTES", "lots"}});
    CHECK(r3.exit_code == 0);
    CHECK(r3.output.find("RERUN_FLUSH_NUM_BYTES") != std::string::npos);
}

TEST_CASE("RERUN_STRICT=1 makes reported errors throw; unset, 0 or unreadable they are warnings") {
    const auto strict = run_process({child_path(), "strict"}, {{"RERUN_STRICT", "1"}});
    INFO(strict.output);
    REQUIRE(strict.exit_code == 0);
    CHECK(strict.output.find("strict=1") != std::string::npos);
    CHECK(strict.output.find("threw: empty timeline name") != std::string::npos);
    CHECK(strict.output.find("returned") == std::string::npos);

    for (const char* value : {"", "0", "off"}) {
        const auto r = run_process({child_path(), "strict"}, {{"RERUN_STRICT", value}});
        INFO("RERUN_STRICT='" << value << "': " << r.output);
        REQUIRE(r.exit_code == 0);
        CHECK(r.output.find("strict=0") != std::string::npos);
        CHECK(r.output.find("returned") != std::string::npos);
        CHECK(r.output.find("empty timeline name") != std::string::npos);  // the warning
        CHECK(r.output.find("threw") == std::string::npos);
    }

    const auto bad = run_process({child_path(), "strict"}, {{"RERUN_STRICT", "maybe"}});
    INFO(bad.output);
    REQUIRE(bad.exit_code == 0);
    CHECK(bad.output.find("RERUN_STRICT") != std::string::npos);  // the value is reported
    CHECK(bad.output.find("strict=0") != std::string::npos);
}

TEST_CASE("a forked child logs to its parent's recording") {
#if defined(RERUN_SANITIZER_THREAD)
    // ThreadSanitizer cannot run threads started in a child forked from a threaded parent ("dup
    // thread with used id"); the normal and ASan builds run this case.
    MESSAGE(
        "not run under ThreadSanitizer (no threads after a threaded fork); see the other builds");
    return;
#endif
    sdk_test::TempDir tmp;
    // LeakSanitizer in a forked child of a threaded parent reports false leaks (the parent's
    // threads do not exist there), so leak checking is off for this one process.
    const auto r =
        run_process({child_path(), "fork", tmp.path("parent.rrd"), tmp.path("child.rrd")},
                    {{"ASAN_OPTIONS", "detect_leaks=0"}});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    const auto parent = decode_file(tmp.path("parent.rrd"));
    const auto child = decode_file(tmp.path("child.rrd"));
    CHECK(parent.issues.empty());
    CHECK(child.issues.empty());
    REQUIRE(parent.recording_ids().size() == 1);
    CHECK(child.recording_ids() == parent.recording_ids());
    CHECK(parent.rows("/parent") == 20);
    CHECK(parent.rows("/child") == 0);
    CHECK(child.rows("/child") == 8);
    CHECK(child.rows("/parent") == 0);  // the parent's rows are the parent's to write
    // The child kept the time it inherited: its first row is at step 100.
    const auto chunks = child.chunks_of("/child");
    REQUIRE_FALSE(chunks.empty());
    CHECK(chunks[0]->find_timeline("step")->values()[0] == 100);
    std::set<std::pair<uint64_t, uint64_t>> ids;
    for (const auto* d : {&parent, &child})
        for (const auto& c : d->chunks)
            for (const auto& row : c.chunk->row_id_values())
                ids.insert({row.time_ns, row.inc});
    CHECK(ids.size() == 28);
}

TEST_CASE("RERUN_QUEUE_BYTES bounds the memory of large rows too") {
    // 200 rows of 1 MiB (each travels as a separate buffer) into a FIFO that nobody reads: the
    // sink and then the batcher wait, so the queue fills. It must stop at its 16 MiB bound (the
    // rows beyond are dropped and counted) rather than hold all 200 MiB.
    sdk_test::TempDir tmp;
    const std::string fifo = tmp.path("stalled.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // open, never read
    REQUIRE(reader >= 0);
    const auto r = run_process({child_path(), "big_rows", fifo, "200", "1024"},
                               {{"RERUN_QUEUE_BYTES", "16MiB"}});
    ::close(reader);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    long before = 0, after = 0;
    unsigned long long logged = 0, dropped = 0;
    const auto at = r.output.find("peak_before_kib=");  // after the SDK's warnings, if any
    REQUIRE(at != std::string::npos);
    REQUIRE(std::sscanf(r.output.c_str() + at,
                        "peak_before_kib=%ld peak_after_kib=%ld logged=%llu dropped=%llu", &before,
                        &after, &logged, &dropped) == 4);
    CHECK(logged + dropped == 200);
    CHECK(dropped > 0);
    REQUIRE(before > 0);
    const long grown_mib = (after - before) / 1024;
    MESSAGE("peak resident set grew by " << grown_mib << " MiB while logging 200 MiB");
#if defined(RERUN_SANITIZER_ADDRESS) || defined(RERUN_SANITIZER_THREAD)
    // ASan's quarantine keeps freed memory resident and TSan's shadow memory multiplies it:
    // the resident set says nothing about the bound there (the normal build checks it).
    MESSAGE("resident-set bound not checked under a sanitizer");
#else
    // The bound, plus what the batcher and the file sink hold (a few 1 MiB flushes), plus
    // allocator slack. Without the bound on large rows it grows by ~200 MiB.
    CHECK(grown_mib <= 16 + 32);
#endif
}

TEST_CASE("to_stdout writes a valid stream to a pipe") {
    const auto r = run_process({child_path(), "stdout", "25"});
    REQUIRE(r.exit_code == 0);
    const auto d = sdk_test::decode(std::vector<uint8_t>(r.output.begin(), r.output.end()));
    CHECK(d.issues.empty());
    CHECK(d.recording_ids() == std::vector<std::string>{"stdout-rec"});
    CHECK(d.rows("/s") == 25);
    CHECK(d.end_of_streams == 1);
}

TEST_CASE(
    "examples: shared_recording run twice grows one recording; minimal and clock save files") {
    const std::string examples = std::string(RERUN_BUILD_DIR) + "/examples/";
    // The build makes them before this test (tests/sdk/CMakeLists.txt): missing is a failure.
    for (const char* name : {"shared_recording", "minimal", "clock"}) {
        INFO("example " << examples + name);
        REQUIRE(std::filesystem::exists(examples + name));
    }
    sdk_test::TempDir tmp;
    REQUIRE(run_process({examples + "shared_recording", tmp.path("run1.rrd")}).exit_code == 0);
    REQUIRE(run_process({examples + "shared_recording", tmp.path("run2.rrd")}).exit_code == 0);
    const auto one = decode_file(tmp.path("run1.rrd"));
    const auto two = decode_file(tmp.path("run2.rrd"));
    CHECK(one.recording_ids() == std::vector<std::string>{"my_shared_recording"});
    CHECK(two.recording_ids() == one.recording_ids());
    CHECK(one.rows("/updates") + two.rows("/updates") == 2);

    REQUIRE(run_process({examples + "minimal", tmp.path("minimal.rrd")}).exit_code == 0);
    const auto minimal = decode_file(tmp.path("minimal.rrd"));
    REQUIRE(minimal.chunks_of("/my_points").size() == 1);
    CHECK(
        minimal.chunks_of("/my_points")[0]->find_component("Points3D:positions")->num_instances() ==
        1000);

    REQUIRE(run_process({examples + "clock", tmp.path("clock.rrd"), "100"}).exit_code == 0);
    const auto clock = decode_file(tmp.path("clock.rrd"));
    CHECK(clock.issues.empty());
    CHECK(clock.rows("/world/seconds") == 100);
    CHECK(clock.rows("/world/hours_hand") == 100);
}
