// Image and DepthImage. Pixels are one buffer (rows top to bottom) plus an ImageFormat
// (width, height, color model, channel datatype).
#pragma once

#include <cstdint>
#include <type_traits>

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun {

enum class ColorModel : uint32_t { L = 1, RGB = 2, RGBA = 3, BGR = 4, BGRA = 5 };

enum class ChannelDatatype : uint8_t {
    U8 = uint8_t(core::ScalarType::U8),
    U16 = uint8_t(core::ScalarType::U16),
    U32 = uint8_t(core::ScalarType::U32),
    U64 = uint8_t(core::ScalarType::U64),
    I8 = uint8_t(core::ScalarType::I8),
    I16 = uint8_t(core::ScalarType::I16),
    I32 = uint8_t(core::ScalarType::I32),
    I64 = uint8_t(core::ScalarType::I64),
    F32 = uint8_t(core::ScalarType::F32),
    F64 = uint8_t(core::ScalarType::F64),
};

template <class T>
constexpr ChannelDatatype get_datatype(const T* = nullptr) {
    if constexpr (std::is_same_v<T, uint8_t>)
        return ChannelDatatype::U8;
    else if constexpr (std::is_same_v<T, uint16_t>)
        return ChannelDatatype::U16;
    else if constexpr (std::is_same_v<T, uint32_t>)
        return ChannelDatatype::U32;
    else if constexpr (std::is_same_v<T, uint64_t>)
        return ChannelDatatype::U64;
    else if constexpr (std::is_same_v<T, int8_t>)
        return ChannelDatatype::I8;
    else if constexpr (std::is_same_v<T, int16_t>)
        return ChannelDatatype::I16;
    else if constexpr (std::is_same_v<T, int32_t>)
        return ChannelDatatype::I32;
    else if constexpr (std::is_same_v<T, int64_t>)
        return ChannelDatatype::I64;
    else if constexpr (std::is_same_v<T, float>)
        return ChannelDatatype::F32;
    else {
        static_assert(std::is_same_v<T, double>, "unsupported channel type");
        return ChannelDatatype::F64;
    }
}

namespace components {
// The pixel bytes of one image.
struct ImageBuffer {
    Collection<uint8_t> buffer;
    ImageBuffer() = default;
    ImageBuffer(Collection<uint8_t> bytes) : buffer(std::move(bytes)) {}
    std::span<const uint8_t> bytes() const { return buffer.span(); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::ImageBuffer; }
};
}  // namespace components

namespace detail {
// Reinterprets a batch of T as its bytes, keeping (not copying) owned storage.
template <class T>
Collection<uint8_t> as_bytes(const Collection<T>& values) {
    const auto* data = reinterpret_cast<const uint8_t*>(values.data());
    const size_t n = values.size() * sizeof(T);
    if constexpr (std::is_same_v<T, uint8_t>) {
        if (!values.owner()) return values;  // borrowed or inline: the Collection copies itself
    }
    if (values.owner()) return Collection<uint8_t>::shared(data, n, values.owner());
    if (values.is_owned()) return std::vector<uint8_t>(data, data + n);  // inline single value
    return Collection<uint8_t>::borrow(data, n);
}
inline components::ImageFormat image_format(WidthHeight resolution, ColorModel model,
                                            ChannelDatatype datatype) {
    components::ImageFormat f;
    f.values = {resolution.width, resolution.height, uint32_t(model), uint32_t(datatype)};
    return f;
}
}  // namespace detail

namespace archetypes {

struct Image {
    RERUN_ARCHETYPE_SLOT(Image, buffer, ImageBuffer);
    RERUN_ARCHETYPE_SLOT(Image, format, ImageFormat);
    RERUN_ARCHETYPE_SLOT(Image, opacity, Opacity);
    RERUN_ARCHETYPE_SLOT(Image, draw_order, DrawOrder);

    RERUN_ARCHETYPE_FIELD(Image, buffer, components::ImageBuffer)
    RERUN_ARCHETYPE_FIELD(Image, format, components::ImageFormat)
    RERUN_ARCHETYPE_FIELD(Image, opacity, components::Opacity)
    RERUN_ARCHETYPE_FIELD(Image, draw_order, components::DrawOrder)

    Image() = default;
    Image(Collection<uint8_t> bytes, WidthHeight resolution, ColorModel model,
          ChannelDatatype datatype)
        : buffer(Collection<components::ImageBuffer>(components::ImageBuffer(std::move(bytes)))),
          format(Collection<components::ImageFormat>(
              detail::image_format(resolution, model, datatype))) {}
    template <class T>
    Image(Collection<T> pixels, WidthHeight resolution, ColorModel model)
        : Image(detail::as_bytes(pixels), resolution, model, get_datatype<T>()) {}
    template <class T>
    Image(const T* pixels, WidthHeight resolution, ColorModel model)
        : Image(Collection<T>::borrow(
                    pixels, size_t(resolution.width) * resolution.height * num_channels(model)),
                resolution, model) {}

    static Image from_rgb24(Collection<uint8_t> bytes, WidthHeight resolution) {
        return Image(std::move(bytes), resolution, ColorModel::RGB, ChannelDatatype::U8);
    }
    static Image from_rgba32(Collection<uint8_t> bytes, WidthHeight resolution) {
        return Image(std::move(bytes), resolution, ColorModel::RGBA, ChannelDatatype::U8);
    }
    static Image from_greyscale8(Collection<uint8_t> bytes, WidthHeight resolution) {
        return Image(std::move(bytes), resolution, ColorModel::L, ChannelDatatype::U8);
    }
    template <class T>
    static Image from_elements(Collection<T> elements, WidthHeight resolution, ColorModel model) {
        return Image(std::move(elements), resolution, model);
    }

    static constexpr size_t num_channels(ColorModel model) {
        switch (model) {
            case ColorModel::L:
                return 1;
            case ColorModel::RGB:
            case ColorModel::BGR:
                return 3;
            default:
                return 4;
        }
    }

    RERUN_ARCHETYPE_UPDATES(Image, buffer, format, opacity, draw_order)

    static constexpr size_t kMaxBatches = 4;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_buffer, buffer);
        detail::push_batch(out, Descriptor_format, format);
        detail::push_batch(out, Descriptor_opacity, opacity);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        return size_t(out - begin);
    }
};

struct DepthImage {
    RERUN_ARCHETYPE_SLOT(DepthImage, buffer, ImageBuffer);
    RERUN_ARCHETYPE_SLOT(DepthImage, format, ImageFormat);
    RERUN_ARCHETYPE_SLOT(DepthImage, meter, DepthMeter);
    RERUN_ARCHETYPE_SLOT(DepthImage, colormap, Colormap);
    RERUN_ARCHETYPE_SLOT(DepthImage, draw_order, DrawOrder);

    RERUN_ARCHETYPE_FIELD(DepthImage, buffer, components::ImageBuffer)
    RERUN_ARCHETYPE_FIELD(DepthImage, format, components::ImageFormat)
    RERUN_ARCHETYPE_FIELD(DepthImage, meter, components::DepthMeter)
    RERUN_ARCHETYPE_FIELD(DepthImage, colormap, components::Colormap)
    RERUN_ARCHETYPE_FIELD(DepthImage, draw_order, components::DrawOrder)

    DepthImage() = default;
    DepthImage(Collection<uint8_t> bytes, WidthHeight resolution, ChannelDatatype datatype)
        : buffer(Collection<components::ImageBuffer>(components::ImageBuffer(std::move(bytes)))),
          format(Collection<components::ImageFormat>(
              detail::image_format(resolution, ColorModel::L, datatype))) {}
    template <class T>
    DepthImage(Collection<T> pixels, WidthHeight resolution)
        : DepthImage(detail::as_bytes(pixels), resolution, get_datatype<T>()) {}
    template <class T>
    DepthImage(const T* pixels, WidthHeight resolution)
        : DepthImage(Collection<T>::borrow(pixels, size_t(resolution.width) * resolution.height),
                     resolution) {}

    RERUN_ARCHETYPE_UPDATES(DepthImage, buffer, format, meter, colormap, draw_order)

    static constexpr size_t kMaxBatches = 5;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_buffer, buffer);
        detail::push_batch(out, Descriptor_format, format);
        detail::push_batch(out, Descriptor_meter, meter);
        detail::push_batch(out, Descriptor_colormap, colormap);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        return size_t(out - begin);
    }
};

}  // namespace archetypes
}  // namespace rerun
