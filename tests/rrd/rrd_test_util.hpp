// Helpers of the rrd tests: temporary folders, running `rerun rrd ...` as a real process, and
// sample recordings.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sample_data.hpp"

namespace rrd_test {

using namespace rerun::core;
using namespace rerun::core::testing;
namespace fs = std::filesystem;

struct RunResult {
    int exit_code = -1;
    std::string out, err;
};

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline Bytes read_bytes(const fs::path& path) {
    const std::string text = read_text(path);
    return Bytes(text.begin(), text.end());
}

inline void write_bytes(const fs::path& path, std::span<const uint8_t> bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

class TempDir {
  public:
    TempDir() {
        char pattern[] = "/tmp/rrd_test_XXXXXX";
        path_ = mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path operator/(const std::string& name) const { return path_ / name; }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// Runs a shell command line with stdout and stderr captured in files of `dir`.
inline RunResult run_shell(const TempDir& dir, const std::string& command_line) {
    const auto out = dir / "stdout.txt";
    const auto err = dir / "stderr.txt";
    const std::string command =
        "{ " + command_line + " ; } > " + out.string() + " 2> " + err.string();
    const int status = std::system(command.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

// Runs the rrd tool with the given arguments (shell words, already quoted where needed), stdin
// redirected from `stdin_file` when given (a regular file: seekable).
inline RunResult rrd(const TempDir& dir, const std::string& arguments,
                     const std::string& stdin_file = "") {
    std::string command = std::string(RRD_CLI) + " " + arguments;
    if (!stdin_file.empty()) command += " < " + stdin_file;
    return run_shell(dir, command);
}

// The same with stdin a pipe (not seekable, read once) fed by cat.
inline RunResult rrd_piped(const TempDir& dir, const std::string& arguments,
                           const std::string& stdin_file) {
    return run_shell(dir, "cat " + stdin_file + " | " + std::string(RRD_CLI) + " " + arguments);
}

// A file with one recording: StoreInfo, then `chunks` chunks of `rows` rows at `entity`.
inline Bytes recording_file(const std::string& recording_id, const std::string& entity, int chunks,
                            int rows, std::vector<Tuid>* chunk_ids = nullptr) {
    const StoreId store{StoreKind::Recording, recording_id};
    Bytes out;
    append_file_header(out);
    append_frame(out, StoreInfo{store, "my_app", 1, {"cpp", "0.1.0", entity}});
    for (int c = 0; c < chunks; ++c) {
        auto chunk = sample_chunk(entity, uint64_t(rows), c * rows);
        if (chunk_ids) chunk_ids->push_back(chunk->id);
        append_frame(out, ChunkMessage{store, chunk});
    }
    append_frame(out, EndOfStream{store});
    return out;
}

inline DecodeResult decode_file(const fs::path& path) {
    const Bytes bytes = read_bytes(path);
    return decode_all(bytes, 1 << 16);
}

// Rows per (store id, entity) in a decoded file, and every row id seen.
struct Contents {
    std::map<std::pair<std::string, std::string>, uint64_t> rows;
    std::multiset<Tuid> row_ids;
    size_t chunks = 0;
};

inline Contents contents_of(const DecodeResult& decoded) {
    Contents c;
    for (const auto& f : decoded.frames) {
        if (const auto* m = std::get_if<ChunkMessage>(&f.message)) {
            ++c.chunks;
            c.rows[{m->store.id, m->chunk->entity_path.to_string()}] += m->chunk->num_rows;
            for (const auto& id : m->chunk->row_id_values())
                c.row_ids.insert(id);
        }
    }
    return c;
}

// Every frame of `expected` has an equal frame in `actual`, in the same order.
inline bool same_messages(const std::vector<DecodedFrame>& expected,
                          const std::vector<DecodedFrame>& actual) {
    if (expected.size() != actual.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
        if (!messages_equal(expected[i].message, actual[i].message)) return false;
    }
    return true;
}

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace rrd_test
