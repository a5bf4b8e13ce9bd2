// Entity paths: `world/robot/arm` and `/world/robot/arm` name the same entity.
//
// Text form: parts separated by '/'. Inside a part, a backslash escapes the next character, and
// `\xHH` stands for the byte 0xHH, so any byte sequence can be a part. to_string() writes the
// canonical form: a leading '/', characters other than [A-Za-z0-9_.-] and bytes >= 0x80 (UTF-8)
// escaped with a backslash, control characters as \xHH. parse(to_string(p)) == p for every path.
//
// Each path carries a 64-bit hash of its canonical form, so hot paths compare integers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rerun::core {

using EntityPathHash = uint64_t;

class EntityPath {
  public:
    // The root path "/".
    EntityPath();
    // Parts are taken as they are (unescaped); empty parts are not allowed and are dropped.
    explicit EntityPath(std::vector<std::string> parts);

    // The most parts a strict parse accepts. Paths arrive from files and the network (each
    // decoded chunk's path is parsed strictly): a 100 KB path of 50000 parts costs 16x its size
    // in memory and makes every walk over its ancestors quadratic.
    static constexpr size_t kMaxParts = 1024;
    // Strict parse: returns nullopt and sets *error for an empty part ("a//b"), a dangling
    // backslash, a bad \x escape or more than kMaxParts parts. One leading and one trailing '/'
    // are allowed.
    static std::optional<EntityPath> parse(std::string_view text, std::string* error = nullptr);
    // Lenient parse, for user input at the SDK: drops empty parts, keeps a dangling backslash
    // literally. Never fails.
    static EntityPath parse_lenient(std::string_view text);

    const std::vector<std::string>& parts() const { return parts_; }
    bool is_root() const { return parts_.empty(); }
    EntityPathHash hash() const { return hash_; }
    std::string to_string() const;

    // The parent of the root is the root.
    EntityPath parent() const;
    EntityPath join(std::string_view part) const;
    // True when this == ancestor or this lies below it.
    bool starts_with(const EntityPath& ancestor) const;
    bool is_child_of(const EntityPath& parent) const;

    bool operator==(const EntityPath& other) const {
        return hash_ == other.hash_ && parts_ == other.parts_;
    }
    bool operator<(const EntityPath& other) const { return parts_ < other.parts_; }

    // Escaping of one part, as used by to_string().
    static std::string escape_part(std::string_view part);

  private:
    void rehash();

    std::vector<std::string> parts_;
    EntityPathHash hash_ = 0;
};

}  // namespace rerun::core

template <>
struct std::hash<rerun::core::EntityPath> {
    size_t operator()(const rerun::core::EntityPath& p) const noexcept { return p.hash(); }
};
