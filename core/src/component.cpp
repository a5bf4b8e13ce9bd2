#include "rerun/core/component.hpp"

#include <string>

namespace rerun::core {

bool is_valid_scalar_type(uint8_t value) {
    return value >= 1 && value <= 10;
}

std::string_view scalar_type_name(ScalarType type) {
    switch (type) {
        case ScalarType::U8:
            return "u8";
        case ScalarType::U16:
            return "u16";
        case ScalarType::U32:
            return "u32";
        case ScalarType::U64:
            return "u64";
        case ScalarType::I8:
            return "i8";
        case ScalarType::I16:
            return "i16";
        case ScalarType::I32:
            return "i32";
        case ScalarType::I64:
            return "i64";
        case ScalarType::F32:
            return "f32";
        case ScalarType::F64:
            return "f64";
    }
    return "?";
}

bool is_valid_element_kind(uint8_t value) {
    return value >= 1 && value <= 3;
}

std::string ElementType::to_string() const {
    if (kind == ElementKind::Utf8) return "utf8";
    std::string element(scalar_type_name(scalar));
    if (width != 1) element += "x" + std::to_string(width);
    return kind == ElementKind::List ? "list<" + element + ">" : element;
}

uint64_t ComponentColumn::num_instances() const {
    if (row_offsets.empty()) return num_rows;
    return row_offsets.as_span<uint32_t>().back();
}

namespace {

// Checks a u32 offsets buffer: count + 1 entries, starts at 0, non-decreasing, ends at `last`
// (or, when last_expected is false, returns the last value through *last).
std::string check_offsets(const Buffer& buffer, uint64_t count, const char* what, uint64_t* last) {
    if (buffer.size() != (count + 1) * sizeof(uint32_t)) {
        return std::string(what) + ": " + std::to_string(buffer.size()) + " bytes, expected " +
               std::to_string((count + 1) * sizeof(uint32_t));
    }
    const auto offsets = buffer.as_span<uint32_t>();
    if (offsets[0] != 0) return std::string(what) + " do not start at 0";
    for (size_t i = 1; i < offsets.size(); ++i) {
        if (offsets[i] < offsets[i - 1]) {
            return std::string(what) + " decrease at index " + std::to_string(i);
        }
    }
    *last = offsets.back();
    return {};
}

}  // namespace

std::string ComponentColumn::validate() const {
    const std::string name = "component \"" + descriptor.component + "\"";
    if (descriptor.component.empty()) return "component with an empty name";
    if (!is_valid_element_kind(uint8_t(type.kind)) || !is_valid_scalar_type(uint8_t(type.scalar)) ||
        type.width == 0) {
        return name + ": invalid element type";
    }
    if (type.kind == ElementKind::Utf8 && (type.scalar != ScalarType::U8 || type.width != 1)) {
        return name + ": utf8 must be stored as u8x1";
    }
    if (!validity.empty() && validity.size() != num_rows) {
        return name + ": validity has " + std::to_string(validity.size()) + " bytes for " +
               std::to_string(num_rows) + " rows";
    }
    uint64_t instances = num_rows;
    if (!row_offsets.empty()) {
        if (auto err = check_offsets(row_offsets, num_rows, "row offsets", &instances);
            !err.empty()) {
            return name + ": " + err;
        }
    }
    if (!validity.empty()) {
        for (uint64_t r = 0; r < num_rows; ++r) {
            if (validity.data()[r] > 1) return name + ": validity bytes must be 0 or 1";
            if (validity.data()[r] == 0) {
                const auto [begin, end] = instance_range(r);
                if (begin != end) return name + ": an absent row has instances";
            }
        }
    }
    const size_t element_size = type.element_size();
    if (values.size() % element_size != 0) {
        return name + ": values are not a whole number of " + type.to_string() + " elements";
    }
    const uint64_t elements = values.size() / element_size;
    if (type.kind == ElementKind::Fixed) {
        if (!list_offsets.empty()) return name + ": a fixed-size column has list offsets";
        if (elements != instances) {
            return name + ": " + std::to_string(elements) + " values for " +
                   std::to_string(instances) + " instances";
        }
        return {};
    }
    uint64_t listed = 0;
    if (auto err = check_offsets(list_offsets, instances, "list offsets", &listed); !err.empty()) {
        return name + ": " + err;
    }
    if (listed != elements) {
        return name + ": list offsets end at " + std::to_string(listed) + " but there are " +
               std::to_string(elements) + " elements";
    }
    if (type.kind == ElementKind::Utf8) {
        for (uint64_t i = 0; i < instances; ++i) {
            if (!is_valid_utf8(string_at(i))) {
                return name + ": string " + std::to_string(i) + " is not valid UTF-8";
            }
        }
    }
    return {};
}

bool is_valid_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        // Fast path over ASCII, 8 bytes at a time.
        while (i + 8 <= n) {
            uint64_t word;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        uint32_t code;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + len > n) return false;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            code = (code << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates, and values past U+10FFFF are invalid.
        if ((len == 2 && code < 0x80) || (len == 3 && code < 0x800) ||
            (len == 4 && code < 0x10000) || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
            return false;
        }
        i += len;
    }
    return true;
}

}  // namespace rerun::core
