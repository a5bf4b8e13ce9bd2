// Plain datatypes shared by several components: vectors, quaternions, angles, matrices.
// Layouts are fixed (static_asserted) because batches of them are copied as raw bytes.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace rerun::datatypes {

struct Vec2D {
    std::array<float, 2> xy{};
    Vec2D() = default;
    constexpr Vec2D(float x, float y) : xy{x, y} {}
    constexpr Vec2D(std::array<float, 2> v) : xy(v) {}
    constexpr Vec2D(const float (&v)[2]) : xy{v[0], v[1]} {}
    constexpr float x() const { return xy[0]; }
    constexpr float y() const { return xy[1]; }
    bool operator==(const Vec2D&) const = default;
};

struct Vec3D {
    std::array<float, 3> xyz{};
    Vec3D() = default;
    constexpr Vec3D(float x, float y, float z) : xyz{x, y, z} {}
    constexpr Vec3D(std::array<float, 3> v) : xyz(v) {}
    constexpr Vec3D(const float (&v)[3]) : xyz{v[0], v[1], v[2]} {}
    constexpr float x() const { return xyz[0]; }
    constexpr float y() const { return xyz[1]; }
    constexpr float z() const { return xyz[2]; }
    bool operator==(const Vec3D&) const = default;
};

struct Vec4D {
    std::array<float, 4> xyzw{};
    Vec4D() = default;
    constexpr Vec4D(float x, float y, float z, float w) : xyzw{x, y, z, w} {}
    constexpr Vec4D(std::array<float, 4> v) : xyzw(v) {}
    bool operator==(const Vec4D&) const = default;
};

struct UVec3D {
    std::array<uint32_t, 3> xyz{};
    UVec3D() = default;
    constexpr UVec3D(uint32_t x, uint32_t y, uint32_t z) : xyz{x, y, z} {}
    constexpr UVec3D(std::array<uint32_t, 3> v) : xyz(v) {}
    bool operator==(const UVec3D&) const = default;
};

// Stored as x, y, z, w.
struct Quaternion {
    std::array<float, 4> xyzw{0.f, 0.f, 0.f, 1.f};
    Quaternion() = default;
    static constexpr Quaternion from_xyzw(float x, float y, float z, float w) {
        Quaternion q;
        q.xyzw = {x, y, z, w};
        return q;
    }
    static constexpr Quaternion from_wxyz(float w, float x, float y, float z) {
        return from_xyzw(x, y, z, w);
    }
    static constexpr Quaternion from_xyzw(std::array<float, 4> v) {
        return from_xyzw(v[0], v[1], v[2], v[3]);
    }
    constexpr float x() const { return xyzw[0]; }
    constexpr float y() const { return xyzw[1]; }
    constexpr float z() const { return xyzw[2]; }
    constexpr float w() const { return xyzw[3]; }
    static const Quaternion IDENTITY;
    bool operator==(const Quaternion&) const = default;
};
inline constexpr Quaternion Quaternion::IDENTITY = Quaternion::from_xyzw(0.f, 0.f, 0.f, 1.f);

struct Angle {
    float angle_radians = 0.f;
    static constexpr Angle radians(float r) { return Angle{r}; }
    static constexpr Angle degrees(float d) { return Angle{d * 0.017453292519943295769f}; }
};

struct RotationAxisAngle {
    Vec3D axis{1.f, 0.f, 0.f};
    Angle angle{};
    RotationAxisAngle() = default;
    constexpr RotationAxisAngle(Vec3D axis_, Angle angle_) : axis(axis_), angle(angle_) {}
};

// 3x3 matrix, column-major.
struct Mat3x3 {
    std::array<float, 9> flat_columns{1.f, 0.f, 0.f, 0.f, 1.f, 0.f, 0.f, 0.f, 1.f};
    Mat3x3() = default;
    // Column-major elements.
    constexpr Mat3x3(const float (&elements)[9])
        : flat_columns{elements[0], elements[1], elements[2], elements[3], elements[4],
                       elements[5], elements[6], elements[7], elements[8]} {}
    constexpr Mat3x3(std::array<float, 9> elements) : flat_columns(elements) {}
    constexpr Mat3x3(const std::array<Vec3D, 3>& columns)
        : flat_columns{columns[0].x(), columns[0].y(), columns[0].z(),
                       columns[1].x(), columns[1].y(), columns[1].z(),
                       columns[2].x(), columns[2].y(), columns[2].z()} {}
    static const Mat3x3 IDENTITY;
};
inline constexpr Mat3x3 Mat3x3::IDENTITY = Mat3x3();

struct WidthHeight {
    uint32_t width = 0;
    uint32_t height = 0;
    WidthHeight() = default;
    constexpr WidthHeight(uint32_t w, uint32_t h) : width(w), height(h) {}
};

static_assert(sizeof(Vec2D) == 8 && sizeof(Vec3D) == 12 && sizeof(Vec4D) == 16);
static_assert(sizeof(Quaternion) == 16 && sizeof(Mat3x3) == 36 && sizeof(RotationAxisAngle) == 16);

}  // namespace rerun::datatypes

namespace rerun {
using datatypes::Angle;
using datatypes::Mat3x3;
using datatypes::Quaternion;
using datatypes::RotationAxisAngle;
using datatypes::UVec3D;
using datatypes::Vec2D;
using datatypes::Vec3D;
using datatypes::Vec4D;
using datatypes::WidthHeight;
}  // namespace rerun
