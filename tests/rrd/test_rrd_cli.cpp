// The rrd commands' interface: per-command help, stdin for every command, refusing a terminal,
// recover on stdin and stdout, options not covered by test_rrd.cpp, and `rerun reset`.
#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "rrd_test_util.hpp"

using namespace rrd_test;

namespace {

const std::vector<std::string> kCommands = {"merge",  "compact", "print", "stats",
                                            "verify", "recover", "route", "filter"};

// A pseudo-terminal: what a command writes to `slave_name` comes out of `master`.
class Pty {
  public:
    Pty() {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master_ >= 0);
        REQUIRE(::grantpt(master_) == 0);
        REQUIRE(::unlockpt(master_) == 0);
        slave_name_ = ::ptsname(master_);
        // Held open so that the terminal stays alive between commands.
        slave_ = ::open(slave_name_.c_str(), O_RDWR | O_NOCTTY);
        REQUIRE(slave_ >= 0);
    }
    ~Pty() {
        ::close(slave_);
        ::close(master_);
    }
    const std::string& slave_name() const { return slave_name_; }

    // Everything written to the terminal so far: writes a marker after it and reads up to the
    // marker (the terminal keeps the order), waiting at most a minute for it.
    std::string drain() {
        static const std::string marker = "@@end-of-output@@";
        REQUIRE(::write(slave_, marker.data(), marker.size()) == ssize_t(marker.size()));
        std::string got;
        while (got.find(marker) == std::string::npos) {
            pollfd p{master_, POLLIN, 0};
            REQUIRE(::poll(&p, 1, 60'000) == 1);
            char buffer[4096];
            const ssize_t n = ::read(master_, buffer, sizeof buffer);
            REQUIRE(n > 0);
            got.append(buffer, size_t(n));
        }
        return got.substr(0, got.find(marker));
    }

  private:
    int master_ = -1, slave_ = -1;
    std::string slave_name_;
};

size_t count_of(const std::string& text, const std::string& part) {
    size_t n = 0;
    for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("--help: each command prints its own usage; rerun rrd --help lists the exit codes") {
    TempDir dir;
    const auto global = rrd(dir, "--help");
    REQUIRE(global.exit_code == 0);
    CHECK(contains(global.out, "exit codes"));
    for (const char* code : {"0  success", "1  failure", "2  bad arguments", "3  recover"})
        CHECK(contains(global.out, code));
    for (const auto& command : kCommands)
        CHECK(contains(global.out, "  " + command + " "));

    // What only one command's help says, to tell them apart.
    const std::map<std::string, std::vector<std::string>> own = {
        {"merge", {"--continue-on-error", "kept once"}},
        {"compact", {"--max-rows N", "--max-bytes SIZE"}},
        {"print", {"-vv", "--verbose"}},
        {"stats", {"--no-decode"}},
        {"verify", {"checksums"}},
        {"recover", {"3 written, but some data could not be recovered", "stdout"}},
        {"route", {"--recording-id ID", "--application-id ID"}},
        {"filter", {"--drop-entity PATH", "--drop-timeline NAME"}},
    };
    for (const auto& command : kCommands) {
        CAPTURE(command);
        const auto r = rrd(dir, command + " --help");
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        CHECK(r.out.rfind("usage: rerun rrd " + command + " ", 0) == 0);
        CHECK(contains(r.out, "exit codes"));
        CHECK_FALSE(contains(r.out, "commands:"));  // not the overview
        for (const auto& text : own.at(command))
            CHECK(contains(r.out, text));
        // The same text for -h, for `rerun rrd help COMMAND`, and with other arguments around.
        CHECK(rrd(dir, command + " -h").out == r.out);
        CHECK(rrd(dir, "help " + command).out == r.out);
        const auto late = rrd(dir, command + " -o " + (dir / "x.rrd").string() + " a.rrd --help");
        CHECK(late.exit_code == 0);
        CHECK(late.out == r.out);
        CHECK_FALSE(fs::exists(dir / "x.rrd"));
    }
    CHECK(rrd(dir, "merge --help").out != rrd(dir, "compact --help").out);

    auto r = rrd(dir, "help frobnicate");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "unknown command \"frobnicate\""));
    r = rrd(dir, "frobnicate --help");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "unknown command"));
    r = rrd(dir, "merge --bogus");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "rerun rrd merge --help"));
}

TEST_CASE("binary output to a terminal is refused, and nothing is written to it") {
    TempDir dir;
    write_bytes(dir / "a.rrd", recording_file("r", "a", 2, 3));
    const std::string a = (dir / "a.rrd").string();
    Pty pty;
    const std::string to_tty = " > " + pty.slave_name();

    // The terminal works: text output reaches it.
    auto r = run_shell(dir, std::string(RRD_CLI) + " print " + a + to_tty);
    CHECK(r.exit_code == 0);
    CHECK(contains(pty.drain(), "recording r"));

    for (const std::string& command :
         {"merge " + a, "merge -o - " + a, "compact " + a, "recover " + a,
          "route --recording-id x " + a, "filter --drop-entity /a " + a}) {
        CAPTURE(command);
        r = run_shell(dir, std::string(RRD_CLI) + " " + command + to_tty);
        CHECK(r.exit_code == 1);
        CHECK(contains(r.err, "refusing to write binary .rrd data to a terminal"));
        CHECK(contains(r.err, "-o FILE"));
        CHECK(pty.drain().empty());
    }
    // Nothing was written anywhere else either.
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        files += entry.path().extension() == ".rrd" || contains(entry.path().string(), ".tmp-");
    CHECK(files == 1);
}

TEST_CASE("every command reads stdin when no file is given, from a file or a pipe") {
    TempDir dir;
    write_bytes(dir / "a.rrd", recording_file("r", "a", 3, 4));
    Bytes bad = recording_file("r", "a", 3, 4);
    bad[bad.size() / 2] ^= 0x10;
    write_bytes(dir / "bad.rrd", bad);
    const std::string a = (dir / "a.rrd").string(), out = (dir / "out.rrd").string();
    const auto original = decode_file(dir / "a.rrd");

    for (const bool piped : {false, true}) {
        CAPTURE(piped);
        auto run = [&](const std::string& args, const std::string& input) {
            return piped ? rrd_piped(dir, args, input) : rrd(dir, args, input);
        };
        auto r = run("print", a);
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "files: <stdin>"));
        CHECK(contains(r.out, "/a  12 row(s)"));
        r = run("print -", a);  // "-" is stdin too
        CHECK(contains(r.out, "files: <stdin>"));

        r = run("stats", a);
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "recording r: 3 chunk(s), 12 row(s)"));
        r = run("stats --no-decode", a);  // a pipe cannot seek: the payloads are read and skipped
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "<stdin>: "));
        CHECK(contains(r.out, "5 frame(s)"));

        r = run("verify", a);
        CHECK(r.exit_code == 0);
        CHECK(contains(r.out, "1 file(s), 5 frame(s), 12 row(s): ok"));
        r = run("verify", (dir / "bad.rrd").string());
        CHECK(r.exit_code == 1);
        CHECK(contains(r.err, "<stdin>: offset"));

        r = run("compact --max-rows 8 -o " + out, a);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        auto c = contents_of(decode_file(out));
        CHECK(c.chunks == 2);  // 4 + 4 joined, then the last 4
        CHECK(c.row_ids == contents_of(original).row_ids);

        r = run("route --recording-id other -o " + out, a);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(contents_of(decode_file(out)).rows.at({"other", "/a"}) == 12);

        r = run("filter --drop-timeline log_time -o " + out, a);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        for (const auto& f : decode_file(out).frames) {
            if (const auto* m = std::get_if<ChunkMessage>(&f.message))
                CHECK(m->chunk->find_timeline("log_time") == nullptr);
        }

        r = run("recover -o " + out, a);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(same_messages(original.frames, decode_file(out).frames));
        r = run("recover -o " + out + " -", a);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
    }
}

TEST_CASE("recover: a damaged file header on stdin is scanned again without rereading stdin") {
    TempDir dir;
    const Bytes file = recording_file("r", "a", 6, 2);
    const auto original = decode_all(file, file.size());
    Bytes damaged = file;
    damaged[2] ^= 0xff;  // inside the magic
    write_bytes(dir / "damaged.rrd", damaged);
    const std::string damaged_path = (dir / "damaged.rrd").string();
    const std::string fixed = (dir / "fixed.rrd").string();

    const std::vector<std::pair<std::string, RunResult>> runs = {
        {"file argument", rrd(dir, "recover -o " + fixed + " " + damaged_path)},
        {"stdin pipe", rrd_piped(dir, "recover -o " + fixed, damaged_path)},
        {"stdin pipe, -", rrd_piped(dir, "recover -o " + fixed + " -", damaged_path)},
        {"stdin file", rrd(dir, "recover -o " + fixed, damaged_path)},
    };
    for (const auto& run : runs) {
        // Not a structured binding: CAPTURE's lambda cannot capture one in clang 14.
        const std::string& how = run.first;
        const RunResult& r = run.second;
        CAPTURE(how);
        CHECK_MESSAGE(r.exit_code == 3, r.err);  // the header's bytes are lost
        CHECK(contains(r.err, "the file header is damaged"));
        CHECK(contains(r.err, "kept 8 frame(s)"));
    }
    // The last run's output: every frame is back.
    CHECK(same_messages(original.frames, decode_file(fixed).frames));

    // A pipe with only a broken header: nothing to recover, said clearly.
    write_bytes(dir / "short.rrd", Bytes(damaged.begin(), damaged.begin() + 10));
    auto r = rrd_piped(dir, "recover -o " + fixed + "2", (dir / "short.rrd").string());
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "nothing could be recovered from <stdin>"));
    CHECK_FALSE(fs::exists(fixed + "2"));

    r = rrd(dir, "recover -o " + fixed + " a.rrd b.rrd");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "give one damaged file"));
}

TEST_CASE("recover -o -: the bytes written to stdout are verified in memory, and said so") {
    TempDir dir;
    const Bytes file = recording_file("r", "a", 10, 2);
    const auto original = decode_all(file, file.size());
    write_bytes(dir / "clean.rrd", file);
    Bytes cut(file.begin(), file.end() - 7);
    write_bytes(dir / "cut.rrd", cut);
    const std::string stdout_file = (dir / "stdout.rrd").string();

    // Clean input: lossless, written to stdout, the output decodes to the same messages.
    auto r = rrd(dir, "recover -o - " + (dir / "clean.rrd").string());
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.err, "in <stdout> (verified in memory as written); nothing was lost"));
    CHECK_FALSE(contains(r.err, "read back"));
    DecodeResult from_stdout =
        decode_all({reinterpret_cast<const uint8_t*>(r.out.data()), r.out.size()}, 1 << 12);
    CHECK(from_stdout.issues.empty());
    CHECK(same_messages(original.frames, from_stdout.frames));

    // Cut input, no -o at all: stdout, lossy.
    r = rrd(dir, "recover " + (dir / "cut.rrd").string());
    CHECK_MESSAGE(r.exit_code == 3, r.err);
    CHECK(contains(r.err, "verified in memory as written"));
    from_stdout = decode_all({reinterpret_cast<const uint8_t*>(r.out.data()), r.out.size()}, 999);
    CHECK(from_stdout.issues.empty());
    CHECK(from_stdout.frames.size() == original.frames.size() - 1);  // EndOfStream was cut

    // To a file the output is read back from disk.
    r = rrd(dir, "recover -o " + (dir / "fixed.rrd").string() + " " + (dir / "cut.rrd").string());
    CHECK(r.exit_code == 3);
    CHECK(contains(r.err, "(verified: read back)"));
}

TEST_CASE("print: without -v one line per entity; -v adds components; -vv every chunk") {
    TempDir dir;
    std::vector<Tuid> ids;
    write_bytes(dir / "a.rrd", recording_file("r", "points", 3, 5, &ids));
    const std::string a = (dir / "a.rrd").string();
    const auto plain = rrd(dir, "print " + a);
    const auto v = rrd(dir, "print -v " + a);
    const auto vv = rrd(dir, "print -vv " + a);
    const auto v_v = rrd(dir, "print -v --verbose " + a);
    for (const auto* r : {&plain, &v, &vv, &v_v}) {
        CHECK(r->exit_code == 0);
        CHECK(contains(r->out, "recording r"));
        CHECK(contains(r->out, "/points  15 row(s)"));
        CHECK(contains(r->out, "frame (sequence): #0 .. #14"));
    }
    CHECK_FALSE(contains(plain.out, "positions"));
    CHECK_FALSE(contains(plain.out, "chunks:"));
    CHECK(contains(v.out, "positions"));
    CHECK_FALSE(contains(v.out, "chunks:"));
    CHECK(contains(vv.out, "positions"));
    CHECK(contains(vv.out, "chunks:"));
    CHECK(count_of(vv.out, "    chunk ") == 3);
    for (const auto& id : ids)
        CHECK(contains(vv.out, "chunk " + id.to_string() + "  /points  5 row(s)"));
    CHECK(v_v.out == vv.out);  // -v twice is -vv
    CHECK(vv.out.size() > v.out.size());
    CHECK(v.out.size() > plain.out.size());
}

TEST_CASE("compact --max-bytes bounds the joined chunks by size") {
    TempDir dir;
    write_bytes(dir / "small.rrd", recording_file("r", "scalars", 60, 1));
    const auto before = decode_file(dir / "small.rrd");
    std::map<Tuid, uint64_t> bytes_of_row;  // each input chunk holds one row
    uint64_t total = 0;
    for (const auto& f : before.frames) {
        if (const auto* m = std::get_if<ChunkMessage>(&f.message)) {
            bytes_of_row[m->chunk->row_id_values()[0]] = m->chunk->byte_size();
            total += m->chunk->byte_size();
        }
    }
    REQUIRE(bytes_of_row.size() == 60);
    // About 8 rows per joined chunk; --max-rows far away, so only the byte bound can cut.
    const uint64_t max_bytes = total / 60 * 8 - total / 60 / 2;
    auto r = rrd(dir, "compact --max-rows 100000 --max-bytes " + std::to_string(max_bytes) +
                          " -o " + (dir / "c.rrd").string() + " " + (dir / "small.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto after = decode_file(dir / "c.rrd");
    CHECK(after.issues.empty());
    CHECK(contents_of(after).row_ids == contents_of(before).row_ids);
    // Each joined chunk is the shortest run of inputs that reaches the bound (the last one may
    // fall short): at least max_bytes with its last row, less without it.
    std::vector<const Chunk*> chunks;
    for (const auto& f : after.frames) {
        if (const auto* m = std::get_if<ChunkMessage>(&f.message)) chunks.push_back(m->chunk.get());
    }
    CHECK(chunks.size() > 4);
    CHECK(chunks.size() < 15);
    for (size_t i = 0; i < chunks.size(); ++i) {
        CAPTURE(i);
        const auto rows = chunks[i]->row_id_values();
        uint64_t sum = 0;
        for (const auto& id : rows)
            sum += bytes_of_row.at(id);
        const uint64_t last = bytes_of_row.at(rows.back());
        if (i + 1 < chunks.size()) CHECK(sum >= max_bytes);
        CHECK(sum - last < max_bytes);
    }

    // A unit suffix, the --opt=value form, and a bound bigger than everything: one chunk.
    r = rrd(dir, "compact --max-rows=100000 --max-bytes=1GB -o " + (dir / "one.rrd").string() +
                     " " + (dir / "small.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contents_of(decode_file(dir / "one.rrd")).chunks == 1);

    for (const char* bad : {"0", "lots", "-5", "1XB"}) {
        CAPTURE(bad);
        r = rrd(dir, std::string("compact --max-bytes ") + bad + " -o " + (dir / "x.rrd").string() +
                         " " + (dir / "small.rrd").string());
        CHECK(r.exit_code == 2);
        CHECK(contains(r.err, "--max-bytes needs a size"));
        CHECK_FALSE(fs::exists(dir / "x.rrd"));
    }
}

TEST_CASE("route --application-id alone changes the application id and nothing else") {
    TempDir dir;
    const Bytes file = recording_file("keep_me", "a", 3, 2);
    write_bytes(dir / "a.rrd", file);
    const auto r = rrd(dir, "route --application-id new_app -o " + (dir / "b.rrd").string() + " " +
                                (dir / "a.rrd").string());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.err, "1 frame(s) rewritten, 0 dropped"));
    const auto before = decode_all(file, file.size());
    const Bytes routed = read_bytes(dir / "b.rrd");
    const auto after = decode_all(routed, routed.size());
    CHECK(after.issues.empty());
    REQUIRE(after.frames.size() == before.frames.size());
    for (size_t i = 0; i < after.frames.size(); ++i) {
        const auto& f = after.frames[i];
        if (const auto* info = std::get_if<StoreInfo>(&f.message)) {
            CHECK(info->application_id == "new_app");
            CHECK(info->store.id == "keep_me");
            StoreInfo expected = std::get<StoreInfo>(before.frames[i].message);
            expected.application_id = "new_app";
            CHECK(messages_equal(f.message, expected));
        } else {
            // Everything else is copied byte for byte.
            const auto& g = before.frames[i];
            CHECK(
                Bytes(routed.begin() + long(f.offset), routed.begin() + long(f.offset + f.size)) ==
                Bytes(file.begin() + long(g.offset), file.begin() + long(g.offset + g.size)));
        }
    }
}

TEST_CASE("rerun reset forgets saved blueprints and the window state, and nothing else") {
    TempDir dir;
    const fs::path data = dir / "data", config = dir / "config";
    const fs::path blueprints = data / "rerun" / "blueprints";
    const fs::path ini = config / "rerun" / "viewer.ini";
    fs::create_directories(blueprints);
    fs::create_directories(ini.parent_path());
    auto write_text = [](const fs::path& path, const std::string& text) {
        std::ofstream(path, std::ios::binary) << text;
    };
    write_text(blueprints / "my_app.rbl", "bp1");
    write_text(blueprints / "other_app.rbl", "bp2");
    write_text(ini, "[Window][Main]\nSize=800,600\n");
    const std::map<fs::path, std::string> untouched = {
        {blueprints / "notes.txt", "not a blueprint"},
        {blueprints / "my_app.rbl.bad-1700000000", "set aside"},
        {data / "rerun" / "other.txt", "data"},
        {config / "rerun" / "viewer.ini.bak", "a backup"},
        {config / "rerun" / "other.ini", "other settings"},
        {config / "other.txt", "config"},
    };
    for (const auto& [path, text] : untouched)
        write_text(path, text);

    const std::string env =
        "XDG_DATA_HOME=" + data.string() + " XDG_CONFIG_HOME=" + config.string() + " ";
    auto r = run_shell(dir, env + RERUN_EXE + " reset");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(contains(r.out, "removed 2 saved blueprint(s) from " + blueprints.string()));
    CHECK(contains(r.out, "removed the window state " + ini.string()));
    CHECK_FALSE(fs::exists(blueprints / "my_app.rbl"));
    CHECK_FALSE(fs::exists(blueprints / "other_app.rbl"));
    CHECK_FALSE(fs::exists(ini));
    for (const auto& entry : untouched) {
        const auto& path = entry.first;
        const auto& text = entry.second;
        CAPTURE(path);
        CHECK(read_text(path) == text);
    }

    // Again: nothing left to forget, which is fine.
    r = run_shell(dir, env + RERUN_EXE + " reset");
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "removed 0 saved blueprint(s)"));
    CHECK(contains(r.out, "no saved window state (" + ini.string() + " does not exist)"));
    for (const auto& [path, text] : untouched)
        CHECK(read_text(path) == text);

    // What cannot be removed is said, with a failing exit code.
    fs::create_directories(ini / "in_the_way");
    r = run_shell(dir, env + RERUN_EXE + " reset");
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "cannot remove the window state " + ini.string()));

    r = run_shell(dir, env + RERUN_EXE + " reset --help");
    CHECK(r.exit_code == 0);
    CHECK(contains(r.out, "window state"));
    CHECK(contains(r.out, ini.string()));
    r = run_shell(dir, env + RERUN_EXE + " reset now");
    CHECK(r.exit_code == 2);
    CHECK(contains(r.err, "takes no arguments"));
}
