#include "scene_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <glm/gtc/matrix_transform.hpp>
#include <glm/gtc/quaternion.hpp>

namespace rerun::viewer {

namespace ct = core::component_types;

uint32_t auto_color(const EntityPath& path) {
    // Hue from a well-mixed path hash (splitmix64 finaliser): stable, and neighbours such as
    // /metrics/sin and /metrics/cos do not land on the same hue.
    uint64_t x = path.hash() + 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
    const double h = double(x >> 11) * 0x1.0p-53;
    const double s = 0.65, v = 0.95;
    const double i = std::floor(h * 6), f = h * 6 - i;
    const double p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
    double r = 0, g = 0, b = 0;
    switch (int(i) % 6) {
        case 0:
            r = v, g = t, b = p;
            break;
        case 1:
            r = q, g = v, b = p;
            break;
        case 2:
            r = p, g = v, b = t;
            break;
        case 3:
            r = p, g = q, b = v;
            break;
        case 4:
            r = t, g = p, b = v;
            break;
        default:
            r = v, g = p, b = q;
            break;
    }
    return (uint32_t(r * 255) << 24) | (uint32_t(g * 255) << 16) | (uint32_t(b * 255) << 8) | 0xff;
}

namespace {

// Per-instance values with upstream's splat rule: one value applies to every instance.
template <class T>
struct Splat {
    std::span<const T> values;
    T fallback{};
    T operator[](size_t i) const {
        if (values.empty()) return fallback;
        return values.size() == 1 ? values[0] : (i < values.size() ? values[i] : fallback);
    }
};

template <class T>
Splat<T> splat(const std::optional<ComponentRow>& row, T fallback) {
    Splat<T> s;
    s.fallback = fallback;
    if (row && !row->empty()) s.values = row->values<T>();
    return s;
}

std::optional<ComponentRow> get(const RecordingQuery& q, const EntityPath& e, const char* name,
                                const core::ComponentTypeInfo& type) {
    auto row = q.latest(e, name, &type);
    if (row && row->empty()) return std::nullopt;
    return row;
}

glm::vec3 vec3_at(const std::span<const float>& v, size_t i) {
    return {v[i * 3], v[i * 3 + 1], v[i * 3 + 2]};
}

glm::vec3 transform_point(const glm::mat4& m, const glm::vec3& p) {
    return glm::vec3(m * glm::vec4(p, 1.0f));
}

bool is_identity(const glm::mat4& m) {
    return m == glm::mat4(1.0f);
}

}  // namespace

glm::mat4 TransformCache::local(const EntityPath& path) const {
    glm::mat4 m(1.0f);
    bool any = false;
    if (auto t = get(query_, path, "Transform3D:translation", ct::Translation3D)) {
        m = glm::translate(m, vec3_at(t->values<float>(), 0));
        any = true;
    }
    if (auto r = get(query_, path, "Transform3D:rotation_axis_angle", ct::RotationAxisAngle)) {
        const auto v = r->values<float>();
        const glm::vec3 axis(v[0], v[1], v[2]);
        if (glm::length(axis) > 0) m = glm::rotate(m, v[3], glm::normalize(axis));
        any = true;
    }
    if (auto q = get(query_, path, "Transform3D:quaternion", ct::RotationQuat)) {
        const auto v = q->values<float>();
        m = m * glm::mat4_cast(glm::normalize(glm::quat(v[3], v[0], v[1], v[2])));
        any = true;
    }
    if (auto s = get(query_, path, "Transform3D:scale", ct::Scale3D)) {
        m = glm::scale(m, vec3_at(s->values<float>(), 0));
        any = true;
    }
    if (auto x = get(query_, path, "Transform3D:mat3x3", ct::TransformMat3x3)) {
        const auto v = x->values<float>();
        glm::mat4 mm(1.0f);
        for (int c = 0; c < 3; ++c)
            for (int r = 0; r < 3; ++r)
                mm[c][r] = v[size_t(c * 3 + r)];
        m = m * mm;
        any = true;
    }
    if (!any) return m;
    if (auto rel = get(query_, path, "Transform3D:relation", ct::TransformRelation)) {
        if (rel->values<uint8_t>()[0] == 2) m = glm::inverse(m);  // ChildFromParent
    }
    return m;
}

const glm::mat4& TransformCache::world_from(const EntityPath& path) {
    auto it = cache_.find(path);
    if (it != cache_.end()) return it->second;
    glm::mat4 parent(1.0f);
    if (!path.is_root()) parent = world_from(path.parent());
    const glm::mat4 m = parent * local(path);
    return cache_.emplace(path, m).first->second;
}

glm::vec3 view_up(const RecordingQuery& query, const EntityPath& origin) {
    EntityPath p = origin;
    for (;;) {
        if (auto vc = get(query, p, "ViewCoordinates:xyz", ct::ViewCoordinates)) {
            const auto v = vc->values<uint8_t>();
            for (int axis = 0; axis < 3; ++axis) {
                glm::vec3 dir(0.0f);
                dir[axis] = 1.0f;
                if (v[size_t(axis)] == 1) return dir;   // Up
                if (v[size_t(axis)] == 2) return -dir;  // Down
            }
        }
        if (p.is_root()) break;
        p = p.parent();
    }
    return glm::vec3(0.0f);
}

namespace {

void add_line(Scene3D& s, const glm::vec3& a, const glm::vec3& b, float radius, uint32_t color,
              PickId id) {
    s.lines.push_back({a, radius, b, color});
    s.line_ids.push_back(id);
    s.bounds.add(a);
    s.bounds.add(b);
}

void add_triangle(Scene3D& s, const glm::vec3& a, const glm::vec3& b, const glm::vec3& c,
                  uint32_t color) {
    s.triangles.push_back({a, color});
    s.triangles.push_back({b, color});
    s.triangles.push_back({c, color});
}

void build_points3d(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                    Scene3D& s) {
    auto pos = get(q, e, "Points3D:positions", ct::Position3D);
    if (!pos) return;
    const auto p = pos->values<float>();
    const auto colors = splat<uint32_t>(get(q, e, "Points3D:colors", ct::Color), auto_color(e));
    const auto radii = splat<float>(get(q, e, "Points3D:radii", ct::Radius), kDefaultPointRadius);
    const uint32_t ei = s.entity_index(e);
    const size_t n = pos->size();
    const bool identity = is_identity(world);
    // Scale of the transform, for radii in world units.
    const float scale = identity ? 1.0f : std::cbrt(std::abs(glm::determinant(glm::mat3(world))));
    s.points.reserve(s.points.size() + n);
    s.point_ids.reserve(s.point_ids.size() + n);
    for (size_t i = 0; i < n; ++i) {
        glm::vec3 w = vec3_at(p, i);
        if (!identity) w = transform_point(world, w);
        float r = radii[i];
        if (r > 0) r *= scale;
        s.points.push_back({w, r, colors[i]});
        s.point_ids.push_back({ei, uint32_t(i)});
        s.bounds.add(w);
    }
    if (auto labels = q.latest(e, "Points3D:labels", &ct::Text); labels && n <= 1000) {
        for (size_t i = 0; i < labels->size() && i < n; ++i) {
            s.labels.push_back({s.points[s.points.size() - n + i].position,
                                std::string(labels->string(i)), colors[i]});
        }
    }
}

void build_boxes3d(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                   Scene3D& s) {
    auto half = get(q, e, "Boxes3D:half_sizes", ct::HalfSize3D);
    if (!half) return;
    const auto h = half->values<float>();
    auto centers_row = get(q, e, "Boxes3D:centers", ct::PoseTranslation3D);
    auto axis_angles_row = get(q, e, "Boxes3D:rotation_axis_angles", ct::RotationAxisAngle);
    auto quats_row = get(q, e, "Boxes3D:quaternions", ct::PoseRotationQuat);
    const auto colors = splat<uint32_t>(get(q, e, "Boxes3D:colors", ct::Color), auto_color(e));
    const auto radii = splat<float>(get(q, e, "Boxes3D:radii", ct::Radius), kDefaultLineRadius);
    auto fill = get(q, e, "Boxes3D:fill_mode", ct::FillMode);
    const bool solid = fill && fill->values<uint8_t>()[0] == 3;
    const size_t n = std::max(half->size(), centers_row ? centers_row->size() : 0);
    const uint32_t ei = s.entity_index(e);
    auto labels = q.latest(e, "Boxes3D:labels", &ct::Text);
    for (size_t i = 0; i < n; ++i) {
        const size_t hi = half->size() == 1 ? 0 : std::min(i, half->size() - 1);
        const glm::vec3 hs = vec3_at(h, hi);
        glm::mat4 m = world;
        if (centers_row) {
            const size_t ci = centers_row->size() == 1 ? 0 : std::min(i, centers_row->size() - 1);
            m = glm::translate(m, vec3_at(centers_row->values<float>(), ci));
        }
        // As upstream: centre, then the axis-angle rotation, then the quaternion.
        if (axis_angles_row && axis_angles_row->size() > 0) {
            const size_t ai = std::min(i, axis_angles_row->size() - 1);
            const auto v = axis_angles_row->values<float>();
            const glm::vec3 axis(v[ai * 4], v[ai * 4 + 1], v[ai * 4 + 2]);
            if (glm::length(axis) > 0) m = glm::rotate(m, v[ai * 4 + 3], glm::normalize(axis));
        }
        if (quats_row) {
            const size_t qi = quats_row->size() == 1 ? 0 : std::min(i, quats_row->size() - 1);
            const auto v = quats_row->values<float>();
            m = m * glm::mat4_cast(glm::normalize(
                        glm::quat(v[qi * 4 + 3], v[qi * 4], v[qi * 4 + 1], v[qi * 4 + 2])));
        }
        glm::vec3 c[8];
        for (int k = 0; k < 8; ++k) {
            const glm::vec3 local((k & 1) ? hs.x : -hs.x, (k & 2) ? hs.y : -hs.y,
                                  (k & 4) ? hs.z : -hs.z);
            c[k] = transform_point(m, local);
        }
        const uint32_t color = colors[i];
        const PickId id{ei, uint32_t(i)};
        static constexpr int kEdges[12][2] = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {0, 2}, {1, 3},
                                              {4, 6}, {5, 7}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};
        if (solid) {
            static constexpr int kFaces[6][4] = {{0, 1, 3, 2}, {4, 6, 7, 5}, {0, 4, 5, 1},
                                                 {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 5, 7, 3}};
            for (const auto& f : kFaces) {
                add_triangle(s, c[f[0]], c[f[1]], c[f[2]], color);
                add_triangle(s, c[f[0]], c[f[2]], c[f[3]], color);
            }
            for (int k = 0; k < 8; ++k)
                s.bounds.add(c[k]);
        } else {
            for (const auto& edge : kEdges)
                add_line(s, c[edge[0]], c[edge[1]], radii[i], color, id);
        }
        if (labels && i < labels->size()) {
            s.labels.push_back(
                {transform_point(m, glm::vec3(0, 0, hs.z)), std::string(labels->string(i)), color});
        }
    }
}

void build_strips3d(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                    Scene3D& s) {
    auto strips = get(q, e, "LineStrips3D:strips", ct::LineStrip3D);
    if (!strips) return;
    const auto colors = splat<uint32_t>(get(q, e, "LineStrips3D:colors", ct::Color), auto_color(e));
    const auto radii =
        splat<float>(get(q, e, "LineStrips3D:radii", ct::Radius), kDefaultLineRadius);
    const uint32_t ei = s.entity_index(e);
    for (size_t i = 0; i < strips->size(); ++i) {
        const auto pts = strips->list<float>(i);
        const size_t n = pts.size() / 3;
        for (size_t k = 1; k < n; ++k) {
            add_line(s, transform_point(world, vec3_at(pts, k - 1)),
                     transform_point(world, vec3_at(pts, k)), radii[i], colors[i],
                     {ei, uint32_t(i)});
        }
    }
}

void build_arrows3d(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                    Scene3D& s) {
    auto vectors = get(q, e, "Arrows3D:vectors", ct::Vector3D);
    if (!vectors) return;
    auto origins = get(q, e, "Arrows3D:origins", ct::Position3D);
    const auto colors = splat<uint32_t>(get(q, e, "Arrows3D:colors", ct::Color), auto_color(e));
    const auto radii = splat<float>(get(q, e, "Arrows3D:radii", ct::Radius), kDefaultLineRadius);
    const uint32_t ei = s.entity_index(e);
    const auto v = vectors->values<float>();
    for (size_t i = 0; i < vectors->size(); ++i) {
        glm::vec3 o(0.0f);
        if (origins) {
            const size_t oi = origins->size() == 1 ? 0 : std::min(i, origins->size() - 1);
            o = vec3_at(origins->values<float>(), oi);
        }
        const glm::vec3 a = transform_point(world, o);
        const glm::vec3 b = transform_point(world, o + vec3_at(v, i));
        const glm::vec3 d = b - a;
        const float len = glm::length(d);
        if (len <= 0) continue;
        const glm::vec3 dir = d / len;
        const float head = len * 0.15f;
        const glm::vec3 base = b - dir * head;
        add_line(s, a, base, radii[i], colors[i], {ei, uint32_t(i)});
        // Cone head: 8 triangles around the shaft's end.
        const glm::vec3 ref = std::abs(dir.z) < 0.9f ? glm::vec3(0, 0, 1) : glm::vec3(1, 0, 0);
        const glm::vec3 u = glm::normalize(glm::cross(dir, ref));
        const glm::vec3 w = glm::cross(dir, u);
        const float r = head * 0.4f;
        for (int k = 0; k < 8; ++k) {
            const float a0 = float(k) / 8 * 6.2831853f, a1 = float(k + 1) / 8 * 6.2831853f;
            const glm::vec3 p0 = base + r * (std::cos(a0) * u + std::sin(a0) * w);
            const glm::vec3 p1 = base + r * (std::cos(a1) * u + std::sin(a1) * w);
            add_triangle(s, p0, p1, b, colors[i]);
            add_triangle(s, p1, p0, base, colors[i]);
        }
    }
}

void build_mesh3d(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                  Scene3D& s) {
    auto pos = get(q, e, "Mesh3D:vertex_positions", ct::Position3D);
    if (!pos) return;
    const auto p = pos->values<float>();
    const size_t nv = pos->size();
    auto vcolors = get(q, e, "Mesh3D:vertex_colors", ct::Color);
    auto albedo = get(q, e, "Mesh3D:albedo_factor", ct::Color);
    const uint32_t base_color = albedo ? albedo->values<uint32_t>()[0] : auto_color(e);
    std::vector<glm::vec3> wv(nv);
    for (size_t i = 0; i < nv; ++i) {
        wv[i] = transform_point(world, vec3_at(p, i));
        s.bounds.add(wv[i]);
    }
    auto color_of = [&](uint32_t i) {
        if (vcolors && vcolors->size() == nv) return vcolors->values<uint32_t>()[i];
        return base_color;
    };
    auto push = [&](uint32_t i) { s.triangles.push_back({wv[i], color_of(i)}); };
    if (auto idx = get(q, e, "Mesh3D:triangle_indices", ct::TriangleIndices)) {
        const auto t = idx->values<uint32_t>();
        for (size_t k = 0; k + 2 < t.size(); k += 3) {
            if (t[k] >= nv || t[k + 1] >= nv || t[k + 2] >= nv) continue;
            push(t[k]);
            push(t[k + 1]);
            push(t[k + 2]);
        }
    } else {
        for (uint32_t k = 0; k + 2 < nv; k += 3) {
            push(k);
            push(k + 1);
            push(k + 2);
        }
    }
}

void build_pinhole(const RecordingQuery& q, const EntityPath& e, const glm::mat4& world,
                   Scene3D& s) {
    auto proj = get(q, e, "Pinhole:image_from_camera", ct::PinholeProjection);
    if (!proj) return;
    const auto k = proj->values<float>();
    const float fx = k[0], fy = k[4], cx = k[6], cy = k[7];
    if (fx == 0 || fy == 0) return;
    float w = cx * 2, h = cy * 2;
    if (auto res = get(q, e, "Pinhole:resolution", ct::Resolution)) {
        w = res->values<float>()[0];
        h = res->values<float>()[1];
    }
    float d = 1.0f;
    if (auto dist = get(q, e, "Pinhole:image_plane_distance", ct::ImagePlaneDistance)) {
        d = dist->values<float>()[0];
    }
    // Camera space is RDF (x right, y down, z forward), upstream's default for pinholes.
    auto corner = [&](float u, float v) {
        return transform_point(world, glm::vec3((u - cx) / fx * d, (v - cy) / fy * d, d));
    };
    const glm::vec3 o = transform_point(world, glm::vec3(0.0f));
    const glm::vec3 c[4] = {corner(0, 0), corner(w, 0), corner(w, h), corner(0, h)};
    const uint32_t color = 0xd0d0d0ff;
    const PickId id{s.entity_index(e), 0};
    for (int i = 0; i < 4; ++i) {
        add_line(s, o, c[i], -1.0f, color, id);
        add_line(s, c[i], c[(i + 1) % 4], -1.0f, color, id);
    }
}

}  // namespace

void build_scene3d(const RecordingQuery& query, const std::vector<EntityPath>& entities,
                   Scene3D& scene) {
    const uint64_t version = scene.version;
    scene.clear();
    scene.version = version + 1;
    TransformCache transforms(query);
    for (const auto& e : entities) {
        const glm::mat4& world = transforms.world_from(e);
        build_points3d(query, e, world, scene);
        build_boxes3d(query, e, world, scene);
        build_strips3d(query, e, world, scene);
        build_arrows3d(query, e, world, scene);
        build_mesh3d(query, e, world, scene);
        build_pinhole(query, e, world, scene);
    }
    if (!entities.empty()) scene.up = view_up(query, entities.front());
}

// ---- 2D -----------------------------------------------------------------------------------------

namespace {

glm::vec3 turbo(float t) {
    // A compact polynomial fit of the turbo colour map.
    t = std::clamp(t, 0.0f, 1.0f);
    const glm::vec4 kr(0.13572138f, 4.61539260f, -42.66032258f, 132.13108234f);
    const glm::vec4 kg(0.09140261f, 2.19418839f, 4.84296658f, -14.18503333f);
    const glm::vec4 kb(0.10667330f, 12.64194608f, -60.58204836f, 110.36276771f);
    const glm::vec2 kr2(-152.94239396f, 59.28637943f);
    const glm::vec2 kg2(4.27729857f, 2.82956604f);
    const glm::vec2 kb2(-89.90310912f, 27.34824973f);
    const glm::vec4 v4(1.0f, t, t * t, t * t * t);
    const glm::vec2 v2 = glm::vec2(v4.z, v4.w) * v4.z;
    return glm::clamp(
        glm::vec3(glm::dot(v4, kr) + glm::dot(v2, kr2), glm::dot(v4, kg) + glm::dot(v2, kg2),
                  glm::dot(v4, kb) + glm::dot(v2, kb2)),
        0.0f, 1.0f);
}

template <class T>
double channel_value(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return double(v);
}

double read_scalar(const uint8_t* p, core::ScalarType type) {
    switch (type) {
        case core::ScalarType::U8:
            return channel_value<uint8_t>(p);
        case core::ScalarType::U16:
            return channel_value<uint16_t>(p);
        case core::ScalarType::U32:
            return channel_value<uint32_t>(p);
        case core::ScalarType::U64:
            return channel_value<uint64_t>(p);
        case core::ScalarType::I8:
            return channel_value<int8_t>(p);
        case core::ScalarType::I16:
            return channel_value<int16_t>(p);
        case core::ScalarType::I32:
            return channel_value<int32_t>(p);
        case core::ScalarType::I64:
            return channel_value<int64_t>(p);
        case core::ScalarType::F32:
            return channel_value<float>(p);
        case core::ScalarType::F64:
            return channel_value<double>(p);
    }
    return 0;
}

}  // namespace

bool image_to_rgba(std::span<const uint8_t> bytes, uint32_t width, uint32_t height,
                   uint32_t color_model, uint32_t scalar, bool depth, ImageRGBA& out) {
    out = ImageRGBA{};
    if (!core::is_valid_scalar_type(uint8_t(scalar)) || scalar > 255) return false;
    const auto st = core::ScalarType(scalar);
    const size_t ss = core::scalar_size(st);
    size_t channels = 1;
    if (!depth) {
        switch (core::ImageColorModel(color_model)) {
            case core::ImageColorModel::L:
                channels = 1;
                break;
            case core::ImageColorModel::RGB:
            case core::ImageColorModel::BGR:
                channels = 3;
                break;
            case core::ImageColorModel::RGBA:
            case core::ImageColorModel::BGRA:
                channels = 4;
                break;
            default:
                return false;
        }
    }
    if (width == 0 || height == 0 || width > 65536 || height > 65536) return false;
    const size_t pixels = size_t(width) * height;
    if (bytes.size() < pixels * channels * ss) return false;
    out.width = int(width);
    out.height = int(height);
    out.rgba.resize(pixels * 4);
    uint8_t* dst = out.rgba.data();
    const uint8_t* src = bytes.data();
    if (depth) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < pixels; ++i) {
            const double v = read_scalar(src + i * ss, st);
            if (v > 0 && std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        const double span = hi > lo ? hi - lo : 1.0;
        for (size_t i = 0; i < pixels; ++i) {
            const double v = read_scalar(src + i * ss, st);
            if (!(v > 0) || !std::isfinite(v)) {
                std::memset(dst + i * 4, 0, 4);
                continue;
            }
            const glm::vec3 c = turbo(float((v - lo) / span));
            dst[i * 4 + 0] = uint8_t(c.r * 255);
            dst[i * 4 + 1] = uint8_t(c.g * 255);
            dst[i * 4 + 2] = uint8_t(c.b * 255);
            dst[i * 4 + 3] = 255;
        }
        return true;
    }
    const auto model = core::ImageColorModel(color_model);
    const bool bgr = model == core::ImageColorModel::BGR || model == core::ImageColorModel::BGRA;
    if (st == core::ScalarType::U8) {
        for (size_t i = 0; i < pixels; ++i) {
            const uint8_t* s = src + i * channels;
            uint8_t* d = dst + i * 4;
            if (channels == 1) {
                d[0] = d[1] = d[2] = s[0];
                d[3] = 255;
            } else {
                d[0] = s[bgr ? 2 : 0];
                d[1] = s[1];
                d[2] = s[bgr ? 0 : 2];
                d[3] = channels == 4 ? s[3] : 255;
            }
        }
        return true;
    }
    // Other channel types: floats are taken as 0..1, integers scaled from their full range.
    double scale = 1.0;
    switch (st) {
        case core::ScalarType::U16:
            scale = 1.0 / 65535.0;
            break;
        case core::ScalarType::I16:
            scale = 1.0 / 32767.0;
            break;
        case core::ScalarType::U32:
            scale = 1.0 / 4294967295.0;
            break;
        case core::ScalarType::F32:
        case core::ScalarType::F64:
            scale = 1.0;
            break;
        default:
            scale = 1.0 / 255.0;
            break;
    }
    for (size_t i = 0; i < pixels; ++i) {
        double c[4] = {0, 0, 0, 1};
        for (size_t k = 0; k < channels; ++k)
            c[k] = read_scalar(src + (i * channels + k) * ss, st) * scale;
        if (channels == 1) c[1] = c[2] = c[0];
        if (bgr) std::swap(c[0], c[2]);
        for (int k = 0; k < 4; ++k)
            dst[i * 4 + size_t(k)] = uint8_t(std::clamp(c[k], 0.0, 1.0) * 255.0 + 0.5);
    }
    return true;
}

std::shared_ptr<const ImageRGBA> ImageCache::get(uint64_t key, const ComponentRow& buffer,
                                                 const ComponentRow& format, bool depth,
                                                 uint64_t* version) {
    Entry& entry = entries_[key];
    if (entry.image && entry.chunk == buffer.chunk && entry.column == buffer.column &&
        entry.begin == buffer.begin) {
        *version = entry.version;
        return entry.image;
    }
    auto img = std::make_shared<ImageRGBA>();
    const auto f = format.values<uint32_t>();
    if (buffer.empty() || f.size() < 4 ||
        !image_to_rgba(buffer.list<uint8_t>(0), f[0], f[1], f[2], f[3], depth, *img)) {
        return nullptr;
    }
    entry.chunk = buffer.chunk;
    entry.column = buffer.column;
    entry.begin = buffer.begin;
    entry.version = next_version_++;
    entry.image = img;
    *version = entry.version;
    return img;
}

namespace {

void add_segment(Scene2D& s, glm::vec2 a, glm::vec2 b, float r, uint32_t c, PickId id) {
    s.segments.push_back({a, b, r, c, id});
    s.add_bounds(a);
    s.add_bounds(b);
}

glm::vec2 vec2_at(const std::span<const float>& v, size_t i) {
    return {v[i * 2], v[i * 2 + 1]};
}

}  // namespace

void build_scene2d(const RecordingQuery& q, const std::vector<EntityPath>& entities,
                   ImageCache& images, Scene2D& s) {
    s.clear();
    for (const auto& e : entities) {
        const uint32_t ei = s.entity_index(e);
        for (const bool depth : {false, true}) {
            const char* buf_name = depth ? "DepthImage:buffer" : "Image:buffer";
            const char* fmt_name = depth ? "DepthImage:format" : "Image:format";
            auto buffer = get(q, e, buf_name, ct::ImageBuffer);
            auto format = get(q, e, fmt_name, ct::ImageFormat);
            if (!buffer || !format) continue;
            Image2D img;
            img.entity = e;
            img.key = e.hash() ^ (depth ? 0x9e3779b97f4a7c15ull : 0);
            img.pixels = images.get(img.key, *buffer, *format, depth, &img.version);
            if (!img.pixels) continue;
            if (auto o = get(q, e, "Image:opacity", ct::Opacity); o && !depth) {
                img.opacity = o->values<float>()[0];
            }
            if (auto d = get(q, e, depth ? "DepthImage:draw_order" : "Image:draw_order",
                             ct::DrawOrder)) {
                img.draw_order = d->values<float>()[0];
            }
            s.add_bounds({0, 0});
            s.add_bounds({float(img.pixels->width), float(img.pixels->height)});
            s.images.push_back(std::move(img));
        }
        const uint32_t auto_c = auto_color(e);
        if (auto pos = get(q, e, "Points2D:positions", ct::Position2D)) {
            const auto p = pos->values<float>();
            const auto colors = splat<uint32_t>(get(q, e, "Points2D:colors", ct::Color), auto_c);
            const auto radii =
                splat<float>(get(q, e, "Points2D:radii", ct::Radius), kDefaultPointRadius);
            for (size_t i = 0; i < pos->size(); ++i) {
                s.points.push_back({vec2_at(p, i), radii[i], colors[i], {ei, uint32_t(i)}});
                s.add_bounds(vec2_at(p, i));
            }
            if (auto labels = q.latest(e, "Points2D:labels", &ct::Text)) {
                for (size_t i = 0; i < labels->size() && i < pos->size(); ++i)
                    s.labels.push_back({vec2_at(p, i), std::string(labels->string(i)), colors[i]});
            }
        }
        if (auto half = get(q, e, "Boxes2D:half_sizes", ct::HalfSize2D)) {
            auto centers = get(q, e, "Boxes2D:centers", ct::Position2D);
            const auto colors = splat<uint32_t>(get(q, e, "Boxes2D:colors", ct::Color), auto_c);
            const auto radii =
                splat<float>(get(q, e, "Boxes2D:radii", ct::Radius), kDefaultLineRadius);
            auto labels = q.latest(e, "Boxes2D:labels", &ct::Text);
            const size_t n = std::max(half->size(), centers ? centers->size() : 0);
            for (size_t i = 0; i < n; ++i) {
                const glm::vec2 h = vec2_at(half->values<float>(),
                                            half->size() == 1 ? 0 : std::min(i, half->size() - 1));
                glm::vec2 c(0.0f);
                if (centers)
                    c = vec2_at(centers->values<float>(),
                                centers->size() == 1 ? 0 : std::min(i, centers->size() - 1));
                const glm::vec2 p0 = c - h, p1 = c + h;
                const PickId id{ei, uint32_t(i)};
                add_segment(s, {p0.x, p0.y}, {p1.x, p0.y}, radii[i], colors[i], id);
                add_segment(s, {p1.x, p0.y}, {p1.x, p1.y}, radii[i], colors[i], id);
                add_segment(s, {p1.x, p1.y}, {p0.x, p1.y}, radii[i], colors[i], id);
                add_segment(s, {p0.x, p1.y}, {p0.x, p0.y}, radii[i], colors[i], id);
                if (labels && i < labels->size())
                    s.labels.push_back({p0, std::string(labels->string(i)), colors[i]});
            }
        }
        if (auto strips = get(q, e, "LineStrips2D:strips", ct::LineStrip2D)) {
            const auto colors =
                splat<uint32_t>(get(q, e, "LineStrips2D:colors", ct::Color), auto_c);
            const auto radii =
                splat<float>(get(q, e, "LineStrips2D:radii", ct::Radius), kDefaultLineRadius);
            for (size_t i = 0; i < strips->size(); ++i) {
                const auto pts = strips->list<float>(i);
                for (size_t k = 1; k < pts.size() / 2; ++k)
                    add_segment(s, vec2_at(pts, k - 1), vec2_at(pts, k), radii[i], colors[i],
                                {ei, uint32_t(i)});
            }
        }
        if (auto vectors = get(q, e, "Arrows2D:vectors", ct::Vector2D)) {
            auto origins = get(q, e, "Arrows2D:origins", ct::Position2D);
            const auto colors = splat<uint32_t>(get(q, e, "Arrows2D:colors", ct::Color), auto_c);
            const auto radii =
                splat<float>(get(q, e, "Arrows2D:radii", ct::Radius), kDefaultLineRadius);
            for (size_t i = 0; i < vectors->size(); ++i) {
                glm::vec2 o(0.0f);
                if (origins)
                    o = vec2_at(origins->values<float>(),
                                origins->size() == 1 ? 0 : std::min(i, origins->size() - 1));
                const glm::vec2 v = vec2_at(vectors->values<float>(), i);
                const float len = glm::length(v);
                if (len <= 0) continue;
                const glm::vec2 d = v / len, n(-d.y, d.x);
                const glm::vec2 tip = o + v, back = tip - d * (len * 0.15f);
                const PickId id{ei, uint32_t(i)};
                add_segment(s, o, tip, radii[i], colors[i], id);
                add_segment(s, tip, back + n * (len * 0.07f), radii[i], colors[i], id);
                add_segment(s, tip, back - n * (len * 0.07f), radii[i], colors[i], id);
            }
        }
    }
    std::stable_sort(s.images.begin(), s.images.end(), [](const Image2D& a, const Image2D& b) {
        return a.draw_order < b.draw_order;
    });
}

}  // namespace rerun::viewer
