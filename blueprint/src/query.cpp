#include "rerun/blueprint/query.hpp"

namespace rerun::blueprint {

namespace {

constexpr std::string_view kOrigin = "$origin";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// The rule's path with $origin substituted.
core::EntityPath resolve(const QueryRule& rule, const core::EntityPath& origin) {
    std::string_view path = rule.path;
    if (path.substr(0, kOrigin.size()) == kOrigin) {
        path.remove_prefix(kOrigin.size());
        auto rest = core::EntityPath::parse_lenient(path);
        std::vector<std::string> parts = origin.parts();
        parts.insert(parts.end(), rest.parts().begin(), rest.parts().end());
        return core::EntityPath(std::move(parts));
    }
    return core::EntityPath::parse_lenient(path);
}

}  // namespace

std::optional<EntityQuery> EntityQuery::parse(std::string_view text, std::string* error) {
    std::vector<QueryRule> rules;
    while (!text.empty()) {
        const size_t end = text.find_first_of("\n;");
        std::string_view line = trim(text.substr(0, end));
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty()) continue;
        QueryRule rule;
        if (line.front() == '+' || line.front() == '-') {
            rule.include = line.front() == '+';
            line = trim(line.substr(1));
        }
        if (line.size() >= 2 && line.substr(line.size() - 2) == "**") {
            rule.subtree = true;
            line.remove_suffix(2);
            if (!line.empty() && line.back() == '/') line.remove_suffix(1);
        }
        std::string_view check = line;
        if (check.substr(0, kOrigin.size()) == kOrigin) check.remove_prefix(kOrigin.size());
        std::string path_error;
        if (!core::EntityPath::parse(check, &path_error)) {
            if (error) *error = "bad query rule \"" + std::string(line) + "\": " + path_error;
            return std::nullopt;
        }
        rule.path = line.empty() ? "/" : std::string(line);
        rules.push_back(std::move(rule));
    }
    return EntityQuery(std::move(rules));
}

EntityQuery EntityQuery::everything_under_origin() {
    return EntityQuery({QueryRule{true, std::string(kOrigin), true}});
}

std::string EntityQuery::to_string() const {
    std::string out;
    for (const auto& rule : rules_) {
        if (!out.empty()) out += '\n';
        out += rule.include ? "+ " : "- ";
        out += rule.path;
        if (rule.subtree) out += (rule.path.empty() || rule.path.back() != '/') ? "/**" : "**";
    }
    return out;
}

namespace {

struct ResolvedRule {
    core::EntityPath path;
    bool include = true;
    bool subtree = false;
};

std::vector<ResolvedRule> resolve_all(const std::vector<QueryRule>& rules,
                                      const core::EntityPath& origin) {
    std::vector<ResolvedRule> out;
    out.reserve(rules.size());
    for (const auto& rule : rules)
        out.push_back({resolve(rule, origin), rule.include, rule.subtree});
    return out;
}

bool matches_resolved(const std::vector<ResolvedRule>& rules, const core::EntityPath& entity) {
    // Specificity: (depth, exact) compared lexicographically; exclusion wins a tie.
    bool found = false, included = false;
    std::pair<size_t, int> best{0, 0};
    for (const auto& rule : rules) {
        const bool hit = rule.subtree ? entity.starts_with(rule.path) : entity == rule.path;
        if (!hit) continue;
        const std::pair<size_t, int> specificity{rule.path.parts().size(), rule.subtree ? 0 : 1};
        if (!found || specificity > best || (specificity == best && !rule.include)) {
            found = true;
            best = specificity;
            included = rule.include;
        }
    }
    return found && included;
}

}  // namespace

bool EntityQuery::matches(const core::EntityPath& entity, const core::EntityPath& origin) const {
    return matches_resolved(resolve_all(rules_, origin), entity);
}

std::vector<core::EntityPath> EntityQuery::matching(const std::vector<core::EntityPath>& entities,
                                                    const core::EntityPath& origin) const {
    const auto rules = resolve_all(rules_, origin);
    std::vector<core::EntityPath> out;
    for (const auto& entity : entities) {
        if (matches_resolved(rules, entity)) out.push_back(entity);
    }
    return out;
}

}  // namespace rerun::blueprint
