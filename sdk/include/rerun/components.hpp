// Components: the typed values that archetypes are made of. Each maps to one entry of
// core::component_types (name and element type); fixed-size ones are laid out exactly as their
// element type so that batches are copied as raw bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "rerun/collection.hpp"
#include "rerun/core/component_types.hpp"
#include "rerun/datatypes.hpp"

namespace rerun::components {

namespace ct = rerun::core::component_types;

// The core component type a C++ component type is stored as; C::type_info() unless specialised
// (enums cannot have member functions).
template <class C>
struct TypeInfoOf {
    static constexpr const core::ComponentTypeInfo& get() { return C::type_info(); }
};

struct Position3D {
    datatypes::Vec3D xyz;
    Position3D() = default;
    constexpr Position3D(float x, float y, float z) : xyz(x, y, z) {}
    constexpr Position3D(datatypes::Vec3D v) : xyz(v) {}
    constexpr Position3D(std::array<float, 3> v) : xyz(v) {}
    constexpr float x() const { return xyz.x(); }
    constexpr float y() const { return xyz.y(); }
    constexpr float z() const { return xyz.z(); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::Position3D; }
    bool operator==(const Position3D&) const = default;
};

struct Position2D {
    datatypes::Vec2D xy;
    Position2D() = default;
    constexpr Position2D(float x, float y) : xy(x, y) {}
    constexpr Position2D(datatypes::Vec2D v) : xy(v) {}
    constexpr Position2D(std::array<float, 2> v) : xy(v) {}
    constexpr float x() const { return xy.x(); }
    constexpr float y() const { return xy.y(); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::Position2D; }
    bool operator==(const Position2D&) const = default;
};

#define RERUN_VEC3_COMPONENT(NAME)                                                       \
    struct NAME {                                                                        \
        datatypes::Vec3D xyz;                                                            \
        NAME() = default;                                                                \
        constexpr NAME(float x, float y, float z) : xyz(x, y, z) {}                      \
        constexpr NAME(datatypes::Vec3D v) : xyz(v) {}                                   \
        constexpr NAME(std::array<float, 3> v) : xyz(v) {}                               \
        static constexpr const core::ComponentTypeInfo& type_info() { return ct::NAME; } \
    }
#define RERUN_VEC2_COMPONENT(NAME)                                                       \
    struct NAME {                                                                        \
        datatypes::Vec2D xy;                                                             \
        NAME() = default;                                                                \
        constexpr NAME(float x, float y) : xy(x, y) {}                                   \
        constexpr NAME(datatypes::Vec2D v) : xy(v) {}                                    \
        constexpr NAME(std::array<float, 2> v) : xy(v) {}                                \
        static constexpr const core::ComponentTypeInfo& type_info() { return ct::NAME; } \
    }
#define RERUN_SCALAR_COMPONENT(NAME, TYPE, FIELD)                                        \
    struct NAME {                                                                        \
        TYPE FIELD{};                                                                    \
        NAME() = default;                                                                \
        constexpr NAME(TYPE v) : FIELD(v) {}                                             \
        constexpr operator TYPE() const { return FIELD; }                                \
        static constexpr const core::ComponentTypeInfo& type_info() { return ct::NAME; } \
    }

RERUN_VEC3_COMPONENT(Vector3D);
RERUN_VEC3_COMPONENT(HalfSize3D);
RERUN_VEC3_COMPONENT(PoseTranslation3D);
RERUN_VEC3_COMPONENT(Translation3D);
RERUN_VEC2_COMPONENT(Vector2D);
RERUN_VEC2_COMPONENT(HalfSize2D);
RERUN_VEC2_COMPONENT(Texcoord2D);
RERUN_VEC2_COMPONENT(Resolution);

struct Scale3D {
    datatypes::Vec3D xyz{1.f, 1.f, 1.f};
    Scale3D() = default;
    constexpr Scale3D(float uniform) : xyz(uniform, uniform, uniform) {}
    constexpr Scale3D(float x, float y, float z) : xyz(x, y, z) {}
    constexpr Scale3D(datatypes::Vec3D v) : xyz(v) {}
    static constexpr Scale3D uniform(float s) { return Scale3D(s); }
    static constexpr Scale3D three_d(datatypes::Vec3D v) { return Scale3D(v); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::Scale3D; }
};

RERUN_SCALAR_COMPONENT(Radius, float, value);
RERUN_SCALAR_COMPONENT(StrokeWidth, float, width);
RERUN_SCALAR_COMPONENT(MarkerSize, float, value);
RERUN_SCALAR_COMPONENT(DrawOrder, float, value);
RERUN_SCALAR_COMPONENT(Opacity, float, value);
RERUN_SCALAR_COMPONENT(DepthMeter, float, value);
RERUN_SCALAR_COMPONENT(ImagePlaneDistance, float, value);
RERUN_SCALAR_COMPONENT(Scalar, double, value);
RERUN_SCALAR_COMPONENT(ClassId, uint16_t, id);
RERUN_SCALAR_COMPONENT(KeypointId, uint16_t, id);

#define RERUN_BOOL_COMPONENT(NAME)                                                       \
    struct NAME {                                                                        \
        uint8_t value = 0;                                                               \
        NAME() = default;                                                                \
        constexpr NAME(bool v) : value(v ? 1 : 0) {}                                     \
        constexpr operator bool() const { return value != 0; }                           \
        static constexpr const core::ComponentTypeInfo& type_info() { return ct::NAME; } \
    }
RERUN_BOOL_COMPONENT(ShowLabels);
RERUN_BOOL_COMPONENT(Visible);
RERUN_BOOL_COMPONENT(SeriesVisible);
RERUN_BOOL_COMPONENT(ClearIsRecursive);

// RGBA, packed as 0xRRGGBBAA.
struct Color {
    uint32_t rgba = 0xFFFFFFFF;
    Color() = default;
    constexpr Color(uint32_t rgba_) : rgba(rgba_) {}
    constexpr Color(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255)
        : rgba((uint32_t(r) << 24) | (uint32_t(g) << 16) | (uint32_t(b) << 8) | uint32_t(a)) {}
    constexpr Color(const uint8_t (&rgb)[3]) : Color(rgb[0], rgb[1], rgb[2]) {}
    constexpr Color(const uint8_t (&rgba_)[4]) : Color(rgba_[0], rgba_[1], rgba_[2], rgba_[3]) {}
    constexpr Color(std::array<uint8_t, 3> rgb) : Color(rgb[0], rgb[1], rgb[2]) {}
    constexpr Color(std::array<uint8_t, 4> c) : Color(c[0], c[1], c[2], c[3]) {}
    constexpr uint8_t r() const { return uint8_t(rgba >> 24); }
    constexpr uint8_t g() const { return uint8_t(rgba >> 16); }
    constexpr uint8_t b() const { return uint8_t(rgba >> 8); }
    constexpr uint8_t a() const { return uint8_t(rgba); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::Color; }
    bool operator==(const Color&) const = default;
};

enum class MarkerShape : uint8_t {
    Circle = 1,
    Diamond = 2,
    Square = 3,
    Cross = 4,
    Plus = 5,
    Up = 6,
    Down = 7,
    Left = 8,
    Right = 9,
    Asterisk = 10,
};
enum class FillMode : uint8_t { MajorWireframe = 1, DenseWireframe = 2, Solid = 3 };
enum class Colormap : uint8_t {
    Grayscale = 1,
    Inferno = 2,
    Magma = 3,
    Plasma = 4,
    Turbo = 5,
    Viridis = 6,
    CyanToYellow = 7,
};
enum class TransformRelation : uint8_t { ParentFromChild = 1, ChildFromParent = 2 };
template <>
struct TypeInfoOf<MarkerShape> {
    static constexpr const core::ComponentTypeInfo& get() { return ct::MarkerShape; }
};
template <>
struct TypeInfoOf<FillMode> {
    static constexpr const core::ComponentTypeInfo& get() { return ct::FillMode; }
};
template <>
struct TypeInfoOf<Colormap> {
    static constexpr const core::ComponentTypeInfo& get() { return ct::Colormap; }
};
template <>
struct TypeInfoOf<TransformRelation> {
    static constexpr const core::ComponentTypeInfo& get() { return ct::TransformRelation; }
};

struct PoseRotationQuat {
    datatypes::Quaternion quaternion;
    PoseRotationQuat() = default;
    constexpr PoseRotationQuat(datatypes::Quaternion q) : quaternion(q) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::PoseRotationQuat; }
};
struct RotationQuat {
    datatypes::Quaternion quaternion;
    RotationQuat() = default;
    constexpr RotationQuat(datatypes::Quaternion q) : quaternion(q) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::RotationQuat; }
};
// Axis x, y, z, then the angle in radians.
struct RotationAxisAngle {
    datatypes::Vec3D axis;
    float angle_radians = 0.f;
    RotationAxisAngle() = default;
    constexpr RotationAxisAngle(datatypes::RotationAxisAngle r)
        : axis(r.axis), angle_radians(r.angle.angle_radians) {}
    constexpr RotationAxisAngle(datatypes::Vec3D axis_, datatypes::Angle angle)
        : axis(axis_), angle_radians(angle.angle_radians) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::RotationAxisAngle; }
};
struct TransformMat3x3 {
    datatypes::Mat3x3 matrix;
    TransformMat3x3() = default;
    constexpr TransformMat3x3(datatypes::Mat3x3 m) : matrix(m) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::TransformMat3x3; }
};
// Column-major 3x3 intrinsics: [fx 0 0 | 0 fy 0 | cx cy 1].
struct PinholeProjection {
    datatypes::Mat3x3 matrix;
    PinholeProjection() = default;
    constexpr PinholeProjection(datatypes::Mat3x3 m) : matrix(m) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::PinholeProjection; }
};

enum class ViewDir : uint8_t { Up = 1, Down = 2, Right = 3, Left = 4, Forward = 5, Back = 6 };

// Named axis conventions shared by the component and the archetype, e.g. RDF (x right, y down,
// z forward) or RIGHT_HAND_Z_UP.
template <class Self>
struct ViewCoordinatesNames {
    static const Self BDL;
    static const Self BDR;
    static const Self BLD;
    static const Self BLU;
    static const Self BRD;
    static const Self BRU;
    static const Self BUL;
    static const Self BUR;
    static const Self DBL;
    static const Self DBR;
    static const Self DFL;
    static const Self DFR;
    static const Self DLB;
    static const Self DLF;
    static const Self DRB;
    static const Self DRF;
    static const Self FDL;
    static const Self FDR;
    static const Self FLD;
    static const Self FLU;
    static const Self FRD;
    static const Self FRU;
    static const Self FUL;
    static const Self FUR;
    static const Self LBD;
    static const Self LBU;
    static const Self LDB;
    static const Self LDF;
    static const Self LFD;
    static const Self LFU;
    static const Self LUB;
    static const Self LUF;
    static const Self RBD;
    static const Self RBU;
    static const Self RDB;
    static const Self RDF;
    static const Self RFD;
    static const Self RFU;
    static const Self RUB;
    static const Self RUF;
    static const Self UBL;
    static const Self UBR;
    static const Self UFL;
    static const Self UFR;
    static const Self ULB;
    static const Self ULF;
    static const Self URB;
    static const Self URF;
    static const Self RIGHT_HAND_X_UP;
    static const Self RIGHT_HAND_X_DOWN;
    static const Self RIGHT_HAND_Y_UP;
    static const Self RIGHT_HAND_Y_DOWN;
    static const Self RIGHT_HAND_Z_UP;
    static const Self RIGHT_HAND_Z_DOWN;
    static const Self LEFT_HAND_X_UP;
    static const Self LEFT_HAND_X_DOWN;
    static const Self LEFT_HAND_Y_UP;
    static const Self LEFT_HAND_Y_DOWN;
    static const Self LEFT_HAND_Z_UP;
    static const Self LEFT_HAND_Z_DOWN;
};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BDL{ViewDir::Back, ViewDir::Down, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BDR{ViewDir::Back, ViewDir::Down, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BLD{ViewDir::Back, ViewDir::Left, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BLU{ViewDir::Back, ViewDir::Left, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BRD{ViewDir::Back, ViewDir::Right, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BRU{ViewDir::Back, ViewDir::Right, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BUL{ViewDir::Back, ViewDir::Up, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::BUR{ViewDir::Back, ViewDir::Up, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DBL{ViewDir::Down, ViewDir::Back, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DBR{ViewDir::Down, ViewDir::Back, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DFL{ViewDir::Down, ViewDir::Forward, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DFR{ViewDir::Down, ViewDir::Forward, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DLB{ViewDir::Down, ViewDir::Left, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DLF{ViewDir::Down, ViewDir::Left, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DRB{ViewDir::Down, ViewDir::Right, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::DRF{ViewDir::Down, ViewDir::Right, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FDL{ViewDir::Forward, ViewDir::Down, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FDR{ViewDir::Forward, ViewDir::Down, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FLD{ViewDir::Forward, ViewDir::Left, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FLU{ViewDir::Forward, ViewDir::Left, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FRD{ViewDir::Forward, ViewDir::Right, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FRU{ViewDir::Forward, ViewDir::Right, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FUL{ViewDir::Forward, ViewDir::Up, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::FUR{ViewDir::Forward, ViewDir::Up, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LBD{ViewDir::Left, ViewDir::Back, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LBU{ViewDir::Left, ViewDir::Back, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LDB{ViewDir::Left, ViewDir::Down, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LDF{ViewDir::Left, ViewDir::Down, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LFD{ViewDir::Left, ViewDir::Forward, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LFU{ViewDir::Left, ViewDir::Forward, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LUB{ViewDir::Left, ViewDir::Up, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LUF{ViewDir::Left, ViewDir::Up, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RBD{ViewDir::Right, ViewDir::Back, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RBU{ViewDir::Right, ViewDir::Back, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RDB{ViewDir::Right, ViewDir::Down, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RDF{ViewDir::Right, ViewDir::Down, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RFD{ViewDir::Right, ViewDir::Forward, ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RFU{ViewDir::Right, ViewDir::Forward, ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RUB{ViewDir::Right, ViewDir::Up, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RUF{ViewDir::Right, ViewDir::Up, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::UBL{ViewDir::Up, ViewDir::Back, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::UBR{ViewDir::Up, ViewDir::Back, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::UFL{ViewDir::Up, ViewDir::Forward, ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::UFR{ViewDir::Up, ViewDir::Forward, ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::ULB{ViewDir::Up, ViewDir::Left, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::ULF{ViewDir::Up, ViewDir::Left, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::URB{ViewDir::Up, ViewDir::Right, ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::URF{ViewDir::Up, ViewDir::Right, ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_X_UP{ViewDir::Up, ViewDir::Forward,
                                                              ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_X_DOWN{ViewDir::Down, ViewDir::Forward,
                                                                ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_Y_UP{ViewDir::Right, ViewDir::Up,
                                                              ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_Y_DOWN{ViewDir::Right, ViewDir::Down,
                                                                ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_Z_UP{ViewDir::Right, ViewDir::Forward,
                                                              ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::RIGHT_HAND_Z_DOWN{ViewDir::Right, ViewDir::Back,
                                                                ViewDir::Down};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_X_UP{ViewDir::Up, ViewDir::Forward,
                                                             ViewDir::Right};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_X_DOWN{ViewDir::Down, ViewDir::Forward,
                                                               ViewDir::Left};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_Y_UP{ViewDir::Right, ViewDir::Up,
                                                             ViewDir::Forward};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_Y_DOWN{ViewDir::Right, ViewDir::Down,
                                                               ViewDir::Back};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_Z_UP{ViewDir::Right, ViewDir::Back,
                                                             ViewDir::Up};
template <class Self>
inline const Self ViewCoordinatesNames<Self>::LEFT_HAND_Z_DOWN{ViewDir::Right, ViewDir::Forward,
                                                               ViewDir::Down};

// Which way each of the x, y, z axes points.
struct ViewCoordinates : ViewCoordinatesNames<ViewCoordinates> {
    std::array<uint8_t, 3> coordinates{uint8_t(ViewDir::Right), uint8_t(ViewDir::Down),
                                       uint8_t(ViewDir::Forward)};
    ViewCoordinates() = default;
    constexpr ViewCoordinates(ViewDir x, ViewDir y, ViewDir z)
        : coordinates{uint8_t(x), uint8_t(y), uint8_t(z)} {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::ViewCoordinates; }
    // Not defaulted: the base (the named constants) has no operator==, so clang deletes it.
    bool operator==(const ViewCoordinates& other) const { return coordinates == other.coordinates; }
};
static_assert(sizeof(ViewCoordinates) == 3);

struct TriangleIndices {
    datatypes::UVec3D indices;
    TriangleIndices() = default;
    constexpr TriangleIndices(uint32_t a, uint32_t b, uint32_t c) : indices(a, b, c) {}
    constexpr TriangleIndices(datatypes::UVec3D v) : indices(v) {}
    constexpr TriangleIndices(std::array<uint32_t, 3> v) : indices(v) {}
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::TriangleIndices; }
};

// u32 x 4: width, height, color model (core::ImageColorModel), channel datatype (ScalarType).
struct ImageFormat {
    std::array<uint32_t, 4> values{};
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::ImageFormat; }
};

// ---- strings -----------------------------------------------------------------------------------
#define RERUN_STRING_COMPONENT(NAME)                                                     \
    struct NAME {                                                                        \
        std::string value;                                                               \
        NAME() = default;                                                                \
        NAME(std::string v) : value(std::move(v)) {}                                     \
        NAME(std::string_view v) : value(v) {}                                           \
        NAME(const char* v) : value(v) {}                                                \
        std::string_view as_view() const { return value; }                               \
        static constexpr const core::ComponentTypeInfo& type_info() { return ct::NAME; } \
        bool operator==(const NAME&) const = default;                                    \
    }
RERUN_STRING_COMPONENT(Text);
RERUN_STRING_COMPONENT(Name);

struct TextLogLevel {
    std::string value;
    TextLogLevel() = default;
    TextLogLevel(std::string v) : value(std::move(v)) {}
    TextLogLevel(const char* v) : value(v) {}
    std::string_view as_view() const { return value; }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::TextLogLevel; }
    static const TextLogLevel Critical;
    static const TextLogLevel Error;
    static const TextLogLevel Warning;
    static const TextLogLevel Info;
    static const TextLogLevel Debug;
    static const TextLogLevel Trace;
    bool operator==(const TextLogLevel&) const = default;
};
inline const TextLogLevel TextLogLevel::Critical{"CRITICAL"};
inline const TextLogLevel TextLogLevel::Error{"ERROR"};
inline const TextLogLevel TextLogLevel::Warning{"WARN"};
inline const TextLogLevel TextLogLevel::Info{"INFO"};
inline const TextLogLevel TextLogLevel::Debug{"DEBUG"};
inline const TextLogLevel TextLogLevel::Trace{"TRACE"};

struct MediaType {
    std::string value;
    MediaType() = default;
    MediaType(std::string v) : value(std::move(v)) {}
    MediaType(const char* v) : value(v) {}
    std::string_view as_view() const { return value; }
    static MediaType plain_text() { return MediaType("text/plain"); }
    static MediaType markdown() { return MediaType("text/markdown"); }
    static MediaType png() { return MediaType("image/png"); }
    static MediaType jpeg() { return MediaType("image/jpeg"); }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::MediaType; }
};

// ---- lists -------------------------------------------------------------------------------------
struct LineStrip3D {
    Collection<datatypes::Vec3D> points;
    LineStrip3D() = default;
    LineStrip3D(Collection<datatypes::Vec3D> points_) : points(std::move(points_)) {}
    LineStrip3D(std::initializer_list<datatypes::Vec3D> points_) : points(points_) {}
    template <class R>
    requires ConvertibleRangeOf<R, datatypes::Vec3D> LineStrip3D(R&& range)
        : points(std::forward<R>(range)) {}
    std::span<const uint8_t> bytes() const {
        return {reinterpret_cast<const uint8_t*>(points.data()), points.size() * 12};
    }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::LineStrip3D; }
};
struct LineStrip2D {
    Collection<datatypes::Vec2D> points;
    LineStrip2D() = default;
    LineStrip2D(Collection<datatypes::Vec2D> points_) : points(std::move(points_)) {}
    LineStrip2D(std::initializer_list<datatypes::Vec2D> points_) : points(points_) {}
    template <class R>
    requires ConvertibleRangeOf<R, datatypes::Vec2D> LineStrip2D(R&& range)
        : points(std::forward<R>(range)) {}
    std::span<const uint8_t> bytes() const {
        return {reinterpret_cast<const uint8_t*>(points.data()), points.size() * 8};
    }
    static constexpr const core::ComponentTypeInfo& type_info() { return ct::LineStrip2D; }
};

#undef RERUN_VEC3_COMPONENT
#undef RERUN_VEC2_COMPONENT
#undef RERUN_SCALAR_COMPONENT
#undef RERUN_BOOL_COMPONENT
#undef RERUN_STRING_COMPONENT

}  // namespace rerun::components

namespace rerun {
using components::Color;
using components::FillMode;
using components::HalfSize2D;
using components::HalfSize3D;
using components::LineStrip2D;
using components::LineStrip3D;
using components::MediaType;
using components::Position2D;
using components::Position3D;
using components::Radius;
using components::Text;
using components::TextLogLevel;
using components::Vector2D;
using components::Vector3D;
using components::ViewDir;
using Rgba32 = components::Color;
}  // namespace rerun
