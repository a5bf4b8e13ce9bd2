#include "rerun/core/entity_path.hpp"

#define XXH_STATIC_LINKING_ONLY  // XXH3_state_t on the stack
#include <xxhash.h>

namespace rerun::core {

namespace {

bool is_plain_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.' || c >= 0x80;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Splits and unescapes. strict: errors on empty parts and bad escapes; lenient: drops empty
// parts and keeps bad escapes literally.
std::optional<std::vector<std::string>> split_path(std::string_view text, bool strict,
                                                   std::string* error) {
    std::vector<std::string> parts;
    std::string current;
    bool part_has_content = false;  // an escaped char counts, so "\ " is a part
    auto fail = [&](std::string message) -> std::optional<std::vector<std::string>> {
        if (error) *error = std::move(message);
        return std::nullopt;
    };
    size_t begin = 0;
    size_t end = text.size();
    if (begin < end && text[begin] == '/') ++begin;
    if (end > begin && text[end - 1] == '/' && !(end >= 2 && text[end - 2] == '\\')) --end;
    if (begin == end) return parts;
    for (size_t i = begin; i <= end; ++i) {
        if (i == end || text[i] == '/') {
            if (!part_has_content) {
                if (strict) return fail("empty part in entity path \"" + std::string(text) + "\"");
            } else {
                if (strict && parts.size() == EntityPath::kMaxParts)
                    return fail("entity path has more than " +
                                std::to_string(EntityPath::kMaxParts) + " parts");
                parts.push_back(std::move(current));
            }
            current.clear();
            part_has_content = false;
            continue;
        }
        const char c = text[i];
        if (c != '\\') {
            current.push_back(c);
            part_has_content = true;
            continue;
        }
        if (i + 1 >= end) {
            if (strict)
                return fail("dangling backslash in entity path \"" + std::string(text) + "\"");
            current.push_back('\\');
            part_has_content = true;
            continue;
        }
        const char next = text[i + 1];
        if (next == 'x') {
            const int hi = i + 2 < end ? hex_value(text[i + 2]) : -1;
            const int lo = i + 3 < end ? hex_value(text[i + 3]) : -1;
            if (hi < 0 || lo < 0) {
                if (strict)
                    return fail("bad \\x escape in entity path \"" + std::string(text) + "\"");
                current.push_back('x');
                part_has_content = true;
                ++i;
                continue;
            }
            current.push_back(char(hi * 16 + lo));
            part_has_content = true;
            i += 3;
            continue;
        }
        current.push_back(next);
        part_has_content = true;
        ++i;
    }
    return parts;
}

}  // namespace

EntityPath::EntityPath() {
    rehash();
}

EntityPath::EntityPath(std::vector<std::string> parts) : parts_(std::move(parts)) {
    std::erase_if(parts_, [](const std::string& p) { return p.empty(); });
    rehash();
}

std::optional<EntityPath> EntityPath::parse(std::string_view text, std::string* error) {
    auto parts = split_path(text, true, error);
    if (!parts) return std::nullopt;
    return EntityPath(std::move(*parts));
}

EntityPath EntityPath::parse_lenient(std::string_view text) {
    return EntityPath(*split_path(text, false, nullptr));
}

std::string EntityPath::escape_part(std::string_view part) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(part.size());
    for (const char ch : part) {
        const auto c = static_cast<unsigned char>(ch);
        if (is_plain_char(c)) {
            out.push_back(ch);
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        } else {
            out.push_back('\\');
            out.push_back(ch);
        }
    }
    return out;
}

std::string EntityPath::to_string() const {
    if (parts_.empty()) return "/";
    std::string out;
    for (const auto& part : parts_) {
        out.push_back('/');
        out += escape_part(part);
    }
    return out;
}

void EntityPath::rehash() {
    // Hash of the unescaped parts, each followed by a 0xFF byte (never valid inside UTF-8, so
    // part boundaries cannot be confused): equal paths hash equal without building a string.
    XXH3_state_t state;
    XXH3_64bits_reset(&state);
    const unsigned char separator = 0xFF;
    for (const auto& part : parts_) {
        XXH3_64bits_update(&state, part.data(), part.size());
        XXH3_64bits_update(&state, &separator, 1);
    }
    hash_ = XXH3_64bits_digest(&state);
}

EntityPath EntityPath::parent() const {
    if (parts_.empty()) return *this;
    return EntityPath(std::vector<std::string>(parts_.begin(), parts_.end() - 1));
}

EntityPath EntityPath::join(std::string_view part) const {
    auto parts = parts_;
    parts.emplace_back(part);
    return EntityPath(std::move(parts));
}

bool EntityPath::starts_with(const EntityPath& ancestor) const {
    if (ancestor.parts_.size() > parts_.size()) return false;
    for (size_t i = 0; i < ancestor.parts_.size(); ++i) {
        if (parts_[i] != ancestor.parts_[i]) return false;
    }
    return true;
}

bool EntityPath::is_child_of(const EntityPath& parent) const {
    return parts_.size() == parent.parts_.size() + 1 && starts_with(parent);
}

}  // namespace rerun::core
