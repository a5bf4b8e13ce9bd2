// The rrd commands as a user runs them: real processes on real files.
#include <random>

#include "rrd_test_util.hpp"

using namespace rrd_test;

TEST_CASE("merge: two files with one Recording ID become one recording; duplicates kept once") {
    TempDir dir;
    write_bytes(dir / "recording1.rrd", recording_file("my_shared_recording", "spheres", 3, 10));
    write_bytes(dir / "recording2.rrd", recording_file("my_shared_recording", "cubes", 2, 5));
    const auto r = rrd(
        dir, "merge -o " + (dir / "merged.rrd").string() + " " + (dir / "recording1.rrd").string() +
                 " " + (dir / "recording2.rrd").string() + " " + (dir / "recording1.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto decoded = decode_file(dir / "merged.rrd");
    CHECK(decoded.issues.empty());
    const auto c = contents_of(decoded);
    CHECK(c.rows.size() == 2);
    CHECK(c.rows.at({"my_shared_recording", "/spheres"}) == 30);
    CHECK(c.rows.at({"my_shared_recording", "/cubes"}) == 10);
    CHECK(c.chunks == 5);  // recording1 given twice: its chunks kept once
    CHECK(r.err.find("3 duplicate(s) dropped") != std::string::npos);
    size_t infos = 0, ends = 0;
    for (const auto& f : decoded.frames) {
        infos += std::holds_alternative<StoreInfo>(f.message);
        ends += std::holds_alternative<EndOfStream>(f.message);
    }
    CHECK(infos == 2);  // one per producer; the repeated recording1 adds none
    CHECK(ends == 1);
    CHECK(std::holds_alternative<StoreInfo>(decoded.frames.front().message));

    // Deterministic: the same inputs give the same bytes.
    REQUIRE(rrd(dir, "merge -o " + (dir / "again.rrd").string() + " " +
                         (dir / "recording1.rrd").string() + " " +
                         (dir / "recording2.rrd").string() + " " +
                         (dir / "recording1.rrd").string())
                .exit_code == 0);
    CHECK(read_bytes(dir / "merged.rrd") == read_bytes(dir / "again.rrd"));

    // print shows one recording with both entities.
    const auto printed = rrd(dir, "print -v " + (dir / "merged.rrd").string());
    CHECK(printed.exit_code == 0);
    CHECK(printed.out.find("recording my_shared_recording") != std::string::npos);
    CHECK(printed.out.find("/spheres  30 row(s)") != std::string::npos);
    CHECK(printed.out.find("/cubes  10 row(s)") != std::string::npos);
    CHECK(printed.out.find("Points3D:positions") != std::string::npos);
    CHECK(printed.out.find("frame (sequence): #0 .. #29") != std::string::npos);
}

TEST_CASE("merge reads stdin, refuses damaged inputs unless told, and never leaves half a file") {
    TempDir dir;
    Bytes file = recording_file("r", "a", 2, 3);
    write_bytes(dir / "good.rrd", file);
    auto r = rrd(dir, "merge -o " + (dir / "from_stdin.rrd").string(), (dir / "good.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contents_of(decode_file(dir / "from_stdin.rrd")).chunks == 2);

    file[file.size() / 2] ^= 0x40;
    write_bytes(dir / "bad.rrd", file);
    r = rrd(dir, "merge -o " + (dir / "out.rrd").string() + " " + (dir / "bad.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("recover") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out.rrd"));
    r = rrd(dir, "merge --continue-on-error -o " + (dir / "out.rrd").string() + " " +
                     (dir / "bad.rrd").string());
    CHECK(r.exit_code == 0);
    CHECK(contents_of(decode_file(dir / "out.rrd")).chunks == 1);

    r = rrd(dir, "merge -o " + (dir / "out2.rrd").string() + " " + (dir / "missing.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cannot open") != std::string::npos);
    CHECK_FALSE(fs::exists(dir / "out2.rrd"));
}

TEST_CASE("compact joins small chunks and keeps every row") {
    TempDir dir;
    write_bytes(dir / "small.rrd", recording_file("r", "scalars", 100, 1));
    const auto r = rrd(dir, "compact --max-rows 30 -o " + (dir / "compact.rrd").string() + " " +
                                (dir / "small.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto before = contents_of(decode_file(dir / "small.rrd"));
    const auto after_decoded = decode_file(dir / "compact.rrd");
    CHECK(after_decoded.issues.empty());
    const auto after = contents_of(after_decoded);
    CHECK(after.row_ids == before.row_ids);
    CHECK(after.chunks == 4);  // 30 + 30 + 30 + 10
    CHECK(rrd(dir, "compact --max-rows zero -o x.rrd a.rrd").exit_code == 2);
}

TEST_CASE("verify and stats") {
    TempDir dir;
    Bytes file = recording_file("r", "a", 3, 4);
    write_bytes(dir / "good.rrd", file);
    auto r = rrd(dir, "verify " + (dir / "good.rrd").string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ok") != std::string::npos);
    file[200] ^= 1;
    write_bytes(dir / "bad.rrd", file);
    r = rrd(dir, "verify " + (dir / "bad.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("checksum") != std::string::npos);

    r = rrd(dir, "stats " + (dir / "good.rrd").string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("compression ratio") != std::string::npos);
    CHECK(r.out.find("/a") != std::string::npos);
    r = rrd(dir, "stats --no-decode " + (dir / "good.rrd").string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("5 frame(s)") != std::string::npos);
    CHECK(r.out.find("chunk") != std::string::npos);
}

TEST_CASE("recover keeps every undamaged frame of cut and damaged files") {
    TempDir dir;
    std::vector<Tuid> ids;
    const Bytes file = recording_file("r", "a", 40, 3, &ids);
    const auto frames = decode_all(file, file.size()).frames;
    // A cut exactly between two frames loses no byte of any frame kept: recover calls it lossless.
    std::set<uint64_t> boundaries = {file.size()};
    for (const auto& f : frames)
        boundaries.insert(f.offset);
    std::mt19937 rng(42);
    // Random cuts and random damage, then cuts placed on frame boundaries and just after them.
    const std::vector<uint64_t> placed_cuts = {frames[1].offset, frames[17].offset,
                                               frames[17].offset + 1, frames.back().offset};
    const int random_rounds = 24;
    bool saw_lossless = false, saw_lossy = false;
    for (int round = 0; round < random_rounds + int(placed_cuts.size()); ++round) {
        Bytes damaged = file;
        uint64_t damage_begin = 0, damage_end = 0;
        if (round >= random_rounds || round % 2 == 0) {
            damage_begin =
                round >= random_rounds
                    ? placed_cuts[size_t(round - random_rounds)]
                    : wire::kFileHeaderSize + rng() % (file.size() - wire::kFileHeaderSize);
            damage_end = file.size();
            damaged.resize(damage_begin);
        } else {
            // Random bytes over a random range.
            damage_begin = wire::kFileHeaderSize + rng() % (file.size() - 200);
            damage_end = damage_begin + 1 + rng() % 150;
            for (uint64_t i = damage_begin; i < damage_end; ++i)
                damaged[i] = uint8_t(rng());
        }
        // Lossless exactly when no frame lost a byte: a cut on a boundary, or "damage" that
        // happened to write the bytes already there. Anything else loses data.
        const bool cut = damaged.size() < file.size();
        const bool lossless = cut ? boundaries.count(damaged.size()) == 1 : damaged == file;
        saw_lossless |= lossless;
        saw_lossy |= !lossless;
        CAPTURE(round);
        CAPTURE(damage_begin);
        write_bytes(dir / "damaged.rrd", damaged);
        const auto r = rrd(dir, "recover -o " + (dir / "fixed.rrd").string() + " " +
                                    (dir / "damaged.rrd").string());
        CHECK_MESSAGE(r.exit_code == (lossless ? 0 : 3), r.err);
        CHECK(contains(r.err, lossless ? "nothing was lost" : "damaged place(s)"));
        const auto fixed = decode_file(dir / "fixed.rrd");
        CHECK(fixed.issues.empty());
        // Every frame entirely outside the damage is back.
        size_t expected = 0, found = 0;
        for (const auto& f : frames) {
            const bool untouched = f.offset + f.size <= damage_begin || f.offset >= damage_end;
            if (!untouched || f.offset >= damaged.size()) continue;
            ++expected;
            for (const auto& g : fixed.frames) {
                if (messages_equal(g.message, f.message)) {
                    ++found;
                    break;
                }
            }
        }
        CHECK(found == expected);
        if (lossless) CHECK(fixed.frames.size() == expected);
    }
    CHECK(saw_lossless);  // the placed cuts make sure both outcomes are exercised
    CHECK(saw_lossy);
    write_bytes(dir / "clean.rrd", file);
    CHECK(
        rrd(dir, "recover -o " + (dir / "fixed.rrd").string() + " " + (dir / "clean.rrd").string())
            .exit_code == 0);
    const std::string junk(1000, 'x');
    write_bytes(dir / "junk.rrd", {reinterpret_cast<const uint8_t*>(junk.data()), junk.size()});
    CHECK(
        rrd(dir, "recover -o " + (dir / "fixed2.rrd").string() + " " + (dir / "junk.rrd").string())
            .exit_code == 1);
    CHECK_FALSE(fs::exists(dir / "fixed2.rrd"));
}

// Fuzz finding (tests/fuzz/regressions/recover/): files joined with `cat` are one valid file
// (docs/format.md), so recover loses nothing on them; it writes one file header, so its output is
// the input without the inner headers, not the input itself.
TEST_CASE("recover: files joined with cat lose nothing and come out with one file header") {
    TempDir dir;
    const Bytes a = recording_file("first", "a", 2, 3);
    const Bytes b = recording_file("second", "b", 3, 2);
    Bytes empty;  // an empty recording: a file header alone
    append_file_header(empty);
    // a, then two file headers back to back (the empty file and b's), then b.
    Bytes joined = a;
    joined.insert(joined.end(), empty.begin(), empty.end());
    joined.insert(joined.end(), b.begin(), b.end());
    write_bytes(dir / "joined.rrd", joined);
    auto r = rrd(
        dir, "recover -o " + (dir / "fixed.rrd").string() + " " + (dir / "joined.rrd").string());
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.err, "kept 9 frame(s)"));
    CHECK(contains(r.err, "nothing was lost"));
    Bytes expected = a;
    expected.insert(expected.end(), b.begin() + ptrdiff_t(wire::kFileHeaderSize), b.end());
    const Bytes fixed = read_bytes(dir / "fixed.rrd");
    CHECK(fixed == expected);

    // Recovering the output again changes nothing.
    r = rrd(dir, "recover -o " + (dir / "again.rrd").string() + " " + (dir / "fixed.rrd").string());
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.err, "nothing was lost"));
    CHECK(read_bytes(dir / "again.rrd") == fixed);

    // Only file headers (the fuzzer's input): no damage, but no frame to keep either.
    Bytes headers = empty;
    headers.insert(headers.end(), empty.begin(), empty.end());
    write_bytes(dir / "headers.rrd", headers);
    r = rrd(dir,
            "recover -o " + (dir / "none.rrd").string() + " " + (dir / "headers.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "nothing could be recovered"));
    CHECK_FALSE(contains(r.err, "damaged"));
    CHECK_FALSE(fs::exists(dir / "none.rrd"));
}

TEST_CASE("route rewrites ids so that recordings combine; filter drops entities and timelines") {
    TempDir dir;
    write_bytes(dir / "a.rrd", recording_file("first", "a", 1, 2));
    write_bytes(dir / "b.rrd", recording_file("second", "b", 1, 2));
    auto r = rrd(dir, "route --recording-id joined --application-id app2 -o " +
                          (dir / "b2.rrd").string() + " " + (dir / "b.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    r = rrd(dir, "route --recording-id joined -o " + (dir / "a2.rrd").string() + " " +
                     (dir / "a.rrd").string());
    REQUIRE(r.exit_code == 0);
    r = rrd(dir, "merge -o " + (dir / "m.rrd").string() + " " + (dir / "a2.rrd").string() + " " +
                     (dir / "b2.rrd").string());
    REQUIRE(r.exit_code == 0);
    const auto c = contents_of(decode_file(dir / "m.rrd"));
    CHECK(c.rows.count({"joined", "/a"}) == 1);
    CHECK(c.rows.count({"joined", "/b"}) == 1);
    CHECK(r.err.find("application id") != std::string::npos);  // my_app vs app2 reported

    r = rrd(dir, "filter --drop-entity /b --drop-timeline log_time -o " + (dir / "f.rrd").string() +
                     " " + (dir / "m.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto filtered = decode_file(dir / "f.rrd");
    const auto fc = contents_of(filtered);
    CHECK(fc.rows.count({"joined", "/b"}) == 0);
    CHECK(fc.rows.count({"joined", "/a"}) == 1);
    for (const auto& f : filtered.frames) {
        if (const auto* m = std::get_if<ChunkMessage>(&f.message)) {
            CHECK(m->chunk->find_timeline("log_time") == nullptr);
            CHECK(m->chunk->find_timeline("frame") != nullptr);
        }
    }
}

TEST_CASE("bad arguments get a clear message and exit code 2") {
    TempDir dir;
    auto r = rrd(dir, "frobnicate");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown command") != std::string::npos);
    r = rrd(dir, "merge --bogus x.rrd");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown option --bogus") != std::string::npos);
    r = rrd(dir, "route -o x.rrd a.rrd");
    CHECK(r.exit_code == 2);
    r = rrd(dir, "--help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("exit codes") != std::string::npos);
    // An upstream Rerun file is refused by name.
    write_bytes(dir / "upstream.rrd",
                std::vector<uint8_t>{'R', 'R', 'F', '2', 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
    r = rrd(dir, "verify " + (dir / "upstream.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("upstream Rerun") != std::string::npos);
}

TEST_CASE("workflow: two processes save shards of my_shared_recording; merge gives one recording") {
    TempDir dir;
    const auto one = dir / "recording1.rrd", two = dir / "recording2.rrd",
               merged = dir / "merged.rrd";
    REQUIRE(std::system((std::string(WORKFLOW_LOGGER) + " spheres " + one.string()).c_str()) == 0);
    REQUIRE(std::system((std::string(WORKFLOW_LOGGER) + " cubes " + two.string()).c_str()) == 0);
    auto r = rrd(dir, "merge -o " + merged.string() + " " + one.string() + " " + two.string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto decoded = decode_file(merged);
    CHECK(decoded.issues.empty());
    const auto c = contents_of(decoded);
    CHECK(c.rows.size() == 2);
    CHECK(c.rows.at({"my_shared_recording", "/spheres"}) == 10);
    CHECK(c.rows.at({"my_shared_recording", "/cubes"}) == 10);
    std::set<std::string> store_ids;
    for (const auto& f : decoded.frames) {
        if (const auto* info = std::get_if<StoreInfo>(&f.message)) {
            store_ids.insert(info->store.id);
            CHECK(info->application_id == "rerun_example_shared_recording");
        }
    }
    CHECK(store_ids == std::set<std::string>{"my_shared_recording"});
    r = rrd(dir, "print -v " + merged.string());
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("recording my_shared_recording") != std::string::npos);
    CHECK(r.out.find("/spheres  10 row(s)") != std::string::npos);
    CHECK(r.out.find("/cubes  10 row(s)") != std::string::npos);
    CHECK(r.out.find("rerun.components.HalfSize3D") != std::string::npos);
    CHECK(r.out.find("rerun.components.Position3D") != std::string::npos);
}
