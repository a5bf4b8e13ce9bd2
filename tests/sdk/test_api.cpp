// Public API: Collection ownership, errors, sinks, time, ids, global recordings, strict mode.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <rerun.hpp>
#include <thread>

#include "test_support.hpp"

using sdk_test::decode;

namespace {

// Memory sink bytes of a stream after flushing.
sdk_test::Decoded take(const rerun::MemorySink& sink) {
    return decode(sink.take());
}

}  // namespace

TEST_CASE("Collection borrows lvalues, adopts moved vectors, stores single values inline") {
    std::vector<rerun::Position3D> points{{1, 2, 3}, {4, 5, 6}};
    const rerun::Collection<rerun::Position3D> borrowed(points);
    CHECK(borrowed.data() == points.data());
    CHECK(borrowed.size() == 2);
    CHECK_FALSE(borrowed.is_owned());

    const auto* storage = points.data();
    const rerun::Collection<rerun::Position3D> owned(std::move(points));
    CHECK(owned.data() == storage);  // moved in, not copied
    CHECK(owned.is_owned());
    const auto copy = owned;
    CHECK(copy.data() == storage);  // copies share

    const rerun::Collection<rerun::components::Radius> single(0.5f);
    CHECK(single.size() == 1);
    CHECK(single[0].value == 0.5f);
    auto moved = single;
    CHECK(moved.data() != single.data());  // inline storage follows the object
    CHECK(moved[0].value == 0.5f);

    const rerun::Collection<rerun::components::Radius> list{0.5f, 1.5f};
    CHECK(list.size() == 2);

    const std::vector<rerun::Vec3D> vecs{{1, 1, 1}};
    const rerun::Collection<rerun::Position3D> converted(vecs);
    CHECK(converted.size() == 1);
    CHECK(converted[0].x() == 1.f);

    const std::array<rerun::Color, 2> colors{rerun::Color(1, 2, 3), rerun::Color(0xFF0000FF)};
    const rerun::Collection<rerun::Color> from_array(colors);
    CHECK(from_array.data() == colors.data());
    CHECK(from_array[0].r() == 1);
    CHECK(from_array[1].a() == 0xFF);
}

TEST_CASE("Error and Result") {
    rerun::Error ok;
    CHECK(ok.is_ok());
    ok.exit_on_failure();  // no-op
    rerun::Error err(rerun::ErrorCode::FileOpenFailure, "nope");
    CHECK(err.is_err());
    CHECK_THROWS_AS(err.throw_on_failure(), std::runtime_error);

    rerun::Result<int> r(42);
    CHECK(r.is_ok());
    CHECK(r.exit_on_failure() == 42);
    rerun::Result<int> bad(err);
    CHECK(bad.is_err());
}

TEST_CASE("Recording IDs are random UUIDv4 unless given") {
    const rerun::RecordingStream a("app");
    const rerun::RecordingStream b("app");
    CHECK(a.get_recording_id() != b.get_recording_id());
    CHECK(a.get_recording_id().size() == 36);
    CHECK(a.get_recording_id()[14] == '4');
    const rerun::RecordingStream c("app", "explicit");
    CHECK(c.get_recording_id() == "explicit");
    CHECK(c.get_application_id() == "app");
}

TEST_CASE("data logged before any sink goes to the first sink; save after logging writes all") {
    sdk_test::TempDir tmp;
    const rerun::RecordingStream rec("app", "rec1");
    for (int i = 0; i < 10; ++i) {
        rec.set_time_sequence("frame", i);
        rec.log("early", rerun::Scalars(double(i)));
    }
    const auto path = tmp.path("late.rrd");
    REQUIRE(rec.save(path).is_ok());
    rec.log("after", rerun::Scalars(1.0));
    REQUIRE(rec.flush_blocking().is_ok());
    rec.disconnect();
    const auto d = sdk_test::decode_file(path);
    CHECK(d.issues.empty());
    REQUIRE(d.infos.size() == 1);
    CHECK(d.infos[0].store.id == "rec1");
    CHECK(d.infos[0].application_id == "app");
    CHECK(d.rows("/early") == 10);
    CHECK(d.rows("/after") == 1);
    CHECK(d.end_of_streams == 1);
}

TEST_CASE("set_sinks with several sinks at once; disconnect closes them") {
    sdk_test::TempDir tmp;
    const rerun::RecordingStream rec("app");
    rerun::MemorySink mem;
    REQUIRE(rec.set_sinks(rerun::FileSink{tmp.path("a.rrd")}, mem).is_ok());
    rec.log("x", rerun::Points3D({{1.f, 2.f, 3.f}}));
    rec.disconnect();
    const auto file = sdk_test::decode_file(tmp.path("a.rrd"));
    const auto memory = take(mem);
    CHECK(file.rows("/x") == 1);
    CHECK(memory.rows("/x") == 1);
    CHECK(file.issues.empty());
    CHECK(memory.issues.empty());

    // After disconnect, data is buffered again for the next sink.
    rec.log("y", rerun::Scalars(2.0));
    auto mem2 = rec.memory();
    CHECK(take(mem2).rows("/y") == 1);
}

TEST_CASE("save reports unwritable paths; to_stdout refuses a terminal or writes a stream") {
    const rerun::RecordingStream rec("app");
    const auto err = rec.save("/nonexistent-dir/x.rrd");
    CHECK(err.code == rerun::ErrorCode::FileOpenFailure);
    CHECK(err.description.find("/nonexistent-dir/x.rrd") != std::string::npos);
    CHECK(rec.connect_grpc("rerun+http://:99999/proxy").is_err());
    CHECK(rec.connect_tcp("127.0.0.1:notaport").code == rerun::ErrorCode::InvalidSocketAddress);
}

TEST_CASE("a full disk is reported clearly and counted") {
    sdk_test::TempDir tmp;
    const std::string capture_path = tmp.path("stderr.txt");
    const int saved = ::dup(2);
    const int fd = ::open(capture_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 2);
    ::close(fd);
    {
        const rerun::RecordingStream rec("app");
        REQUIRE(rec.save("/dev/full").is_ok());  // every write fails with ENOSPC
        rec.log("x", rerun::Scalars(1.0));
        // The file sink has failed, and flush_blocking says why (not "within the timeout").
        const auto err = rec.flush_blocking(30);
        CHECK(err.code == rerun::ErrorCode::FileWriteFailure);
        CHECK(err.description.find("cannot write '/dev/full': ") != std::string::npos);
        CHECK(err.description.find("No space left on device (the disk is full)") !=
              std::string::npos);
        CHECK(err.description.find("timeout") == std::string::npos);
        rec.disconnect();
        CHECK(rec.stats().bytes_dropped > 0);
    }
    {
        // With another sink beside it: the error names the failed one; the other gets the data.
        const rerun::RecordingStream rec("app");
        rerun::MemorySink mem;
        REQUIRE(rec.set_sinks(rerun::FileSink{"/dev/full"}, mem).is_ok());
        rec.log("x", rerun::Scalars(1.0));
        const auto err = rec.flush_blocking(30);
        CHECK(err.code == rerun::ErrorCode::FileWriteFailure);
        CHECK(err.description.find("'/dev/full'") != std::string::npos);
        CHECK(err.description.find("memory") == std::string::npos);
        CHECK(sdk_test::decode(mem.take()).rows("/x") == 1);
    }
    ::dup2(saved, 2);
    ::close(saved);
    std::ifstream in(capture_path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("disk is full") != std::string::npos);
    CHECK(text.find("/dev/full") != std::string::npos);
}

TEST_CASE("to_stdout refuses a terminal") {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    const int slave = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    REQUIRE(slave >= 0);
    const int saved = ::dup(1);
    ::dup2(slave, 1);
    const rerun::RecordingStream rec("app");
    const auto err = rec.to_stdout();
    ::dup2(saved, 1);
    ::close(saved);
    ::close(slave);
    ::close(master);
    CHECK(err.code == rerun::ErrorCode::RecordingStreamStdoutFailure);
    CHECK(err.description.find("terminal") != std::string::npos);
}

TEST_CASE("time: sequence, duration, timestamp, disable, reset, static, log_time") {
    const rerun::RecordingStream rec("app");
    auto mem = rec.memory();
    rec.set_time_sequence("frame", 7);
    rec.set_time_duration_secs("sim", 1.5);
    rec.set_time_timestamp_secs_since_epoch("wall", 1.7e9);
    rec.log("a", rerun::Scalars(1.0));
    rec.disable_timeline("sim");
    rec.log("b", rerun::Scalars(1.0));
    rec.reset_time();
    rec.log("c", rerun::Scalars(1.0));
    rec.set_time_sequence("frame", 8);
    rec.log_static("d", rerun::Scalars(1.0));
    rec.set_time_seconds("old_style", 2.0);
    rec.set_time_nanos("old_epoch", int64_t(1.7e18));
    rec.set_time_duration("chrono", std::chrono::milliseconds(250));
    rec.log("e", rerun::Scalars(1.0));
    const auto d = take(mem);

    auto only = [&](const char* entity) {
        const auto chunks = d.chunks_of(entity);
        REQUIRE(chunks.size() == 1);
        return chunks[0];
    };
    const auto* a = only("/a");
    REQUIRE(a->find_timeline("frame"));
    CHECK(a->find_timeline("frame")->timeline.type == rerun::core::TimeType::Sequence);
    CHECK(a->find_timeline("frame")->values()[0] == 7);
    CHECK(a->find_timeline("sim")->timeline.type == rerun::core::TimeType::Duration);
    CHECK(a->find_timeline("sim")->values()[0] == 1'500'000'000);
    CHECK(a->find_timeline("wall")->timeline.type == rerun::core::TimeType::Timestamp);
    CHECK(a->find_timeline("wall")->values()[0] == 1'700'000'000'000'000'000);
    const auto* log_time = a->find_timeline(rerun::core::kLogTimeTimeline);
    REQUIRE(log_time);
    CHECK(log_time->timeline.type == rerun::core::TimeType::Timestamp);
    CHECK(log_time->values()[0] == int64_t(a->row_id_values()[0].time_ns));

    CHECK(only("/b")->find_timeline("sim") == nullptr);
    CHECK(only("/b")->find_timeline("frame") != nullptr);
    CHECK(only("/c")->timelines.size() == 1);  // log_time only
    CHECK(only("/d")->is_static);
    CHECK(only("/d")->timelines.empty());
    const auto* e = only("/e");
    CHECK(e->find_timeline("old_style")->timeline.type == rerun::core::TimeType::Duration);
    CHECK(e->find_timeline("old_epoch")->timeline.type == rerun::core::TimeType::Timestamp);
    CHECK(e->find_timeline("chrono")->values()[0] == 250'000'000);
}

TEST_CASE("time is per thread") {
    const rerun::RecordingStream rec("app");
    auto mem = rec.memory();
    rec.set_time_sequence("frame", 1);
    std::thread([&] { rec.log("other_thread", rerun::Scalars(1.0)); }).join();
    rec.log("this_thread", rerun::Scalars(1.0));
    const auto d = take(mem);
    REQUIRE(d.chunks_of("/other_thread").size() == 1);
    CHECK(d.chunks_of("/other_thread")[0]->find_timeline("frame") == nullptr);
    CHECK(d.chunks_of("/this_thread")[0]->find_timeline("frame") != nullptr);
}

TEST_CASE("enabled and disabled streams") {
    {
        const rerun::RecordingStream rec(
            "app", "", rerun::RecordingStreamOptions{rerun::StoreKind::Recording, false});
        CHECK_FALSE(rec.is_enabled());
        rec.log("x", rerun::Scalars(1.0));
        CHECK(rec.stats().rows_logged == 0);
    }
    ::setenv("RERUN", "off", 1);
    {
        const rerun::RecordingStream rec("app");
        CHECK_FALSE(rec.is_enabled());
        CHECK(rec.save("/nonexistent-dir/never-created.rrd").is_ok());  // disabled: no-op
    }
    ::setenv("RERUN", "1", 1);
    {
        const rerun::RecordingStream rec(
            "app", "", rerun::RecordingStreamOptions{rerun::StoreKind::Recording, false});
        CHECK(rec.is_enabled());
    }
    ::unsetenv("RERUN");
}

TEST_CASE("global and thread-local recordings; the global exports its id") {
    CHECK_FALSE(rerun::get_data_recording().has_value());
    const auto global = rerun::init("app_global");
    CHECK(rerun::get_global_data_recording()->get_recording_id() == global.get_recording_id());
    CHECK(std::string(std::getenv("RERUN_RECORDING_ID")) == global.get_recording_id());
    CHECK(rerun::get_data_recording()->get_recording_id() == global.get_recording_id());

    const rerun::RecordingStream local("app_local");
    local.set_thread_local();
    CHECK(rerun::get_data_recording()->get_recording_id() == local.get_recording_id());
    CHECK(rerun::RecordingStream::current().get_recording_id() == local.get_recording_id());
    std::thread([&] {
        CHECK(rerun::get_data_recording()->get_recording_id() == global.get_recording_id());
    }).join();

    // A stream created after the export still gets a fresh id (no accidental sharing).
    const rerun::RecordingStream later("app_global");
    CHECK(later.get_recording_id() != global.get_recording_id());

    rerun::set_thread_local_data_recording(std::nullopt);
    rerun::set_global_data_recording(std::nullopt);
    CHECK_FALSE(rerun::get_data_recording().has_value());
    CHECK_FALSE(rerun::RecordingStream::current().is_enabled());
    ::unsetenv("RERUN_RECORDING_ID");
}

TEST_CASE("strict mode throws errors that are otherwise only reported") {
    const rerun::RecordingStream rec("app");
    rerun::set_strict_mode(true);
    CHECK_THROWS_AS(rec.set_time_sequence("log_time", 1), std::runtime_error);
    rerun::set_strict_mode(false);
    rec.set_time_sequence("log_time", 1);  // reported, not thrown
}

TEST_CASE("send_columns sends many rows in one chunk") {
    const rerun::RecordingStream rec("app");
    auto mem = rec.memory();
    std::vector<int64_t> steps;
    std::vector<double> values;
    for (int i = 0; i < 100; ++i) {
        steps.push_back(i);
        values.push_back(i * 0.5);
    }
    REQUIRE(rec.send_columns("series",
                             rerun::RecordingStream::TimeColumn::from_sequence("step", steps),
                             rerun::Scalars(values))
                .is_ok());
    const auto d = take(mem);
    const auto chunks = d.chunks_of("/series");
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0]->num_rows == 100);
    const auto* col = chunks[0]->find_component("Scalars:scalars");
    REQUIRE(col);
    CHECK(col->values_as<double>()[99] == 49.5);
    CHECK(chunks[0]->find_timeline("step")->values()[42] == 42);

    // Upstream's spelling, with several instances per row.
    std::vector<rerun::Position3D> positions(30, rerun::Position3D(1.f, 2.f, 3.f));
    REQUIRE(rec.send_columns("cloud", rerun::TimeColumn::from_sequence("step", {0, 1, 2}),
                             rerun::Points3D(positions).columns({10, 5, 15}))
                .is_ok());
    CHECK(rec.send_columns("bad", rerun::TimeColumn::from_sequence("step", {0, 1}),
                           rerun::Points3D(positions).columns({10, 5}))
              .is_err());
    const auto d2 = take(mem);
    const auto cloud = d2.chunks_of("/cloud");
    REQUIRE(cloud.size() == 1);
    CHECK(cloud[0]->num_rows == 3);
    CHECK(cloud[0]->find_component("Points3D:positions")->instance_range(2) ==
          std::pair<uint32_t, uint32_t>{15, 30});
}

TEST_CASE("stats count rows and bytes") {
    const rerun::RecordingStream rec("app");
    auto mem = rec.memory();
    for (int i = 0; i < 1000; ++i)
        rec.log("s", rerun::Scalars(double(i)));
    REQUIRE(rec.flush_blocking().is_ok());
    const auto s = rec.stats();
    CHECK(s.rows_logged == 1000);
    CHECK(s.rows_dropped == 0);
    CHECK(s.chunks_encoded >= 1);
    CHECK(s.bytes_written > 1000 * 8);
}
