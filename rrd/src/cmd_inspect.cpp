// print and stats: what is in recording files, for people.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "commands.hpp"

namespace rerun::rrd {

namespace {

struct ComponentSummary {
    std::string archetype, component_type;
    core::ElementType type;
    uint64_t rows = 0, instances = 0, bytes = 0;
};

struct EntitySummary {
    uint64_t rows = 0, static_rows = 0, chunks = 0, bytes = 0;
    std::map<std::string, ComponentSummary> components;
};

struct TimelineSummary {
    core::TimeType type = core::TimeType::Sequence;
    core::TimeInt min = core::kTimeMax, max = core::kTimeMin;
    uint64_t rows = 0;
};

struct StoreSummary {
    std::vector<core::StoreInfo> infos;  // one per producer
    std::map<std::string, TimelineSummary> timelines;
    std::map<std::string, EntitySummary> entities;
    std::vector<std::string> chunk_lines;  // -vv
    uint64_t chunks = 0, rows = 0, static_rows = 0, stored_bytes = 0, raw_bytes = 0, ends = 0;
    std::set<std::string> sources;  // input names
};

struct Collection {
    std::map<core::StoreId, StoreSummary> stores;
    std::map<std::string, uint64_t> frames_by_kind;
    uint64_t issues = 0;
};

std::string chunk_line(const core::Chunk& chunk) {
    std::string line = "chunk " + chunk.id.to_string() + "  " + chunk.entity_path.to_string() +
                       "  " + std::to_string(chunk.num_rows) + " row(s)";
    if (chunk.is_static) line += "  static";
    for (const auto& t : chunk.timelines) {
        const auto [lo, hi] = t.range();
        line += "  " + t.timeline.name + " " + format_time(t.timeline.type, lo) + ".." +
                format_time(t.timeline.type, hi);
    }
    line += "  [";
    for (size_t i = 0; i < chunk.components.size(); ++i) {
        line += (i ? ", " : "") + chunk.components[i].descriptor.component;
    }
    return line + "]";
}

void collect(Collection& all, const std::string& input, core::DecodedFrame&& frame) {
    std::visit(
        [&](auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, core::StoreInfo>) {
                ++all.frames_by_kind["store info"];
                auto& store = all.stores[m.store];
                store.infos.push_back(m);
                store.sources.insert(input);
            } else if constexpr (std::is_same_v<T, core::ChunkMessage>) {
                ++all.frames_by_kind["chunk"];
                auto& store = all.stores[m.store];
                store.sources.insert(input);
                const core::Chunk& chunk = *m.chunk;
                ++store.chunks;
                store.rows += chunk.num_rows;
                store.stored_bytes += frame.stored_payload.size();
                store.raw_bytes += frame.raw_len;
                auto& entity = store.entities[chunk.entity_path.to_string()];
                ++entity.chunks;
                entity.rows += chunk.num_rows;
                entity.bytes += chunk.byte_size();
                if (chunk.is_static) {
                    entity.static_rows += chunk.num_rows;
                    store.static_rows += chunk.num_rows;
                }
                for (const auto& t : chunk.timelines) {
                    auto& summary = store.timelines[t.timeline.name];
                    summary.type = t.timeline.type;
                    const auto [lo, hi] = t.range();
                    summary.min = std::min(summary.min, lo);
                    summary.max = std::max(summary.max, hi);
                    summary.rows += chunk.num_rows;
                }
                for (const auto& c : chunk.components) {
                    auto& comp = entity.components[c.descriptor.component];
                    comp.archetype = c.descriptor.archetype;
                    comp.component_type = c.descriptor.component_type;
                    comp.type = c.type;
                    for (uint64_t r = 0; r < c.num_rows; ++r)
                        comp.rows += c.is_present(r) ? 1 : 0;
                    comp.instances += c.num_instances();
                    comp.bytes += c.byte_size();
                }
                store.chunk_lines.push_back(chunk_line(chunk));
            } else if constexpr (std::is_same_v<T, core::BlueprintActivation>) {
                ++all.frames_by_kind["blueprint activation"];
            } else if constexpr (std::is_same_v<T, core::EndOfStream>) {
                ++all.frames_by_kind["end of stream"];
                ++all.stores[m.store].ends;
            }
        },
        frame.message);
}

std::optional<Collection> collect_inputs(const std::vector<std::string>& inputs) {
    Collection all;
    const auto summaries = read_inputs(
        inputs,
        [&](size_t input, core::DecodedFrame&& frame) {
            collect(all, input_name(inputs, input), std::move(frame));
        },
        [&](size_t input, const core::DecodeIssue& issue) {
            ++all.issues;
            print_issue(input_name(inputs, input), issue);
        });
    for (const auto& s : summaries) {
        if (s.unreadable || s.fatal) return std::nullopt;
    }
    return all;
}

std::string app_ids(const StoreSummary& store) {
    std::set<std::string> ids;
    for (const auto& info : store.infos)
        ids.insert(info.application_id);
    if (ids.empty()) return "(no store info)";
    std::string out;
    for (const auto& id : ids)
        out += (out.empty() ? "\"" : ", \"") + id + "\"";
    return ids.size() > 1 ? out + " (conflicting)" : out;
}

}  // namespace

int cmd_print(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {}, {"-v", "--verbose"});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    const size_t verbosity = parsed.count("-v") + parsed.count("--verbose");
    const auto all = collect_inputs(parsed.inputs);
    if (!all) return kExitFailure;
    for (const auto& [id, store] : all->stores) {
        std::printf("%s %s\n", std::string(core::store_kind_name(id.kind)).c_str(), id.id.c_str());
        std::printf("  application id: %s\n", app_ids(store).c_str());
        for (const auto& info : store.infos) {
            std::printf("  producer: %s %s%s%s, started %s\n", info.source.language.c_str(),
                        info.source.sdk_version.c_str(), info.source.detail.empty() ? "" : ", ",
                        info.source.detail.c_str(),
                        format_time(core::TimeType::Timestamp, info.started_ns).c_str());
        }
        std::string files;
        for (const auto& s : store.sources)
            files += (files.empty() ? "" : ", ") + s;
        std::printf("  files: %s\n", files.c_str());
        std::printf(
            "  %zu entit%s, %llu row(s) (%llu static), %llu chunk(s)%s\n", store.entities.size(),
            store.entities.size() == 1 ? "y" : "ies", static_cast<unsigned long long>(store.rows),
            static_cast<unsigned long long>(store.static_rows),
            static_cast<unsigned long long>(store.chunks), store.ends ? ", ended cleanly" : "");
        std::printf("  timelines:\n");
        for (const auto& [name, t] : store.timelines) {
            std::printf("    %s (%s): %s .. %s, %llu row(s)\n", name.c_str(),
                        std::string(core::time_type_name(t.type)).c_str(),
                        format_time(t.type, t.min).c_str(), format_time(t.type, t.max).c_str(),
                        static_cast<unsigned long long>(t.rows));
        }
        std::printf("  entities:\n");
        for (const auto& [path, entity] : store.entities) {
            std::printf("    %s  %llu row(s)%s\n", path.c_str(),
                        static_cast<unsigned long long>(entity.rows),
                        entity.static_rows ? " (some static)" : "");
            if (verbosity >= 1) {
                for (const auto& [name, c] : entity.components) {
                    std::printf("      %s  %s  %s  %llu row(s), %llu instance(s)\n", name.c_str(),
                                c.component_type.empty() ? "-" : c.component_type.c_str(),
                                c.type.to_string().c_str(), static_cast<unsigned long long>(c.rows),
                                static_cast<unsigned long long>(c.instances));
                }
            }
        }
        if (verbosity >= 2) {
            std::printf("  chunks:\n");
            for (const auto& line : store.chunk_lines)
                std::printf("    %s\n", line.c_str());
        }
    }
    return all->issues == 0 ? kExitOk : kExitFailure;
}

namespace {

// --no-decode: walks frame headers, skipping payloads with lseek where the input allows it.
int stats_headers_only(const std::vector<std::string>& inputs) {
    const std::vector<std::string> paths = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
    int status = kExitOk;
    for (size_t i = 0; i < paths.size(); ++i) {
        const std::string name = input_name(paths, i);
        const bool from_stdin = paths[i] == "-";
        const int fd = from_stdin ? STDIN_FILENO : ::open(paths[i].c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            std::fprintf(stderr, "rerun rrd: cannot open %s: %s\n", name.c_str(),
                         std::strerror(errno));
            status = kExitFailure;
            continue;
        }
        auto read_exact = [&](uint8_t* out, size_t n) {
            size_t got = 0;
            while (got < n) {
                const ssize_t r = ::read(fd, out + got, n - got);
                if (r < 0 && errno == EINTR) continue;
                if (r <= 0) break;
                got += size_t(r);
            }
            return got;
        };
        auto skip = [&](uint64_t n) {
            if (::lseek(fd, off_t(n), SEEK_CUR) >= 0) return true;
            std::vector<uint8_t> sink(1 << 16);
            while (n > 0) {
                const size_t got =
                    read_exact(sink.data(), size_t(std::min<uint64_t>(n, sink.size())));
                if (got == 0) return false;
                n -= got;
            }
            return true;
        };
        std::array<uint8_t, core::wire::kFrameHeaderSize> header{};
        uint64_t offset = read_exact(header.data(), core::wire::kFileHeaderSize);
        if (offset != core::wire::kFileHeaderSize ||
            std::memcmp(header.data(), core::wire::kFileMagic.data(),
                        core::wire::kFileMagic.size()) != 0) {
            std::fprintf(stderr,
                         "rerun rrd: %s: not an .rrd file of this viewer (use stats without "
                         "--no-decode for details)\n",
                         name.c_str());
            status = kExitFailure;
            if (!from_stdin) ::close(fd);
            continue;
        }
        std::map<int, std::pair<uint64_t, uint64_t>> by_kind;  // frames, stored bytes
        uint64_t stored = 0, raw = 0, frames = 0;
        while (true) {
            const size_t got = read_exact(header.data(), header.size());
            if (got == 0) break;
            auto parsed = got == header.size() ? core::parse_frame_header(header) : std::nullopt;
            if (!parsed) {
                std::fprintf(stderr,
                             "rerun rrd: %s: offset %llu: no valid frame header (damaged or "
                             "truncated; run `rerun rrd verify`)\n",
                             name.c_str(), static_cast<unsigned long long>(offset));
                status = kExitFailure;
                break;
            }
            if (!skip(parsed->stored_len)) {
                std::fprintf(stderr,
                             "rerun rrd: %s: offset %llu: the file ends inside this frame\n",
                             name.c_str(), static_cast<unsigned long long>(offset));
                status = kExitFailure;
                break;
            }
            ++frames;
            by_kind[parsed->kind].first += 1;
            by_kind[parsed->kind].second += parsed->stored_len;
            stored += parsed->stored_len;
            raw += parsed->raw_len;
            offset += header.size() + parsed->stored_len;
        }
        if (!from_stdin) ::close(fd);
        static const char* kKindNames[] = {"?", "store info", "chunk", "blueprint activation",
                                           "end of stream"};
        std::printf("%s: %s, %llu frame(s)\n", name.c_str(), format_bytes(offset).c_str(),
                    static_cast<unsigned long long>(frames));
        for (const auto& [kind, count] : by_kind) {
            std::printf("  %-22s %10llu frame(s) %12s\n",
                        kind >= 1 && kind <= 4 ? kKindNames[kind] : "unknown kind",
                        static_cast<unsigned long long>(count.first),
                        format_bytes(count.second).c_str());
        }
        std::printf("  payload: %s stored, %s decompressed, compression ratio %.2f\n",
                    format_bytes(stored).c_str(), format_bytes(raw).c_str(),
                    stored ? double(raw) / double(stored) : 1.0);
    }
    return status;
}

}  // namespace

int cmd_stats(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {}, {"--no-decode"});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    if (parsed.count("--no-decode")) return stats_headers_only(parsed.inputs);
    const auto all = collect_inputs(parsed.inputs);
    if (!all) return kExitFailure;
    std::printf("frames:\n");
    for (const auto& [kind, count] : all->frames_by_kind) {
        std::printf("  %-22s %10llu\n", kind.c_str(), static_cast<unsigned long long>(count));
    }
    for (const auto& [id, store] : all->stores) {
        std::printf(
            "%s %s: %llu chunk(s), %llu row(s), payload %s stored, %s decompressed, compression "
            "ratio %.2f\n",
            std::string(core::store_kind_name(id.kind)).c_str(), id.id.c_str(),
            static_cast<unsigned long long>(store.chunks),
            static_cast<unsigned long long>(store.rows), format_bytes(store.stored_bytes).c_str(),
            format_bytes(store.raw_bytes).c_str(),
            store.stored_bytes ? double(store.raw_bytes) / double(store.stored_bytes) : 1.0);
        for (const auto& [path, entity] : store.entities) {
            std::printf("  %-40s %8llu row(s) %6llu chunk(s) %12s\n", path.c_str(),
                        static_cast<unsigned long long>(entity.rows),
                        static_cast<unsigned long long>(entity.chunks),
                        format_bytes(entity.bytes).c_str());
            for (const auto& [name, c] : entity.components) {
                std::printf("    %-38s %8llu row(s) %10llu inst. %12s  %s\n", name.c_str(),
                            static_cast<unsigned long long>(c.rows),
                            static_cast<unsigned long long>(c.instances),
                            format_bytes(c.bytes).c_str(), c.type.to_string().c_str());
            }
        }
    }
    return all->issues == 0 ? kExitOk : kExitFailure;
}

}  // namespace rerun::rrd
