// A view: one class per kind (view_spatial3d.cpp, view_time_series.cpp, ...), registered in
// view_registry.cpp. The frame loop gives each view an ImGui window at the rectangle the layout
// chose; the view draws its content and keeps its own state (camera, zoom, caches) between frames.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "rerun/blueprint/blueprint.hpp"

namespace rerun::viewer {

class ViewBase {
  public:
    explicit ViewBase(std::string key) : key_(std::move(key)) {}
    virtual ~ViewBase() = default;
    ViewBase(const ViewBase&) = delete;
    ViewBase& operator=(const ViewBase&) = delete;

    // Draws the content into the current ImGui window. `entities`: what the view's query selects
    // and the user has not hidden.
    virtual void draw(ViewerState& state, const blueprint::View& view,
                      const std::vector<EntityPath>& entities) = 0;
    // Frees GPU resources (the view is going away while the GL context is current).
    virtual void release(Renderer&) {}

    const std::string& key() const { return key_; }

  private:
    std::string key_;
};

// What a view's content depends on; a view rebuilds its caches only when this changes.
struct InputsKey {
    uint64_t store = 0;  // RecordingStore::instance() (an address can be reused by the next one)
    uint64_t generation = 0;
    std::string timeline;
    TimeInt time = 0;
    uint64_t visibility = 0;
    uint64_t entities = 0;  // hash of the entity list
    uint64_t content = 0;   // latest-at signature (spatial views) or 0
    bool operator==(const InputsKey&) const = default;
};

// `with_time`: the content depends on the time cursor. Views that show latest-at values pass
// `latest` to key on which rows are shown instead of on the store's generation (cheaper while
// data streams into other entities).
inline InputsKey inputs_key(const ViewerState& state, const std::vector<EntityPath>& entities,
                            bool with_time, bool latest = false) {
    InputsKey k;
    k.store = state.store ? state.store->instance() : 0;
    if (latest) {
        k.content = state.query().latest_signature(state.entities, entities);
    } else {
        k.generation = state.store ? state.store->generation() : 0;
    }
    k.timeline = state.time.timeline();
    k.time = with_time && !latest ? state.time.time() : 0;
    k.visibility = state.visibility_generation;
    uint64_t h = 1469598103934665603ull;
    for (const auto& e : entities)
        h = (h ^ e.hash()) * 1099511628211ull;
    k.entities = h;
    return k;
}

using ViewFactory = std::unique_ptr<ViewBase> (*)(const std::string& key);

struct ViewClassInfo {
    blueprint::ViewClass cls;
    const char* title;  // shown when the view has no name
    ViewFactory make;
};

// Every view class, in one place.
std::span<const ViewClassInfo> view_classes();
std::unique_ptr<ViewBase> make_view(blueprint::ViewClass cls, const std::string& key);

std::unique_ptr<ViewBase> make_spatial3d_view(const std::string& key);
std::unique_ptr<ViewBase> make_spatial2d_view(const std::string& key);
std::unique_ptr<ViewBase> make_time_series_view(const std::string& key);
std::unique_ptr<ViewBase> make_text_log_view(const std::string& key);
std::unique_ptr<ViewBase> make_text_document_view(const std::string& key);

}  // namespace rerun::viewer
