// The no-GPU renderer: records what it was asked to draw, so view logic is testable headless.
#include <map>

#include "scene.hpp"

namespace rerun::viewer {

namespace {

class MockRenderer final : public Renderer {
  public:
    uint64_t render3d(uint64_t target, const Scene3D& scene, const Scene3D& overlay,
                      const Frame3D&) override {
        ++stats_.frames3d;
        auto& uploaded = uploaded_[target];
        if (uploaded.first != scene.version || uploaded.second != overlay.version) {
            uploaded = {scene.version, overlay.version};
            ++stats_.scene_uploads;
        }
        stats_.points_drawn = scene.points.size() + overlay.points.size();
        stats_.lines_drawn = scene.lines.size() + overlay.lines.size();
        stats_.triangles_drawn = (scene.triangles.size() + overlay.triangles.size()) / 3;
        return target + 1;
    }
    uint64_t image_texture(uint64_t key, uint64_t version, const ImageRGBA&) override {
        auto it = images_.find(key);
        if (it == images_.end() || it->second != version) {
            images_[key] = version;
            ++stats_.image_uploads;
        }
        return key + 1;
    }
    void release(uint64_t key) override {
        uploaded_.erase(key);
        images_.erase(key);
    }
    Stats stats() const override { return stats_; }

  private:
    Stats stats_;
    std::map<uint64_t, std::pair<uint64_t, uint64_t>> uploaded_;
    std::map<uint64_t, uint64_t> images_;
};

}  // namespace

std::unique_ptr<Renderer> make_mock_renderer() {
    return std::make_unique<MockRenderer>();
}

}  // namespace rerun::viewer
