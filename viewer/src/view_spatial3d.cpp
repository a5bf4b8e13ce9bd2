// Spatial 3D view: points, boxes, line strips, arrows, meshes and pinhole frustums in world
// space, with an orbit camera, a ground grid and axes, hover tooltips and click selection.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "scene_builder.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

ImTextureID to_im(uint64_t tex) {
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex));
}

// Grid spacing: a power of ten near a tenth of the scene's size.
float grid_step(float extent) {
    return std::pow(10.0f, std::floor(std::log10(std::max(extent, 1e-3f) * 0.2f)));
}

class Spatial3DView final : public ViewBase {
  public:
    using ViewBase::ViewBase;

    void draw(ViewerState& state, const blueprint::View& view,
              const std::vector<EntityPath>& entities) override {
        const InputsKey key = inputs_key(state, entities, true, /*latest=*/true);
        if (!(key == built_)) {
            built_ = key;
            build_scene3d(state.query(), entities, scene_);
            if (!has_up_ && glm::length(scene_.up) > 0) {
                camera_.set_up(scene_.up);
                has_up_ = true;
                fitted_ = false;
            }
            if (!fitted_ && scene_.bounds.valid()) {
                camera_.fit(scene_.bounds);
                fitted_ = true;
            }
        }
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const ImVec2 size = ImGui::GetContentRegionAvail();
        if (size.x < 4 || size.y < 4) return;
        handle_input(state, pos, size);
        update_overlay();

        const ImGuiIO& io = ImGui::GetIO();
        if (state.options.benchmark_orbit) camera_.orbit(2.0f, 0.0f);
        Renderer::Frame3D frame;
        frame.width = int(size.x * io.DisplayFramebufferScale.x);
        frame.height = int(size.y * io.DisplayFramebufferScale.y);
        frame.view_projection = camera_.projection(size.x / size.y) * camera_.view();
        frame.eye = camera_.eye();
        frame.background = view.properties.background.value_or(0x15191eff);
        // The offscreen image is redrawn only when something it shows changed: hovering other
        // panels or scrubbing a plot costs nothing here.
        const RenderKey rk{frame.view_projection, frame.width,      frame.height,
                           scene_.version,        overlay_.version, frame.background};
        if (!(rk == rendered_) || tex_ == 0) {
            tex_ = state.renderer->render3d(target_id(), scene_, overlay_, frame);
            rendered_ = rk;
        }
        const uint64_t tex = tex_;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        // Framebuffer textures are stored bottom-up.
        dl->AddImage(to_im(tex), pos, ImVec2(pos.x + size.x, pos.y + size.y), ImVec2(0, 1),
                     ImVec2(1, 0));
        draw_labels(dl, pos, size);
        draw_hover(state, pos, size);
        // Small legend in the corner: what is shown.
        char info[96];
        std::snprintf(info, sizeof info, "%zu points  %zu lines  %zu triangles",
                      scene_.points.size(), scene_.lines.size(), scene_.triangles.size() / 3);
        dl->AddText(ImVec2(pos.x + 6, pos.y + size.y - ImGui::GetTextLineHeight() - 4),
                    IM_COL32(150, 155, 160, 200), info);
    }

    void release(Renderer& r) override {
        r.release(target_id());
        tex_ = 0;
    }

  private:
    uint64_t target_id() const { return std::hash<std::string>{}(key()); }

    void handle_input(ViewerState& state, ImVec2 pos, ImVec2 size) {
        ImGui::InvisibleButton("##canvas", size,
                               ImGuiButtonFlags_MouseButtonLeft |
                                   ImGuiButtonFlags_MouseButtonRight |
                                   ImGuiButtonFlags_MouseButtonMiddle);
        const ImGuiIO& io = ImGui::GetIO();
        hovered_ = ImGui::IsItemHovered();
        if (ImGui::IsItemActive()) {
            const ImVec2 d = io.MouseDelta;
            if (ImGui::IsMouseDragging(ImGuiMouseButton_Left) && !io.KeyShift) {
                camera_.orbit(d.x, d.y);
            } else if (ImGui::IsMouseDragging(ImGuiMouseButton_Right) ||
                       ImGui::IsMouseDragging(ImGuiMouseButton_Middle) ||
                       (ImGui::IsMouseDragging(ImGuiMouseButton_Left) && io.KeyShift)) {
                camera_.pan(d.x, d.y, size.y);
            }
        }
        if (hovered_ && io.MouseWheel != 0) camera_.zoom(std::pow(0.88f, io.MouseWheel));
        if (hovered_ && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
            camera_.fit(scene_.bounds);
        }
        // A click without a drag selects what is under the mouse (or clears the selection).
        if (ImGui::IsItemDeactivated() && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).x == 0 &&
            ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).y == 0 && hover_.valid) {
            state.selection = hover_;
        }
        if (!hovered_ || ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
            hover_ = {};
            pick_key_ = {};
            return;
        }
        // Picking is redone only when the mouse, the camera or the scene changed.
        const glm::vec2 mouse(io.MousePos.x - pos.x, io.MousePos.y - pos.y);
        const PickKey key{mouse, camera_.eye(), camera_.target, glm::vec2(size.x, size.y),
                          scene_.version};
        if (key == pick_key_) return;
        pick_key_ = key;
        hover_ = {};
        pick(mouse, size);
    }

    // Nearest point or line under the mouse, on the CPU.
    void pick(glm::vec2 mouse, ImVec2 size) {
        const glm::mat4 vp = camera_.projection(size.x / size.y) * camera_.view();
        const float proj_scale = vp[1][1] * size.y * 0.5f;
        float best = 1e30f;
        auto to_screen = [&](const glm::vec3& p, float& w) {
            const glm::vec4 c = vp * glm::vec4(p, 1);
            w = c.w;
            return glm::vec2((c.x / c.w * 0.5f + 0.5f) * size.x,
                             (0.5f - c.y / c.w * 0.5f) * size.y);
        };
        // Beyond a few million points the CPU pick costs more than a frame: skip it.
        if (scene_.points.size() <= 2'000'000) {
            for (size_t i = 0; i < scene_.points.size(); ++i) {
                const auto& p = scene_.points[i];
                float w;
                const glm::vec2 s = to_screen(p.position, w);
                if (w <= 0) continue;
                const float r = p.radius < 0 ? -p.radius : p.radius * proj_scale / w;
                const float d = glm::length(s - mouse);
                if (d <= std::max(r, 3.0f) + 2.0f && w < best) {
                    best = w;
                    hover_ = {scene_.entities[scene_.point_ids[i].entity],
                              scene_.point_ids[i].instance, true};
                    hover_pos_ = p.position;
                }
            }
        }
        if (hover_.valid) return;
        float best_d = 5.0f;
        for (size_t i = 0; i < scene_.lines.size() && i < 500'000; ++i) {
            const auto& l = scene_.lines[i];
            float wa, wb;
            const glm::vec2 a = to_screen(l.a, wa), b = to_screen(l.b, wb);
            if (wa <= 0 || wb <= 0) continue;
            const glm::vec2 ab = b - a;
            const float t =
                glm::clamp(glm::dot(mouse - a, ab) / std::max(glm::dot(ab, ab), 1e-6f), 0.0f, 1.0f);
            const float d = glm::length(a + t * ab - mouse);
            if (d < best_d) {
                best_d = d;
                hover_ = {scene_.entities[scene_.line_ids[i].entity], scene_.line_ids[i].instance,
                          true};
                hover_pos_ = glm::mix(l.a, l.b, t);
            }
        }
    }

    void draw_hover(ViewerState& state, ImVec2, ImVec2) {
        if (!hover_.valid) return;
        state.hovered = hover_;
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(hover_.entity.to_string().c_str());
        if (hover_.instance) ImGui::Text("instance #%u", *hover_.instance);
        ImGui::Text("position %.3f, %.3f, %.3f", hover_pos_.x, hover_pos_.y, hover_pos_.z);
        ImGui::TextDisabled("click to select");
        ImGui::EndTooltip();
    }

    void draw_labels(ImDrawList* dl, ImVec2 pos, ImVec2 size) {
        size_t n = 0;
        for (const auto& l : scene_.labels) {
            if (++n > 300) break;
            const glm::vec3 s = camera_.project(l.position, size.x, size.y);
            if (s.z < -1 || s.z > 1 || s.x < 0 || s.y < 0 || s.x > size.x || s.y > size.y) continue;
            const ImVec2 p(pos.x + s.x + 6, pos.y + s.y - ImGui::GetTextLineHeight() * 0.5f);
            const ImVec2 ts = ImGui::CalcTextSize(l.text.c_str());
            dl->AddRectFilled(ImVec2(p.x - 2, p.y), ImVec2(p.x + ts.x + 2, p.y + ts.y),
                              IM_COL32(0, 0, 0, 150), 2.0f);
            dl->AddText(p, IM_COL32(235, 235, 235, 255), l.text.c_str());
        }
    }

    // Ground grid in the plane through the origin perpendicular to `up`, and the axes.
    void update_overlay() {
        const Bounds& b = scene_.bounds;
        const float extent = b.valid() ? std::max(glm::length(b.max - b.min), 1.0f) : 10.0f;
        const glm::vec3 up = camera_.up;
        const float step = grid_step(extent);
        const uint64_t sig = uint64_t(std::hash<float>{}(step)) ^
                             (uint64_t(std::hash<float>{}(up.x + 2 * up.y + 4 * up.z)) << 1);
        if (sig == overlay_sig_ && overlay_.version) return;
        overlay_sig_ = sig;
        overlay_.clear();
        ++overlay_.version;
        const glm::vec3 ref = std::abs(up.x) < 0.9f ? glm::vec3(1, 0, 0) : glm::vec3(0, 1, 0);
        const glm::vec3 a = glm::normalize(ref - up * glm::dot(ref, up));
        const glm::vec3 c = glm::cross(up, a);
        const int n = 20;
        const float half = step * float(n);
        for (int i = -n; i <= n; ++i) {
            const uint32_t color = i == 0 ? 0x5a606aff : (i % 5 == 0 ? 0x3a3f48ff : 0x2a2e35ff);
            const float o = float(i) * step;
            overlay_.lines.push_back({a * o - c * half, -1.0f, a * o + c * half, color});
            overlay_.lines.push_back({c * o - a * half, -1.0f, c * o + a * half, color});
        }
        const float len = step * 2.0f;
        overlay_.lines.push_back({glm::vec3(0), -2.0f, glm::vec3(len, 0, 0), 0xe04040ff});
        overlay_.lines.push_back({glm::vec3(0), -2.0f, glm::vec3(0, len, 0), 0x40c040ff});
        overlay_.lines.push_back({glm::vec3(0), -2.0f, glm::vec3(0, 0, len), 0x4080ffff});
    }

    OrbitCamera camera_;
    bool fitted_ = false;
    bool has_up_ = false;
    bool hovered_ = false;
    InputsKey built_;
    Scene3D scene_;
    Scene3D overlay_;
    uint64_t overlay_sig_ = 0;
    struct RenderKey {
        glm::mat4 view_projection{0.0f};
        int width = 0, height = 0;
        uint64_t scene = 0, overlay = 0;
        uint32_t background = 0;
        bool operator==(const RenderKey&) const = default;
    };
    RenderKey rendered_;
    uint64_t tex_ = 0;
    struct PickKey {
        glm::vec2 mouse{-1.0f};
        glm::vec3 eye{0.0f}, target{0.0f};
        glm::vec2 size{0.0f};
        uint64_t version = 0;
        bool operator==(const PickKey&) const = default;
    };
    PickKey pick_key_;
    Selection hover_;
    glm::vec3 hover_pos_{0.0f};
};

}  // namespace

std::unique_ptr<ViewBase> make_spatial3d_view(const std::string& key) {
    return std::make_unique<Spatial3DView>(key);
}

}  // namespace rerun::viewer
