// route and filter: rewrite ids, drop entities and timelines. Frames that do not change are passed
// on byte for byte; changed ones are re-encoded (compressed again if they were).
#include <cstdio>

#include "commands.hpp"

namespace rerun::rrd {

namespace {

// Runs the inputs through `rewrite`, which returns the message to write (nullopt to drop it)
// and sets *changed when it differs from the input.
template <class Rewrite>
int rewrite_inputs(const std::vector<std::string>& args, const ParsedArgs& parsed,
                   Rewrite&& rewrite) {
    auto out = open_output(parsed);
    if (!out) return kExitFailure;
    bool failed = false;
    uint64_t dropped = 0, changed_frames = 0;
    const auto summaries = read_inputs(
        parsed.inputs,
        [&](size_t, core::DecodedFrame&& frame) {
            bool changed = false;
            auto message = rewrite(frame.message, &changed);
            if (!message) {
                ++dropped;
            } else if (!changed) {
                out->write_frame(frame);
            } else {
                ++changed_frames;
                out->write_message(*message, {(frame.flags & core::wire::kFrameFlagLz4) != 0});
            }
        },
        [&](size_t input, const core::DecodeIssue& issue) {
            print_issue(input_name(parsed.inputs, input), issue);
            failed = true;
        });
    for (const auto& s : summaries)
        failed |= s.unreadable;
    if (failed && !parsed.count("--continue-on-error")) {
        std::fprintf(stderr, "rerun rrd %s: inputs are damaged or unreadable; nothing written\n",
                     args[0].c_str());
        return kExitFailure;
    }
    if (!out->commit()) {
        std::fprintf(stderr, "rerun rrd %s: %s\n", args[0].c_str(), out->error().c_str());
        return kExitFailure;
    }
    std::fprintf(stderr, "rerun rrd %s: %llu frame(s) rewritten, %llu dropped\n", args[0].c_str(),
                 static_cast<unsigned long long>(changed_frames),
                 static_cast<unsigned long long>(dropped));
    return kExitOk;
}

}  // namespace

int cmd_route(const std::vector<std::string>& args) {
    const auto parsed = parse_args(
        args, 1, {"-o", "--output", "--recording-id", "--application-id"}, {"--continue-on-error"});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    const auto recording_id = parsed.value("--recording-id");
    const auto application_id = parsed.value("--application-id");
    if (!recording_id && !application_id) {
        return usage_error(args[0], "give --recording-id ID and/or --application-id ID");
    }
    if ((recording_id && recording_id->empty()) || (application_id && application_id->empty())) {
        return usage_error(args[0], "ids cannot be empty");
    }
    auto route_store = [&](core::StoreId& store, bool* changed) {
        if (recording_id && store.kind == core::StoreKind::Recording && store.id != *recording_id) {
            store.id = *recording_id;
            *changed = true;
        }
    };
    return rewrite_inputs(
        args, parsed, [&](const core::Message& in, bool* changed) -> std::optional<core::Message> {
            core::Message message = in;
            std::visit(
                [&](auto& m) {
                    using T = std::decay_t<decltype(m)>;
                    if constexpr (std::is_same_v<T, core::StoreInfo>) {
                        route_store(m.store, changed);
                        if (application_id && m.store.kind == core::StoreKind::Recording &&
                            m.application_id != *application_id) {
                            m.application_id = *application_id;
                            *changed = true;
                        }
                    } else if constexpr (std::is_same_v<T, core::ChunkMessage> ||
                                         std::is_same_v<T, core::EndOfStream>) {
                        route_store(m.store, changed);
                    }
                },
                message);
            return message;
        });
}

int cmd_filter(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {"-o", "--output", "--drop-entity", "--drop-timeline"},
                                   {"--continue-on-error"});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    struct EntityRule {
        core::EntityPath path;
        bool subtree;
    };
    std::vector<EntityRule> drop_entities;
    for (std::string text : parsed.all("--drop-entity")) {
        const bool subtree = text.size() >= 3 && text.ends_with("/**");
        if (subtree) text.resize(text.size() - 3);
        std::string error;
        auto path = core::EntityPath::parse(text, &error);
        if (!path) return usage_error(args[0], "--drop-entity: " + error);
        drop_entities.push_back({*path, subtree});
    }
    const auto& drop_timelines = parsed.all("--drop-timeline");
    if (drop_entities.empty() && drop_timelines.empty()) {
        return usage_error(args[0], "give --drop-entity PATH and/or --drop-timeline NAME");
    }
    uint64_t emptied = 0;
    const int status = rewrite_inputs(
        args, parsed, [&](const core::Message& in, bool* changed) -> std::optional<core::Message> {
            const auto* chunk_message = std::get_if<core::ChunkMessage>(&in);
            if (!chunk_message) return in;
            const core::Chunk& chunk = *chunk_message->chunk;
            for (const auto& rule : drop_entities) {
                if (rule.subtree ? chunk.entity_path.starts_with(rule.path)
                                 : chunk.entity_path == rule.path) {
                    return std::nullopt;
                }
            }
            auto filtered = std::make_shared<core::Chunk>(chunk);
            std::erase_if(filtered->timelines, [&](const core::TimeColumn& t) {
                return std::find(drop_timelines.begin(), drop_timelines.end(), t.timeline.name) !=
                       drop_timelines.end();
            });
            if (filtered->timelines.size() == chunk.timelines.size()) return in;
            if (filtered->timelines.empty()) {
                ++emptied;  // temporal data with no timeline left has no place in time
                return std::nullopt;
            }
            *changed = true;
            return core::ChunkMessage{chunk_message->store, std::move(filtered)};
        });
    if (emptied) {
        std::fprintf(stderr,
                     "rerun rrd filter: %llu chunk(s) had no timeline left and were dropped\n",
                     static_cast<unsigned long long>(emptied));
    }
    return status;
}

}  // namespace rerun::rrd
