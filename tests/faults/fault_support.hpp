// Helpers shared by the fault-injection tests: what a .rrd file holds (rows, the `step` of each
// row, decode issues), environment variables set for child processes, memory of a process.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "rerun/core/codec.hpp"

namespace fault_test {

struct Recorded {
    uint64_t rows = 0;
    std::vector<uint64_t> chunk_rows;  // rows of each chunk, in file order
    std::set<int64_t> steps;           // values of the `step` timeline over all rows
    std::vector<rerun::core::DecodeIssue> issues;
    bool only_cut_tail() const {
        for (const auto& issue : issues) {
            if (issue.kind != rerun::core::DecodeIssue::Kind::Truncated) return false;
        }
        return true;
    }
    std::string describe_issues() const {
        std::string out;
        for (const auto& issue : issues)
            out += issue.message + "\n";
        return out;
    }
};

// Every complete frame of the file (a file cut mid-frame yields a Truncated issue).
inline Recorded read_recording(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    const std::string bytes = s.str();
    Recorded out;
    rerun::core::FrameDecoder decoder(rerun::core::FrameDecoder::Framing::File);
    decoder.feed({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    while (auto event = decoder.next()) {
        if (auto* f = std::get_if<rerun::core::DecodedFrame>(&*event)) {
            if (auto* c = std::get_if<rerun::core::ChunkMessage>(&f->message)) {
                out.rows += c->chunk->num_rows;
                out.chunk_rows.push_back(c->chunk->num_rows);
                for (const auto& t : c->chunk->timelines) {
                    if (t.timeline.name != "step") continue;
                    for (auto v : t.values())
                        out.steps.insert(int64_t(v));
                }
            }
        } else {
            out.issues.push_back(std::get<rerun::core::DecodeIssue>(*event));
        }
    }
    if (auto issue = decoder.finish()) out.issues.push_back(*issue);
    return out;
}

// Sets environment variables (inherited by the processes started meanwhile); restores them.
class ScopedEnv {
  public:
    ScopedEnv(std::initializer_list<std::pair<std::string, std::string>> vars) {
        for (const auto& [name, value] : vars) {
            const char* old = ::getenv(name.c_str());
            saved_.emplace(name, old ? std::optional<std::string>(old) : std::nullopt);
            ::setenv(name.c_str(), value.c_str(), 1);
        }
    }
    ~ScopedEnv() {
        for (const auto& [name, value] : saved_) {
            if (value)
                ::setenv(name.c_str(), value->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    std::map<std::string, std::optional<std::string>> saved_;
};

// ASAN_OPTIONS for a child: the current ones plus `extra` (harmless without ASan).
inline std::string asan_options_with(const std::string& extra) {
    const char* old = ::getenv("ASAN_OPTIONS");
    return (old && *old ? std::string(old) + ":" : std::string()) + extra;
}

// The "word number" pairs of a line such as "done logged 10 dropped_frames 2" as a map
// (words not followed by a number are skipped).
inline std::map<std::string, int64_t> fields(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    std::map<std::string, int64_t> out;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        const std::string& v = words[i + 1];
        if (!v.empty() && v.find_first_not_of("-0123456789") == std::string::npos) {
            out[words[i]] = std::stoll(v);
            ++i;
        }
    }
    return out;
}

// Peak resident memory (VmHWM) of a process in bytes; 0 when unknown.
inline uint64_t peak_resident_bytes(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
    }
    return 0;
}

inline uint64_t count_in(const std::set<int64_t>& steps, int64_t from, int64_t to) {
    return uint64_t(std::distance(steps.lower_bound(from), steps.lower_bound(to)));
}

}  // namespace fault_test
