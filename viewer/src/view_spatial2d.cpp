// Spatial 2D view: images (colour and colour-mapped depth) as textures, with points, boxes, line
// strips and arrows drawn over them in pixel space; pan, zoom, hover and selection.
#include <imgui.h>

#include <cmath>

#include "panels.hpp"
#include "properties.hpp"
#include "scene_builder.hpp"
#include "view.hpp"

namespace rerun::viewer {

namespace {

ImTextureID to_im(uint64_t tex) {
    return reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex));
}

float px_radius(float r, float zoom, float fallback_px) {
    if (r < 0) return -r;
    if (r > 0) return r * zoom;
    return fallback_px;
}

float seg_distance(glm::vec2 p, glm::vec2 a, glm::vec2 b) {
    const glm::vec2 ab = b - a;
    const float t = glm::clamp(glm::dot(p - a, ab) / std::max(glm::dot(ab, ab), 1e-9f), 0.0f, 1.0f);
    return glm::length(a + t * ab - p);
}

class Spatial2DView final : public ViewBase {
  public:
    using ViewBase::ViewBase;

    void draw(ViewerState& state, const blueprint::View& view,
              const std::vector<EntityPath>& entities) override {
        const InputsKey key = inputs_key(state, entities, true, /*latest=*/true);
        if (!(key == built_)) {
            built_ = key;
            build_scene2d(state.query(), entities, images_, scene_);
        }
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        const ImVec2 size = ImGui::GetContentRegionAvail();
        if (size.x < 4 || size.y < 4) return;
        // Fitted once data is there, and again when the blueprint's axis ranges change.
        const auto& props = view.properties;
        if (props.x_range != fitted_x_ || props.y_range != fitted_y_) fitted_ = false;
        if (!fitted_ && (scene_.min.x <= scene_.max.x || props.x_range || props.y_range)) {
            fitted_x_ = props.x_range;
            fitted_y_ = props.y_range;
            fit(size);
            fitted_ = true;
        }
        ImGui::InvisibleButton(
            "##canvas", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
        const ImGuiIO& io = ImGui::GetIO();
        const bool hovered = ImGui::IsItemHovered();
        if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Left) ||
                                      ImGui::IsMouseDragging(ImGuiMouseButton_Right))) {
            offset_ += glm::vec2(io.MouseDelta.x, io.MouseDelta.y);
        }
        const glm::vec2 mouse(io.MousePos.x - pos.x, io.MousePos.y - pos.y);
        if (hovered && io.MouseWheel != 0) {
            // Zoom about the mouse: the scene point under it stays put.
            const glm::vec2 scene_pt = (mouse - offset_) / zoom_;
            zoom_ = std::clamp(zoom_ * std::pow(1.15f, io.MouseWheel), 1e-3f, 1e4f);
            offset_ = mouse - scene_pt * zoom_;
        }
        if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) fit(size);

        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->PushClipRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), true);
        dl->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y),
                          im_color(background_or(props, 0x15191eff)));
        auto to_screen = [&](glm::vec2 p) {
            return ImVec2(pos.x + offset_.x + p.x * zoom_, pos.y + offset_.y + p.y * zoom_);
        };
        for (const auto& img : scene_.images) {
            const uint64_t tex = state.renderer->image_texture(img.key, img.version, *img.pixels);
            const ImU32 tint =
                IM_COL32(255, 255, 255, int(std::clamp(img.opacity, 0.0f, 1.0f) * 255));
            dl->AddImage(to_im(tex), to_screen({0, 0}),
                         to_screen({float(img.pixels->width), float(img.pixels->height)}),
                         ImVec2(0, 0), ImVec2(1, 1), tint);
        }
        // Hover: the nearest point or segment within a few pixels.
        Selection hover;
        float best = 6.0f;
        for (const auto& s : scene_.segments) {
            const float r = px_radius(s.radius, zoom_, 1.0f);
            dl->AddLine(to_screen(s.a), to_screen(s.b), im_color(s.color),
                        std::max(r * 2.0f, 1.0f));
            if (hovered) {
                const ImVec2 a = to_screen(s.a), b = to_screen(s.b);
                const float d =
                    seg_distance(glm::vec2(io.MousePos.x, io.MousePos.y), {a.x, a.y}, {b.x, b.y});
                if (d < best) {
                    best = d;
                    hover = {scene_.entities[s.id.entity], s.id.instance, true};
                }
            }
        }
        for (const auto& p : scene_.points) {
            const float r = std::max(px_radius(p.radius, zoom_, 2.5f), 1.0f);
            const ImVec2 c = to_screen(p.position);
            dl->AddCircleFilled(c, r, im_color(p.color), r > 6 ? 24 : 12);
            if (hovered) {
                const float d = std::hypot(io.MousePos.x - c.x, io.MousePos.y - c.y);
                if (d < r + 3.0f && d < best + r) {
                    best = d - r;
                    hover = {scene_.entities[p.id.entity], p.id.instance, true};
                }
            }
        }
        size_t n = 0;
        for (const auto& l : scene_.labels) {
            if (++n > 300) break;
            const ImVec2 p = to_screen(l.position);
            const ImVec2 ts = ImGui::CalcTextSize(l.text.c_str());
            dl->AddRectFilled(ImVec2(p.x + 4, p.y - ts.y - 2), ImVec2(p.x + ts.x + 8, p.y),
                              IM_COL32(0, 0, 0, 160), 2.0f);
            dl->AddText(ImVec2(p.x + 6, p.y - ts.y - 1), IM_COL32(240, 240, 240, 255),
                        l.text.c_str());
        }
        dl->PopClipRect();

        if (hovered) {
            const glm::vec2 scene_pt = (mouse - offset_) / zoom_;
            ImGui::BeginTooltip();
            if (hover.valid) {
                state.hovered = hover;
                ImGui::TextUnformatted(hover.entity.to_string().c_str());
                if (hover.instance) ImGui::Text("instance #%u", *hover.instance);
            }
            ImGui::Text("pixel %.0f, %.0f", std::floor(scene_pt.x), std::floor(scene_pt.y));
            for (const auto& img : scene_.images) {
                const int x = int(std::floor(scene_pt.x)), y = int(std::floor(scene_pt.y));
                if (x < 0 || y < 0 || x >= img.pixels->width || y >= img.pixels->height) continue;
                const uint8_t* px =
                    &img.pixels->rgba[(size_t(y) * size_t(img.pixels->width) + size_t(x)) * 4];
                ImGui::Text("%s: rgba %u %u %u %u", img.entity.to_string().c_str(), px[0], px[1],
                            px[2], px[3]);
            }
            ImGui::EndTooltip();
            if (ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
                ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).x == 0 &&
                ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).y == 0 && hover.valid) {
                state.selection = hover;
            }
        }
    }

    void release(Renderer& r) override {
        for (const auto& img : scene_.images)
            r.release(img.key);
    }

  private:
    // Fits the blueprint's x/y ranges (pixel space) where set, else the scene's bounds.
    void fit(ImVec2 size) {
        glm::vec2 lo = scene_.min, hi = scene_.max;
        if (!(lo.x <= hi.x)) lo = {0, 0}, hi = {1, 1};
        if (fitted_x_) {
            lo.x = float(std::min(fitted_x_->first, fitted_x_->second));
            hi.x = float(std::max(fitted_x_->first, fitted_x_->second));
        }
        if (fitted_y_) {
            lo.y = float(std::min(fitted_y_->first, fitted_y_->second));
            hi.y = float(std::max(fitted_y_->first, fitted_y_->second));
        }
        const glm::vec2 ext = glm::max(hi - lo, glm::vec2(1e-3f));
        zoom_ = std::min(size.x / ext.x, size.y / ext.y) * 0.95f;
        offset_ = glm::vec2(size.x, size.y) * 0.5f - (lo + hi) * 0.5f * zoom_;
    }

    InputsKey built_;
    Scene2D scene_;
    ImageCache images_;
    bool fitted_ = false;
    std::optional<std::pair<double, double>> fitted_x_, fitted_y_;  // the ranges fitted last
    float zoom_ = 1.0f;
    glm::vec2 offset_{0.0f};
};

}  // namespace

std::unique_ptr<ViewBase> make_spatial2d_view(const std::string& key) {
    return std::make_unique<Spatial2DView>(key);
}

}  // namespace rerun::viewer
