// TextLog and TextDocument.
#pragma once

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct TextLog {
    RERUN_ARCHETYPE_SLOT(TextLog, text, Text);
    RERUN_ARCHETYPE_SLOT(TextLog, level, TextLogLevel);
    RERUN_ARCHETYPE_SLOT(TextLog, color, Color);

    RERUN_ARCHETYPE_FIELD(TextLog, text, components::Text)
    RERUN_ARCHETYPE_FIELD(TextLog, level, components::TextLogLevel)
    RERUN_ARCHETYPE_FIELD(TextLog, color, components::Color)

    TextLog() = default;
    TextLog(components::Text text_) : text(Collection<components::Text>(std::move(text_))) {}

    RERUN_ARCHETYPE_UPDATES(TextLog, text, level, color)

    static constexpr size_t kMaxBatches = 3;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_text, text);
        detail::push_batch(out, Descriptor_level, level);
        detail::push_batch(out, Descriptor_color, color);
        return size_t(out - begin);
    }
};

struct TextDocument {
    RERUN_ARCHETYPE_SLOT(TextDocument, text, Text);
    RERUN_ARCHETYPE_SLOT(TextDocument, media_type, MediaType);

    RERUN_ARCHETYPE_FIELD(TextDocument, text, components::Text)
    RERUN_ARCHETYPE_FIELD(TextDocument, media_type, components::MediaType)

    TextDocument() = default;
    TextDocument(components::Text text_) : text(Collection<components::Text>(std::move(text_))) {}

    RERUN_ARCHETYPE_UPDATES(TextDocument, text, media_type)

    static constexpr size_t kMaxBatches = 2;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_text, text);
        detail::push_batch(out, Descriptor_media_type, media_type);
        return size_t(out - begin);
    }
};

}  // namespace rerun::archetypes
