// Entity queries: which entities a view shows. One rule per line, as upstream writes them:
//   + /world/**        include /world and everything below it
//   - /world/noise     exclude exactly /world/noise
//   + $origin/**       $origin stands for the view's origin
// An entity is included when the most specific matching rule includes it: a longer path beats a
// shorter one, an exact rule beats a subtree rule on the same path, and exclusion wins a tie.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rerun/core/entity_path.hpp"

namespace rerun::blueprint {

struct QueryRule {
    bool include = true;
    std::string path;  // as written, may start with $origin
    bool subtree = false;

    bool operator==(const QueryRule&) const = default;
};

class EntityQuery {
  public:
    EntityQuery() = default;
    explicit EntityQuery(std::vector<QueryRule> rules) : rules_(std::move(rules)) {}

    // Parses rules separated by newlines (or ';'). Blank lines are ignored; a line without a
    // leading + or - is an include. Returns nullopt with *error for a bad path.
    static std::optional<EntityQuery> parse(std::string_view text, std::string* error = nullptr);
    // "+ $origin/**": everything under the origin.
    static EntityQuery everything_under_origin();

    std::string to_string() const;  // one rule per line
    const std::vector<QueryRule>& rules() const { return rules_; }
    bool matches(const core::EntityPath& entity, const core::EntityPath& origin) const;
    // The entities that match, in their order: like matches() on each, with every rule resolved
    // against the origin once (matches() resolves them per call).
    std::vector<core::EntityPath> matching(const std::vector<core::EntityPath>& entities,
                                           const core::EntityPath& origin) const;

    bool operator==(const EntityQuery&) const = default;

  private:
    std::vector<QueryRule> rules_;
};

}  // namespace rerun::blueprint
