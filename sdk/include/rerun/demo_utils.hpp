// Helpers for examples: grids, a color spiral, interpolation.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "rerun/components.hpp"

namespace rerun::demo {

constexpr float PI = 3.14159265358979323846264338327950288f;
constexpr float TAU = 2.f * PI;

// Bounces between a and b as t goes past 1, 2, 3, ...
inline float bounce_lerp(float a, float b, float t) {
    const float tf = t - std::floor(t);
    if (static_cast<long>(std::floor(t)) % 2 == 0) return (1.f - tf) * a + tf * b;
    return tf * a + (1.f - tf) * b;
}

// `num` evenly spaced values from start to end, both included.
template <class T>
std::vector<T> linspace(T start, T end, size_t num) {
    std::vector<T> out(num);
    for (size_t i = 0; i < num; ++i) {
        out[i] = num == 1 ? start
                          : static_cast<T>(start + (end - start) * static_cast<T>(i) /
                                                       static_cast<T>(num - 1));
    }
    return out;
}

// An n x n x n grid from `from` to `to` on every axis (x varies fastest).
template <class TPoint, class TScalar>
std::vector<TPoint> grid3d(TScalar from, TScalar to, size_t n) {
    std::vector<TPoint> out;
    out.reserve(n * n * n);
    const auto steps = linspace<TScalar>(from, to, n);
    for (TScalar z : steps)
        for (TScalar y : steps)
            for (TScalar x : steps)
                out.push_back(TPoint{x, y, z});
    return out;
}

// An n x n grid from `from` to `to` on both axes.
template <class TPoint, class TScalar>
std::vector<TPoint> grid2d(TScalar from, TScalar to, size_t n) {
    std::vector<TPoint> out;
    out.reserve(n * n);
    const auto steps = linspace<TScalar>(from, to, n);
    for (TScalar y : steps)
        for (TScalar x : steps)
            out.push_back(TPoint{x, y});
    return out;
}

// A grid of positions between two corners, n per axis.
inline std::vector<components::Position3D> grid(components::Position3D from,
                                                components::Position3D to, size_t n) {
    std::vector<components::Position3D> out;
    out.reserve(n * n * n);
    for (float z : linspace(from.z(), to.z(), n))
        for (float y : linspace(from.y(), to.y(), n))
            for (float x : linspace(from.x(), to.x(), n))
                out.emplace_back(x, y, z);
    return out;
}

// Points on a rising spiral with rainbow colors.
inline void color_spiral(size_t num_points, float radius, float angular_step, float angular_offset,
                         float z_step, std::vector<components::Position3D>& out_points,
                         std::vector<components::Color>& out_colors) {
    out_points.reserve(out_points.size() + num_points);
    out_colors.reserve(out_colors.size() + num_points);
    for (size_t i = 0; i < num_points; ++i) {
        const float angle = float(i) * angular_step * TAU + angular_offset;
        out_points.emplace_back(std::sin(angle) * radius, std::cos(angle) * radius,
                                float(i) * z_step);
        const float t = num_points > 1 ? float(i) / float(num_points - 1) : 0.f;
        // A cheap rainbow: three phase-shifted cosines.
        auto channel = [t](float phase) {
            return uint8_t(255.f * (0.5f + 0.5f * std::cos(TAU * (t + phase))));
        };
        out_colors.emplace_back(channel(0.f), channel(1.f / 3), channel(2.f / 3));
    }
}

}  // namespace rerun::demo
