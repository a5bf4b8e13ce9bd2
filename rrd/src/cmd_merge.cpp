// merge and compact: all recordings of all inputs in one output. Chunks of the same store from
// different inputs become one recording, a chunk present twice (same chunk id) is kept once, and
// the output depends only on the inputs and their order. compact also joins runs of small chunks
// of the same entity and schema into larger ones.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "commands.hpp"
#include "rerun/core/byte_size.hpp"
#include "rerun/core/chunk_ops.hpp"

namespace rerun::rrd {

namespace {

struct TuidHash {
    size_t operator()(const core::Tuid& t) const noexcept {
        return size_t(t.time_ns * 0x9E3779B97F4A7C15ull ^ t.inc);
    }
};

// Pending small chunks of one entity and schema, waiting to be joined.
struct PendingRun {
    core::StoreId store;
    std::vector<core::ChunkPtr> chunks;
    uint64_t rows = 0;
    uint64_t bytes = 0;
};

class Merger {
  public:
    Merger(Output& out, bool compact, uint64_t max_rows, uint64_t max_bytes)
        : out_(out), compact_(compact), max_rows_(max_rows), max_bytes_(max_bytes) {}

    void add(size_t input, core::DecodedFrame&& frame) {
        auto& message = frame.message;
        if (auto* info = std::get_if<core::StoreInfo>(&message)) {
            // Every distinct producer's info is kept (print and the viewer list them); exact
            // repeats are dropped. A conflicting application id is reported.
            inputs_of_[info->store].insert(input);
            auto& known = infos_[info->store];
            if (std::find(known.begin(), known.end(), *info) != known.end()) return;
            if (!known.empty() && known.front().application_id != info->application_id) {
                std::fprintf(stderr,
                             "rerun rrd: warning: %s \"%s\" has application id \"%s\" in one input "
                             "and \"%s\" in another\n",
                             std::string(core::store_kind_name(info->store.kind)).c_str(),
                             info->store.id.c_str(), known.front().application_id.c_str(),
                             info->application_id.c_str());
            }
            known.push_back(*info);
            out_.write_frame(frame);
        } else if (auto* chunk = std::get_if<core::ChunkMessage>(&message)) {
            inputs_of_[chunk->store].insert(input);
            if (!seen_chunks_.insert(chunk->chunk->id).second) {
                ++duplicates_;
                return;
            }
            ++chunks_in_;
            if (!compact_ || chunk->chunk->num_rows >= max_rows_ ||
                chunk->chunk->byte_size() >= max_bytes_) {
                ++chunks_out_;
                out_.write_frame(frame);
                return;
            }
            add_to_run(chunk->store, chunk->chunk);
        } else if (auto* activation = std::get_if<core::BlueprintActivation>(&message)) {
            if (activations_
                    .insert(
                        {activation->blueprint, activation->make_active, activation->make_default})
                    .second) {
                out_.write_frame(frame);
            }
        } else if (auto* eos = std::get_if<core::EndOfStream>(&message)) {
            ended_[eos->store].insert(input);
        }
    }

    // Writes the runs still pending, then EndOfStream for every store that all its inputs ended.
    void finish() {
        for (auto& key : run_order_)
            flush_run(runs_[key]);
        for (const auto& [store, inputs] : inputs_of_) {
            const auto it = ended_.find(store);
            if (it != ended_.end() && it->second == inputs)
                out_.write_message(core::EndOfStream{store});
        }
    }

    uint64_t duplicates() const { return duplicates_; }
    uint64_t chunks_in() const { return chunks_in_; }
    uint64_t chunks_out() const { return chunks_out_; }
    size_t stores() const { return inputs_of_.size(); }

  private:
    // Runs are keyed by store and entity; a chunk whose schema differs from its run's flushes it.
    void add_to_run(const core::StoreId& store, const core::ChunkPtr& chunk) {
        const auto key = std::make_pair(
            store, chunk->entity_path.to_string() + (chunk->is_static ? "#static" : ""));
        auto [it, inserted] = runs_.try_emplace(key);
        if (inserted) run_order_.push_back(key);
        PendingRun& run = it->second;
        if (!run.chunks.empty() && !core::same_schema(*run.chunks.front(), *chunk)) flush_run(run);
        run.store = store;
        run.chunks.push_back(chunk);
        run.rows += chunk->num_rows;
        run.bytes += chunk->byte_size();
        if (run.rows >= max_rows_ || run.bytes >= max_bytes_) flush_run(run);
    }

    void flush_run(PendingRun& run) {
        if (run.chunks.empty()) return;
        ++chunks_out_;
        if (run.chunks.size() == 1) {
            out_.write_message(core::ChunkMessage{run.store, run.chunks.front()});
        } else {
            auto joined = std::make_shared<core::Chunk>(core::concat_chunks(run.chunks));
            out_.write_message(core::ChunkMessage{run.store, std::move(joined)}, {true});
        }
        run.chunks.clear();
        run.rows = run.bytes = 0;
    }

    Output& out_;
    bool compact_;
    uint64_t max_rows_, max_bytes_;
    std::map<core::StoreId, std::vector<core::StoreInfo>> infos_;
    std::map<core::StoreId, std::set<size_t>> inputs_of_, ended_;
    std::set<std::tuple<core::StoreId, bool, bool>> activations_;
    std::unordered_set<core::Tuid, TuidHash> seen_chunks_;
    std::map<std::pair<core::StoreId, std::string>, PendingRun> runs_;
    std::vector<std::pair<core::StoreId, std::string>> run_order_;
    uint64_t duplicates_ = 0, chunks_in_ = 0, chunks_out_ = 0;
};

std::optional<uint64_t> parse_count(const std::string& text) {
    try {
        size_t used = 0;
        const unsigned long long value = std::stoull(text, &used);
        if (used == text.size() && value > 0) return value;
    } catch (...) {
    }
    return std::nullopt;
}

uint64_t env_or(const char* name, uint64_t fallback) {
    const char* value = std::getenv(name);
    if (!value) return fallback;
    if (auto parsed = parse_count(value)) return *parsed;
    std::fprintf(stderr, "rerun rrd: warning: ignoring %s=%s (not a positive integer)\n", name,
                 value);
    return fallback;
}

}  // namespace

int cmd_merge(const std::vector<std::string>& args, bool compact) {
    std::set<std::string> with_value = {"-o", "--output"};
    if (compact) with_value.insert({"--max-rows", "--max-bytes"});
    const auto parsed = parse_args(args, 1, with_value, {"--continue-on-error"});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    // Upstream's defaults and environment variables for chunk thresholds.
    uint64_t max_rows = env_or("RERUN_CHUNK_MAX_ROWS", 4096);
    uint64_t max_bytes = env_or("RERUN_CHUNK_MAX_BYTES", 384 * 1024);
    if (auto v = parsed.value("--max-rows")) {
        auto n = parse_count(*v);
        if (!n)
            return usage_error(args[0], "--max-rows needs a positive integer, got \"" + *v + "\"");
        max_rows = *n;
    }
    if (auto v = parsed.value("--max-bytes")) {
        auto n = core::parse_byte_size(*v);
        if (!n || *n == 0)
            return usage_error(
                args[0], "--max-bytes needs a size such as 1048576 or 1MB, got \"" + *v + "\"");
        max_bytes = *n;
    }
    auto out = open_output(parsed);
    if (!out) return kExitFailure;
    Merger merger(*out, compact, max_rows, max_bytes);
    bool failed = false;
    const auto summaries = read_inputs(
        parsed.inputs,
        [&](size_t input, core::DecodedFrame&& frame) { merger.add(input, std::move(frame)); },
        [&](size_t input, const core::DecodeIssue& issue) {
            print_issue(input_name(parsed.inputs, input), issue);
            failed = true;
        });
    for (const auto& s : summaries)
        failed |= s.unreadable;
    merger.finish();
    if (failed && !parsed.count("--continue-on-error")) {
        std::fprintf(stderr,
                     "rerun rrd %s: inputs are damaged or unreadable; nothing written (use "
                     "`rerun rrd recover` first)\n",
                     args[0].c_str());
        return kExitFailure;
    }
    if (!out->commit()) {
        std::fprintf(stderr, "rerun rrd %s: %s\n", args[0].c_str(), out->error().c_str());
        return kExitFailure;
    }
    std::fprintf(stderr,
                 "rerun rrd %s: %zu input(s), %zu store(s), %llu chunk(s) in, %llu out, %llu "
                 "duplicate(s) dropped, %llu bytes written to %s\n",
                 args[0].c_str(), summaries.size(), merger.stores(),
                 static_cast<unsigned long long>(merger.chunks_in()),
                 static_cast<unsigned long long>(merger.chunks_out()),
                 static_cast<unsigned long long>(merger.duplicates()),
                 static_cast<unsigned long long>(out->bytes_written()), out->path().c_str());
    return kExitOk;
}

}  // namespace rerun::rrd
