#include "rerun/core/message.hpp"

namespace rerun::core {

std::string_view store_kind_name(StoreKind kind) {
    switch (kind) {
        case StoreKind::Recording:
            return "recording";
        case StoreKind::Blueprint:
            return "blueprint";
    }
    return "unknown";
}

}  // namespace rerun::core
