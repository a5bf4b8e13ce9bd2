// Messages: what frames carry, on the wire and in files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "rerun/core/chunk.hpp"

namespace rerun::core {

enum class StoreKind : uint8_t { Recording = 1, Blueprint = 2 };
std::string_view store_kind_name(StoreKind kind);

// Names a store: the Recording ID (or blueprint id) and whether it holds data or a blueprint.
struct StoreId {
    StoreKind kind = StoreKind::Recording;
    std::string id;

    bool operator==(const StoreId&) const = default;
    auto operator<=>(const StoreId&) const = default;
};

struct StoreSource {
    std::string language;     // "cpp", "python", "file", ...
    std::string sdk_version;  // "0.1.0"
    std::string detail;       // free text: program name, file path, ...
    bool operator==(const StoreSource&) const = default;
};

// Sent first by every producer of a store.
struct StoreInfo {
    StoreId store;
    std::string application_id;
    TimeInt started_ns = 0;  // since the Unix epoch
    StoreSource source;
    bool operator==(const StoreInfo&) const = default;
};

// Every chunk names its store, so a frame is meaningful on its own (merging, resync after damage).
struct ChunkMessage {
    StoreId store;
    ChunkPtr chunk;
};

// Makes a blueprint store the active and/or default one for its application.
struct BlueprintActivation {
    StoreId blueprint;
    bool make_active = false;
    bool make_default = false;
    bool operator==(const BlueprintActivation&) const = default;
};

// A producer finished sending this store (clean shutdown; absence means a cut).
struct EndOfStream {
    StoreId store;
    bool operator==(const EndOfStream&) const = default;
};

using Message = std::variant<StoreInfo, ChunkMessage, BlueprintActivation, EndOfStream>;

}  // namespace rerun::core
