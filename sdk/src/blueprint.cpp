// The blueprint builder and its encoding as a blueprint store (docs/format.md, "Blueprint
// stores"). The SDK depends on core only, so the store is written here with core's chunk types;
// the viewer reads it with rerun_blueprint, and tests/sdk/test_blueprint_roundtrip.cpp checks
// that both agree on every element.
#include "rerun/blueprint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "internal.hpp"
#include "rerun/core/chunk.hpp"
#include "rerun/core/codec.hpp"
#include "rerun/core/entity_path.hpp"
#include "rerun/core/message.hpp"
#include "rerun/recording_stream.hpp"

namespace rerun::blueprint {
inline namespace api {

namespace {

constexpr uint32_t kFormatVersion = 1;  // blueprint::kBlueprintFormatVersion
constexpr const char* kArchetype = "rerun.blueprint.Layout";

// Rules one per line: ';' and newlines separate them; blank ones are dropped.
std::string normalize_rules(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        const size_t end = text.find_first_of("\n;");
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty()) continue;
        if (!out.empty()) out += '\n';
        out += line;
    }
    return out.empty() ? std::string("+ $origin/**") : out;
}

}  // namespace

// ---- builder ------------------------------------------------------------------------------------

ViewBlueprint::ViewBlueprint(std::string_view view_class, std::string_view origin,
                             std::string_view contents, std::string_view name)
    : class_(view_class), origin_(origin), contents_(normalize_rules(contents)), name_(name) {}

ViewBlueprint ViewBlueprint::with_name(std::string_view name) const {
    auto v = *this;
    v.name_ = name;
    return v;
}
ViewBlueprint ViewBlueprint::with_origin(std::string_view origin) const {
    auto v = *this;
    v.origin_ = origin;
    return v;
}
ViewBlueprint ViewBlueprint::with_contents(std::string_view query) const {
    auto v = *this;
    v.contents_ = normalize_rules(query);
    return v;
}
ViewBlueprint ViewBlueprint::with_contents(const std::vector<std::string>& rules) const {
    std::string joined;
    for (const auto& r : rules)
        joined += r + "\n";
    return with_contents(joined);
}
ViewBlueprint ViewBlueprint::with_background(Color color) const {
    auto v = *this;
    v.background_ = color;
    return v;
}
ViewBlueprint ViewBlueprint::with_time_range(int64_t min, int64_t max) const {
    auto v = *this;
    v.time_range_ = {min, max};
    return v;
}
ViewBlueprint ViewBlueprint::with_x_range(double min, double max) const {
    auto v = *this;
    v.x_range_ = {min, max};
    return v;
}
ViewBlueprint ViewBlueprint::with_y_range(double min, double max) const {
    auto v = *this;
    v.y_range_ = {min, max};
    return v;
}

ContainerBlueprint::ContainerBlueprint(std::string_view kind, std::vector<BlueprintPart> children)
    : kind_(kind), children_(std::move(children)) {}

ContainerBlueprint ContainerBlueprint::with_name(std::string_view name) const {
    auto c = *this;
    c.name_ = name;
    return c;
}
ContainerBlueprint ContainerBlueprint::with_column_shares(std::vector<float> shares) const {
    auto c = *this;
    c.shares_ = std::move(shares);
    return c;
}
ContainerBlueprint ContainerBlueprint::with_row_shares(std::vector<float> shares) const {
    return with_column_shares(std::move(shares));
}
ContainerBlueprint ContainerBlueprint::with_active_tab(uint32_t index) const {
    auto c = *this;
    c.active_tab_ = index;
    return c;
}
ContainerBlueprint ContainerBlueprint::with_grid_columns(uint32_t columns) const {
    auto c = *this;
    c.grid_columns_ = columns;
    return c;
}

Blueprint::Blueprint(std::vector<BlueprintPart> parts) : root_("Grid", {}) {
    if (parts.size() == 1 && parts[0].container()) {
        root_ = *parts[0].container();
    } else {
        root_ = ContainerBlueprint("Grid", std::move(parts));
    }
}

// ---- encoding -----------------------------------------------------------------------------------

namespace {

std::string hex_id(uint64_t id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 0; i < 16; ++i)
        out[15 - i] = kHex[(id >> (4 * i)) & 15];
    return out;
}

uint64_t new_node_id() {
    thread_local std::mt19937_64 rng{std::random_device{}() ^
                                     (uint64_t(std::random_device{}()) << 32)};
    uint64_t id = 0;
    while (id == 0)
        id = rng();
    return id;
}

// One static one-row chunk of a node, built column by column.
class NodeRow {
  public:
    explicit NodeRow(core::EntityPath path) : chunk_(std::make_shared<core::Chunk>()) {
        chunk_->id = core::Tuid::make();
        chunk_->entity_path = std::move(path);
        chunk_->is_static = true;
        chunk_->num_rows = 1;
        chunk_->row_ids = core::Buffer::from_vector(std::vector<core::Tuid>{core::Tuid::make()});
    }
    void text(const char* component, const std::string& value) {
        auto& c = add(component, {core::ElementKind::Utf8, core::ScalarType::U8, 1});
        c.list_offsets =
            core::Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(value.size())});
        c.values = core::Buffer::copy_of(value.data(), value.size());
    }
    template <class T>
    void fixed(const char* component, core::ScalarType scalar, std::vector<T> values) {
        auto& c = add(component, {core::ElementKind::Fixed, scalar, uint16_t(values.size())});
        c.values = core::Buffer::from_vector(std::move(values));
    }
    template <class T>
    void list(const char* component, core::ScalarType scalar, std::vector<T> values) {
        auto& c = add(component, {core::ElementKind::List, scalar, 1});
        c.list_offsets =
            core::Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(values.size())});
        c.values = core::Buffer::from_vector(std::move(values));
    }
    core::ChunkPtr finish() { return std::move(chunk_); }

  private:
    core::ComponentColumn& add(const char* component, core::ElementType type) {
        core::ComponentColumn c;
        c.descriptor = {kArchetype, component, ""};
        c.type = type;
        c.num_rows = 1;
        chunk_->components.push_back(std::move(c));
        return chunk_->components.back();
    }
    std::shared_ptr<core::Chunk> chunk_;
};

Error encode_view(const ViewBlueprint& view, uint64_t id, std::vector<core::ChunkPtr>& out) {
    std::string error;
    const auto origin = core::EntityPath::parse(view.origin(), &error);
    if (!origin) {
        return Error(ErrorCode::InvalidEntityPath, "blueprint: the origin \"" + view.origin() +
                                                       "\" of a " + view.view_class() +
                                                       " view is not an entity path: " + error);
    }
    static constexpr const char* kClasses[] = {"Spatial3D", "Spatial2D", "TimeSeries", "TextLog",
                                               "TextDocument"};
    bool known = false;
    for (const char* c : kClasses)
        known = known || view.view_class() == c;
    if (!known) {
        return Error(ErrorCode::InvalidEnumValue,
                     "blueprint: unknown view class \"" + view.view_class() + "\"");
    }
    NodeRow row(core::EntityPath({"view", hex_id(id)}));
    row.text("View:class", view.view_class());
    row.text("View:name", view.name());
    row.text("View:origin", origin->to_string());
    row.text("View:contents", view.contents());
    if (view.background())
        row.fixed("View:background", core::ScalarType::U32,
                  std::vector<uint32_t>{view.background()->rgba});
    if (const auto& r = view.time_range())
        row.fixed("View:time_range", core::ScalarType::I64,
                  std::vector<int64_t>{r->first, r->second});
    if (const auto& r = view.x_range())
        row.fixed("View:x_range", core::ScalarType::F64, std::vector<double>{r->first, r->second});
    if (const auto& r = view.y_range())
        row.fixed("View:y_range", core::ScalarType::F64, std::vector<double>{r->first, r->second});
    out.push_back(row.finish());
    return Error::ok();
}

Error encode_container(const ContainerBlueprint& c, uint64_t id, int depth,
                       std::vector<core::ChunkPtr>& out) {
    if (depth > 60) return Error(ErrorCode::InvalidArchetypeField, "blueprint: nested too deeply");
    if (c.kind() != "Horizontal" && c.kind() != "Vertical" && c.kind() != "Grid" &&
        c.kind() != "Tabs") {
        return Error(ErrorCode::InvalidEnumValue,
                     "blueprint: unknown container kind \"" + c.kind() + "\"");
    }
    if (!c.shares().empty() && c.shares().size() != c.children().size()) {
        return Error(ErrorCode::InvalidArchetypeField,
                     "blueprint: a " + c.kind() + " container has " +
                         std::to_string(c.children().size()) + " children but " +
                         std::to_string(c.shares().size()) + " shares");
    }
    std::vector<uint64_t> ids;
    for (size_t i = 0; i < c.children().size(); ++i)
        ids.push_back(new_node_id());
    NodeRow row(core::EntityPath({"container", hex_id(id)}));
    row.text("Container:kind", c.kind());
    row.text("Container:name", c.name());
    row.list("Container:children", core::ScalarType::U64, ids);
    row.list("Container:shares", core::ScalarType::F32, c.shares());
    row.fixed("Container:active_tab", core::ScalarType::U32, std::vector<uint32_t>{c.active_tab()});
    row.fixed("Container:grid_columns", core::ScalarType::U32,
              std::vector<uint32_t>{c.grid_columns()});
    out.push_back(row.finish());
    for (size_t i = 0; i < c.children().size(); ++i) {
        const auto& child = c.children()[i];
        const Error err = child.view()
                              ? encode_view(*child.view(), ids[i], out)
                              : encode_container(*child.container(), ids[i], depth + 1, out);
        if (err.is_err()) return err;
    }
    return Error::ok();
}

}  // namespace

}  // namespace api
}  // namespace rerun::blueprint

namespace rerun::detail {

Result<std::vector<core::Message>> blueprint_messages(const blueprint::api::Blueprint& bp,
                                                      const std::string& application_id,
                                                      bool make_active, bool make_default) {
    const core::StoreId store{core::StoreKind::Blueprint, new_recording_id()};
    std::vector<core::ChunkPtr> chunks;
    const uint64_t root = blueprint::new_node_id();
    blueprint::NodeRow viewport(core::EntityPath({"viewport"}));
    viewport.fixed("Viewport:version", core::ScalarType::U32,
                   std::vector<uint32_t>{blueprint::kFormatVersion});
    viewport.fixed("Viewport:root", core::ScalarType::U64, std::vector<uint64_t>{root});
    viewport.fixed("Viewport:auto_layout", core::ScalarType::U8, std::vector<uint8_t>{0});
    chunks.push_back(viewport.finish());
    const Error err = blueprint::encode_container(bp.root(), root, 0, chunks);
    if (err.is_err()) return err;

    std::vector<core::Message> out;
    out.push_back(
        core::StoreInfo{store,
                        application_id,
                        core::now_nanos_since_epoch(),
                        {"cpp", "0.1.0", "blueprint (pid " + std::to_string(::getpid()) + ")"}});
    for (auto& chunk : chunks)
        out.push_back(core::ChunkMessage{store, std::move(chunk)});
    // Last, so that a viewer never activates a blueprint it has only partly received.
    if (make_active || make_default)
        out.push_back(core::BlueprintActivation{store, make_active, make_default});
    return out;
}

}  // namespace rerun::detail

namespace rerun::blueprint {
inline namespace api {

Error Blueprint::save(std::string_view application_id, std::string_view path) const {
    auto messages = detail::blueprint_messages(*this, std::string(application_id), true, false);
    if (messages.is_err()) return messages.error;
    core::Bytes bytes;
    core::append_file_header(bytes);
    for (const auto& m : messages.value)
        core::append_frame(bytes, m);
    const std::string target(path);
    const std::string temp = target + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Error(ErrorCode::FileOpenFailure,
                     "cannot write the blueprint to " + temp + ": " + std::strerror(errno));
    }
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const std::string why = std::strerror(errno);
            ::close(fd);
            ::unlink(temp.c_str());
            return Error(ErrorCode::FileWriteFailure, "cannot write " + temp + ": " + why);
        }
        done += size_t(n);
    }
    if (::close(fd) != 0 || ::rename(temp.c_str(), target.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        return Error(ErrorCode::FileWriteFailure, "cannot write " + target + ": " + why);
    }
    return Error::ok();
}

}  // namespace api
}  // namespace rerun::blueprint

namespace rerun {

Error RecordingStream::send_blueprint(const blueprint::api::Blueprint& bp, bool make_active,
                                      bool make_default) const {
    if (!enabled_) return Error::ok();
    auto messages = detail::blueprint_messages(bp, get_application_id(), make_active, make_default);
    if (messages.is_err()) {
        detail::report_error(messages.error);
        return messages.error;
    }
    // Data logged before goes first; the blueprint frames then share the data's sinks.
    impl_->flush_batcher(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    auto blob = detail::encode_messages(messages.value);
    impl_->dispatch(std::move(blob));
    return Error::ok();
}

}  // namespace rerun
