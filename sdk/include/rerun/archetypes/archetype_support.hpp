// Boilerplate shared by the archetype headers: descriptor slots and with_* builders.
#pragma once

#include <optional>
#include <utility>

#include "rerun/collection.hpp"
#include "rerun/component_batch.hpp"
#include "rerun/components.hpp"

// static constexpr ComponentSlot Descriptor_<field>{"rerun.archetypes.<Arch>", "<Arch>:<field>",
// &Type}
#define RERUN_ARCHETYPE_SLOT(ARCH, FIELD, TYPE)                                            \
    static constexpr ::rerun::ComponentSlot Descriptor_##FIELD {                           \
        "rerun.archetypes." #ARCH, #ARCH ":" #FIELD, &::rerun::core::component_types::TYPE \
    }

// An optional field plus its with_<field>() builders (rvalue: moves; lvalue: copies).
#define RERUN_ARCHETYPE_FIELD(ARCH, FIELD, COMPONENT)                   \
    std::optional<::rerun::Collection<COMPONENT>> FIELD;                \
    ARCH with_##FIELD(::rerun::Collection<COMPONENT> FIELD##_)&& {      \
        FIELD = std::move(FIELD##_);                                    \
        return std::move(*this);                                        \
    }                                                                   \
    ARCH with_##FIELD(::rerun::Collection<COMPONENT> FIELD##_) const& { \
        ARCH copy = *this;                                              \
        copy.FIELD = std::move(FIELD##_);                               \
        return copy;                                                    \
    }

// columns() / columns(lengths) for send_columns, as upstream spells it.
#define RERUN_ARCHETYPE_COLUMNS(ARCH)                                              \
    ::rerun::ArchetypeColumns<ARCH> columns() const {                              \
        return {*this, {}};                                                        \
    }                                                                              \
    ::rerun::ArchetypeColumns<ARCH> columns(std::vector<uint32_t> lengths) const { \
        return {*this, std::move(lengths)};                                        \
    }

namespace rerun::detail {
template <class... C>
void set_empty(std::optional<C>&... fields) {
    (fields.emplace(), ...);
}
}  // namespace rerun::detail

// What every archetype has, as upstream spells it: columns() (above); update_fields(), an empty
// archetype whose with_* builders pick the fields a log call writes (the others keep their
// values); clear_fields(), every field set to an empty batch, so that logging it clears them.
// The arguments list every field (collect_batches's order).
#define RERUN_ARCHETYPE_UPDATES(ARCH, ...)       \
    RERUN_ARCHETYPE_COLUMNS(ARCH)                \
    static ARCH update_fields() {                \
        return ARCH();                           \
    }                                            \
    static ARCH clear_fields() {                 \
        ARCH cleared;                            \
        cleared.set_fields_empty_();             \
        return cleared;                          \
    }                                            \
                                                 \
  private:                                       \
    void set_fields_empty_() {                   \
        ::rerun::detail::set_empty(__VA_ARGS__); \
    }                                            \
                                                 \
  public:
