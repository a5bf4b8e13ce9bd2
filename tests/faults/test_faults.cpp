// Fault injection with real processes and files: a logger killed while it writes, a logger
// whose file cannot grow (as on a full disk), and a file read while it is being appended to.
// What was flushed must read back.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "rerun/core/codec.hpp"
#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/store_hub.hpp"

using namespace rerun::core;
namespace fs = std::filesystem;

namespace {

struct Decoded {
    uint64_t rows = 0;
    std::vector<DecodeIssue> issues;
};

Decoded decode_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    Decoded out;
    FrameDecoder decoder(FrameDecoder::Framing::File);
    decoder.feed({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    while (auto event = decoder.next()) {
        if (auto* f = std::get_if<DecodedFrame>(&*event)) {
            if (auto* c = std::get_if<ChunkMessage>(&f->message)) out.rows += c->chunk->num_rows;
        } else {
            out.issues.push_back(std::get<DecodeIssue>(*event));
        }
    }
    if (auto issue = decoder.finish()) out.issues.push_back(*issue);
    return out;
}

fs::path temp_dir() {
    char pattern[] = "/tmp/rerun_faults_XXXXXX";
    return mkdtemp(pattern);
}

}  // namespace

TEST_CASE("a logger killed with SIGKILL while saving: the file reads back to its last flush") {
    const fs::path dir = temp_dir();
    const fs::path file = dir / "killed.rrd";
    int out_pipe[2];
    REQUIRE(::pipe(out_pipe) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::close(out_pipe[0]);
        ::execl(FAULT_LOGGER, FAULT_LOGGER, "kill", file.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    // Read flush reports until at least 20 flushes happened, then kill without warning.
    FILE* reports = ::fdopen(out_pipe[0], "r");
    long flushed = 0;
    char line[64];
    while (flushed < 2000 && std::fgets(line, sizeof line, reports))
        flushed = std::atol(line);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // Reports written before the kill may still be in the pipe: the last one is the floor.
    while (std::fgets(line, sizeof line, reports))
        flushed = std::max(flushed, std::atol(line));
    std::fclose(reports);
    REQUIRE(flushed >= 2000);

    const Decoded d = decode_file(file);
    CHECK(d.rows >= uint64_t(flushed));  // everything flushed is there
    for (const auto& issue : d.issues) {
        CHECK_MESSAGE(issue.kind == DecodeIssue::Kind::Truncated,
                      issue.message);  // only a cut tail
    }
    fs::remove_all(dir);
}

TEST_CASE("a logger whose file cannot grow reports it; what was written stays readable") {
    const fs::path dir = temp_dir();
    const fs::path file = dir / "full.rrd";
    const fs::path err = dir / "stderr.txt";
    const std::string command =
        std::string(FAULT_LOGGER) + " fsize " + file.string() + " > /dev/null 2> " + err.string();
    const int status = std::system(command.c_str());
    CHECK(WIFEXITED(status));  // no crash
    std::ifstream in(err);
    std::stringstream s;
    s << in.rdbuf();
    const std::string messages = s.str();
    CAPTURE(messages);
    CHECK(messages.find(file.string()) != std::string::npos);  // the error names the file
    CHECK(fs::file_size(file) <= 64 * 1024);
    const Decoded d = decode_file(file);
    CHECK(d.rows > 0);
    for (const auto& issue : d.issues) {
        CHECK_MESSAGE(issue.kind == DecodeIssue::Kind::Truncated, issue.message);
    }
    fs::remove_all(dir);
}

namespace {

uint64_t recording_rows(const rerun::ingest::StoreHub& hub) {
    const auto store = hub.find({StoreKind::Recording, "fault_recording"});
    return store ? store->stats().rows : 0;
}

}  // namespace

TEST_CASE("a file appended to while it is open: read to its end, or followed as it grows") {
    const fs::path dir = temp_dir();
    const fs::path file = dir / "growing.rrd";
    int out_pipe[2], in_pipe[2];
    REQUIRE(::pipe(out_pipe) == 0);
    REQUIRE(::pipe(in_pipe) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(in_pipe[0], STDIN_FILENO);
        ::close(out_pipe[0]);
        ::close(in_pipe[1]);
        ::execl(FAULT_LOGGER, FAULT_LOGGER, "append", file.c_str(), nullptr);
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(in_pipe[0]);
    // The writer reports each flush; at 10000 rows it waits for us.
    FILE* reports = ::fdopen(out_pipe[0], "r");
    char line[64];
    long flushed = 0;
    while (flushed < 10000 && std::fgets(line, sizeof line, reports))
        flushed = std::atol(line);
    REQUIRE(flushed == 10000);

    // A plain read of the half-written file: the rows flushed so far, nothing worse than a cut
    // tail.
    rerun::ingest::StoreHub plain_hub;
    const auto plain = rerun::ingest::load_file(plain_hub, file.string());
    CHECK_FALSE(plain.failed);
    CHECK(recording_rows(plain_hub) >= 10000);
    CHECK(recording_rows(plain_hub) < 20000);

    // Followed: every row, read as the writer appends them.
    rerun::ingest::StoreHub followed_hub;
    rerun::ingest::FileLoaderOptions options;
    options.follow = true;
    options.follow_poll = std::chrono::milliseconds(10);
    rerun::ingest::FileLoader loader(followed_hub, options);
    REQUIRE(loader.open(file.string()));
    // The second half is written while the loader follows the file.
    REQUIRE(::write(in_pipe[1], "go\n", 3) == 3);
    ::close(in_pipe[1]);
    while (std::fgets(line, sizeof line, reports))
        flushed = std::atol(line);
    std::fclose(reports);
    CHECK(flushed == 20000);

    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
    const uint64_t final_size = fs::file_size(file);
    // The writer is done: wait (bounded, as a guard, not a timing check) until the follower
    // has read the whole file.
    for (int i = 0; i < 6000; ++i) {
        const auto progress = loader.progress();
        REQUIRE(progress.size() == 1);
        CHECK_FALSE(progress[0].failed);
        if (progress[0].bytes_read == final_size || progress[0].done) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(loader.progress()[0].bytes_read == final_size);
    CHECK_FALSE(loader.idle());  // still following: a followed file has no end
    loader.cancel();
    loader.wait_idle();
    CHECK(recording_rows(followed_hub) == 20000);
    CHECK(loader.progress()[0].issues == 0);
    fs::remove_all(dir);
}
