// Text document view: the latest TextDocument at the time cursor, plain text, or markdown shown
// as text with headings, bullets and code blocks set apart.
#include <imgui.h>

#include <sstream>

#include "view.hpp"

namespace rerun::viewer {

namespace {

namespace ct = core::component_types;

class TextDocumentView final : public ViewBase {
  public:
    using ViewBase::ViewBase;

    void draw(ViewerState& state, const blueprint::View&,
              const std::vector<EntityPath>& entities) override {
        const auto q = state.query();
        ImGui::BeginChild("##doc", ImVec2(0, 0), false);
        bool any = false;
        for (const auto& e : entities) {
            const auto text = q.latest(e, "TextDocument:text", &ct::Text);
            if (!text || text->empty()) continue;
            any = true;
            std::string media;
            if (auto m = q.latest(e, "TextDocument:media_type", &ct::MediaType); m && !m->empty())
                media = std::string(m->string(0));
            if (entities.size() > 1) ImGui::TextDisabled("%s", e.to_string().c_str());
            const std::string body(text->string(0));
            if (media == "text/markdown") {
                draw_markdown(state, body);
            } else {
                ImGui::PushTextWrapPos(0.0f);
                ImGui::TextUnformatted(body.c_str());
                ImGui::PopTextWrapPos();
            }
            ImGui::Separator();
        }
        if (!any) ImGui::TextDisabled("No document at this time.");
        ImGui::EndChild();
    }

  private:
    static void draw_markdown(ViewerState& state, const std::string& body) {
        std::istringstream in(body);
        std::string line;
        bool code = false;
        ImGui::PushTextWrapPos(0.0f);
        while (std::getline(in, line)) {
            if (line.rfind("```", 0) == 0) {
                code = !code;
                continue;
            }
            if (code) {
                ImGui::PushFont(state.fonts.mono);
                ImGui::TextColored(ImVec4(0.75f, 0.85f, 0.75f, 1), "%s", line.c_str());
                ImGui::PopFont();
            } else if (line.rfind("#", 0) == 0) {
                const size_t start = line.find_first_not_of("# ");
                ImGui::PushFont(state.fonts.large);
                ImGui::TextUnformatted(start == std::string::npos ? "" : line.c_str() + start);
                ImGui::PopFont();
            } else if (line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0) {
                ImGui::Bullet();
                ImGui::TextUnformatted(line.c_str() + 2);
            } else {
                ImGui::TextUnformatted(line.c_str());
            }
        }
        ImGui::PopTextWrapPos();
    }
};

}  // namespace

std::unique_ptr<ViewBase> make_text_document_view(const std::string& key) {
    return std::make_unique<TextDocumentView>(key);
}

}  // namespace rerun::viewer
