// The one place that knows every view class.
#include "view.hpp"

namespace rerun::viewer {

namespace {
constexpr ViewClassInfo kViewClasses[] = {
    {blueprint::ViewClass::Spatial3D, "3D", &make_spatial3d_view},
    {blueprint::ViewClass::Spatial2D, "2D", &make_spatial2d_view},
    {blueprint::ViewClass::TimeSeries, "Time series", &make_time_series_view},
    {blueprint::ViewClass::TextLog, "Text log", &make_text_log_view},
    {blueprint::ViewClass::TextDocument, "Text", &make_text_document_view},
};
}  // namespace

std::span<const ViewClassInfo> view_classes() {
    return kViewClasses;
}

std::unique_ptr<ViewBase> make_view(blueprint::ViewClass cls, const std::string& key) {
    for (const auto& info : kViewClasses) {
        if (info.cls == cls) return info.make(key);
    }
    return nullptr;
}

}  // namespace rerun::viewer
