// The OpenGL 3.3 core renderer. Points are instanced camera-facing discs, line segments instanced
// screen-space quads (core profiles have no wide lines), triangles one flat-shaded batch. Each view
// renders into its own multisampled framebuffer, resolved into a texture that ImGui shows.
// Vertex buffers are refilled only when a scene's version changes.
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "gl_api.hpp"
#include "scene.hpp"

namespace rerun::viewer {

namespace {

const char* kPointVs = R"(#version 330 core
layout(location = 1) in vec3 center;
layout(location = 2) in float radius;
layout(location = 3) in vec4 color_abgr;
uniform mat4 view_proj;
uniform float proj_scale;
uniform float max_size;
out vec4 v_color;
void main() {
    vec4 clip = view_proj * vec4(center, 1.0);
    float px = radius < 0.0 ? -radius : radius * proj_scale / max(clip.w, 1e-6);
    gl_Position = clip;
    gl_PointSize = clamp(2.0 * px, 2.0, max_size);
    v_color = color_abgr.abgr;
}
)";

const char* kPointFs = R"(#version 330 core
in vec4 v_color;
out vec4 frag;
void main() {
    vec2 uv = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(uv, uv);
    if (r2 > 1.0) discard;
    frag = vec4(v_color.rgb * (0.7 + 0.3 * sqrt(1.0 - r2)), v_color.a);
}
)";

const char* kLineVs = R"(#version 330 core
layout(location = 0) in vec2 corner;
layout(location = 1) in vec3 a;
layout(location = 2) in float radius;
layout(location = 3) in vec3 b;
layout(location = 4) in vec4 color_abgr;
uniform mat4 view_proj;
uniform vec2 viewport;
uniform float proj_scale;
out vec4 v_color;
void main() {
    vec4 ca = view_proj * vec4(a, 1.0);
    vec4 cb = view_proj * vec4(b, 1.0);
    const float eps = 1e-5;
    if (ca.w < eps && cb.w < eps) { gl_Position = vec4(2.0, 2.0, 2.0, 1.0); return; }
    // Clip to the near side so segments crossing the camera plane stay sane.
    if (ca.w < eps) ca = mix(ca, cb, (eps - ca.w) / (cb.w - ca.w));
    if (cb.w < eps) cb = mix(cb, ca, (eps - cb.w) / (ca.w - cb.w));
    vec2 sa = ca.xy / ca.w * viewport * 0.5;
    vec2 sb = cb.xy / cb.w * viewport * 0.5;
    vec2 d = sb - sa;
    vec2 dir = length(d) > 1e-6 ? normalize(d) : vec2(1.0, 0.0);
    vec2 n = vec2(-dir.y, dir.x);
    vec4 c = corner.x < 0.5 ? ca : cb;
    float px = radius < 0.0 ? -radius : radius * proj_scale / c.w;
    px = max(px, 0.6);
    c.xy += n * corner.y * px / (viewport * 0.5) * c.w;
    gl_Position = c;
    v_color = color_abgr.abgr;
}
)";

const char* kLineFs = R"(#version 330 core
in vec4 v_color;
out vec4 frag;
void main() { frag = v_color; }
)";

const char* kMeshVs = R"(#version 330 core
layout(location = 0) in vec3 position;
layout(location = 1) in vec4 color_abgr;
uniform mat4 view_proj;
out vec3 v_world;
out vec4 v_color;
void main() {
    gl_Position = view_proj * vec4(position, 1.0);
    v_world = position;
    v_color = color_abgr.abgr;
}
)";

const char* kMeshFs = R"(#version 330 core
in vec3 v_world;
in vec4 v_color;
uniform vec3 eye;
out vec4 frag;
void main() {
    vec3 n = normalize(cross(dFdx(v_world), dFdy(v_world)));
    vec3 l = normalize(eye - v_world);
    float lambert = abs(dot(n, l));
    frag = vec4(v_color.rgb * (0.35 + 0.65 * lambert), v_color.a);
}
)";

GLuint compile(GLenum kind, const char* source) {
    const GLuint s = glCreateShader(kind);
    glShaderSource(s, 1, &source, nullptr);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetShaderInfoLog(s, sizeof log, nullptr, log);
        std::fprintf(stderr, "rerun: shader compile error: %s\n", log);
    }
    return s;
}

GLuint link(const char* vs, const char* fs) {
    const GLuint p = glCreateProgram();
    const GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
    glAttachShader(p, v);
    glAttachShader(p, f);
    glLinkProgram(p);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetProgramInfoLog(p, sizeof log, nullptr, log);
        std::fprintf(stderr, "rerun: shader link error: %s\n", log);
    }
    glDeleteShader(v);
    glDeleteShader(f);
    return p;
}

// GPU copies of one scene's arrays.
struct SceneBuffers {
    uint64_t version = ~uint64_t(0);
    GLuint points_vao = 0, points_vbo = 0;
    GLuint lines_vao = 0, lines_vbo = 0;
    GLuint mesh_vao = 0, mesh_vbo = 0;
    GLsizei points = 0, lines = 0, vertices = 0;
};

struct Target {
    int width = 0, height = 0;
    GLuint msaa_fbo = 0, msaa_color = 0, msaa_depth = 0;
    GLuint resolve_fbo = 0, texture = 0;
    SceneBuffers scene, overlay;
};

class GlRenderer final : public Renderer {
  public:
    GlRenderer() {
        point_prog_ = link(kPointVs, kPointFs);
        line_prog_ = link(kLineVs, kLineFs);
        mesh_prog_ = link(kMeshVs, kMeshFs);
        const float quad[8] = {-1, -1, 1, -1, -1, 1, 1, 1};
        glGenBuffers(1, &quad_vbo_);
        glBindBuffer(GL_ARRAY_BUFFER, quad_vbo_);
        glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
        // Lines: x in {0, 1} picks the end, y in {-1, 1} the side.
        const float line_quad[8] = {0, -1, 1, -1, 0, 1, 1, 1};
        glGenBuffers(1, &line_quad_vbo_);
        glBindBuffer(GL_ARRAY_BUFFER, line_quad_vbo_);
        glBufferData(GL_ARRAY_BUFFER, sizeof line_quad, line_quad, GL_STATIC_DRAW);
        glBindBuffer(GL_ARRAY_BUFFER, 0);
        GLint samples = 0;
        glGetIntegerv(GL_MAX_SAMPLES, &samples);
        samples_ = std::min(4, int(samples));
        // Software rasterisers (llvmpipe, softpipe) pay 3-4x for MSAA: off there.
        const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
        if (renderer && (std::strstr(renderer, "llvmpipe") || std::strstr(renderer, "softpipe")))
            samples_ = 0;
        if (const char* env = std::getenv("RERUN_MSAA")) samples_ = std::atoi(env);
        GLfloat range[2] = {1, 64};
        glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, range);
        max_point_size_ = range[1];
    }

    ~GlRenderer() override {
        for (auto& [key, t] : targets_)
            free_target(t);
        for (auto& [key, img] : images_)
            glDeleteTextures(1, &img.texture);
        glDeleteBuffers(1, &quad_vbo_);
        glDeleteBuffers(1, &line_quad_vbo_);
        glDeleteProgram(point_prog_);
        glDeleteProgram(line_prog_);
        glDeleteProgram(mesh_prog_);
    }

    uint64_t render3d(uint64_t key, const Scene3D& scene, const Scene3D& overlay,
                      const Frame3D& frame) override {
        if (frame.width <= 0 || frame.height <= 0) return 0;
        Target& t = targets_[key];
        ensure_target(t, frame.width, frame.height);
        upload(t.scene, scene);
        upload(t.overlay, overlay);
        ++stats_.frames3d;

        GLint prev_fbo = 0, prev_viewport[4];
        glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &prev_fbo);
        glGetIntegerv(GL_VIEWPORT, prev_viewport);

        glBindFramebuffer(GL_FRAMEBUFFER, t.msaa_fbo ? t.msaa_fbo : t.resolve_fbo);
        glViewport(0, 0, frame.width, frame.height);
        const uint32_t bg = frame.background;
        glClearColor(float(bg >> 24) / 255.0f, float((bg >> 16) & 0xff) / 255.0f,
                     float((bg >> 8) & 0xff) / 255.0f, 1.0f);
        glClearDepth(1.0);
        glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        glEnable(GL_DEPTH_TEST);
        glDepthFunc(GL_LEQUAL);
        glEnable(GL_PROGRAM_POINT_SIZE);
        glDisable(GL_CULL_FACE);
        glDisable(GL_SCISSOR_TEST);
        glEnable(GL_BLEND);
        glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);

        const float proj_scale = frame.view_projection[1][1] * float(frame.height) * 0.5f;
        auto common = [&](GLuint prog) {
            glUseProgram(prog);
            glUniformMatrix4fv(glGetUniformLocation(prog, "view_proj"), 1, GL_FALSE,
                               &frame.view_projection[0][0]);
            glUniform2f(glGetUniformLocation(prog, "viewport"), float(frame.width),
                        float(frame.height));
            glUniform1f(glGetUniformLocation(prog, "proj_scale"), proj_scale);
            glUniform3f(glGetUniformLocation(prog, "eye"), frame.eye.x, frame.eye.y, frame.eye.z);
        };
        stats_.points_drawn = stats_.lines_drawn = stats_.triangles_drawn = 0;
        for (SceneBuffers* b : {&t.overlay, &t.scene}) {
            if (b->vertices > 0) {
                common(mesh_prog_);
                glBindVertexArray(b->mesh_vao);
                glDrawArrays(GL_TRIANGLES, 0, b->vertices);
                stats_.triangles_drawn += uint64_t(b->vertices / 3);
            }
            if (b->lines > 0) {
                common(line_prog_);
                glBindVertexArray(b->lines_vao);
                glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, b->lines);
                stats_.lines_drawn += uint64_t(b->lines);
            }
            if (b->points > 0) {
                common(point_prog_);
                glUniform1f(glGetUniformLocation(point_prog_, "max_size"), max_point_size_);
                glBindVertexArray(b->points_vao);
                glDrawArrays(GL_POINTS, 0, b->points);
                stats_.points_drawn += uint64_t(b->points);
            }
        }
        glBindVertexArray(0);
        glUseProgram(0);
        glDisable(GL_DEPTH_TEST);
        glDisable(GL_PROGRAM_POINT_SIZE);

        if (t.msaa_fbo) {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, t.msaa_fbo);
            glBindFramebuffer(GL_DRAW_FRAMEBUFFER, t.resolve_fbo);
            glBlitFramebuffer(0, 0, frame.width, frame.height, 0, 0, frame.width, frame.height,
                              GL_COLOR_BUFFER_BIT, GL_NEAREST);
        }
        glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prev_fbo));
        glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
        return t.texture;
    }

    uint64_t image_texture(uint64_t key, uint64_t version, const ImageRGBA& image) override {
        Image& img = images_[key];
        if (img.texture != 0 && img.version == version) return img.texture;
        if (img.texture == 0) glGenTextures(1, &img.texture);
        glBindTexture(GL_TEXTURE_2D, img.texture);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        // Magnified pixels stay crisp: users zoom in to inspect them.
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA,
                     GL_UNSIGNED_BYTE, image.rgba.data());
        glBindTexture(GL_TEXTURE_2D, 0);
        img.version = version;
        ++stats_.image_uploads;
        return img.texture;
    }

    void release(uint64_t key) override {
        if (auto it = targets_.find(key); it != targets_.end()) {
            free_target(it->second);
            targets_.erase(it);
        }
        if (auto it = images_.find(key); it != images_.end()) {
            glDeleteTextures(1, &it->second.texture);
            images_.erase(it);
        }
    }

    Stats stats() const override { return stats_; }

  private:
    struct Image {
        GLuint texture = 0;
        uint64_t version = 0;
    };

    void ensure_target(Target& t, int w, int h) {
        if (t.width == w && t.height == h && t.resolve_fbo) return;
        if (t.resolve_fbo) {
            glDeleteFramebuffers(1, &t.resolve_fbo);
            glDeleteTextures(1, &t.texture);
            if (t.msaa_fbo) {
                glDeleteFramebuffers(1, &t.msaa_fbo);
                glDeleteRenderbuffers(1, &t.msaa_color);
            }
            glDeleteRenderbuffers(1, &t.msaa_depth);
            t.msaa_fbo = t.msaa_color = t.msaa_depth = t.resolve_fbo = t.texture = 0;
        }
        t.width = w;
        t.height = h;
        glGenTextures(1, &t.texture);
        glBindTexture(GL_TEXTURE_2D, t.texture);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glBindTexture(GL_TEXTURE_2D, 0);
        glGenFramebuffers(1, &t.resolve_fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, t.resolve_fbo);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t.texture, 0);
        glGenRenderbuffers(1, &t.msaa_depth);
        glBindRenderbuffer(GL_RENDERBUFFER, t.msaa_depth);
        if (samples_ > 1) {
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples_, GL_DEPTH_COMPONENT24, w, h);
            glGenRenderbuffers(1, &t.msaa_color);
            glBindRenderbuffer(GL_RENDERBUFFER, t.msaa_color);
            glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples_, GL_RGBA8, w, h);
            glGenFramebuffers(1, &t.msaa_fbo);
            glBindFramebuffer(GL_FRAMEBUFFER, t.msaa_fbo);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                      t.msaa_color);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER,
                                      t.msaa_depth);
        } else {
            glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
            glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER,
                                      t.msaa_depth);
        }
        glBindRenderbuffer(GL_RENDERBUFFER, 0);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
    }

    void free_target(Target& t) {
        for (SceneBuffers* b : {&t.scene, &t.overlay}) {
            const GLuint vaos[3] = {b->points_vao, b->lines_vao, b->mesh_vao};
            const GLuint vbos[3] = {b->points_vbo, b->lines_vbo, b->mesh_vbo};
            glDeleteVertexArrays(3, vaos);
            glDeleteBuffers(3, vbos);
        }
        glDeleteFramebuffers(1, &t.resolve_fbo);
        glDeleteTextures(1, &t.texture);
        if (t.msaa_fbo) glDeleteFramebuffers(1, &t.msaa_fbo);
        if (t.msaa_color) glDeleteRenderbuffers(1, &t.msaa_color);
        if (t.msaa_depth) glDeleteRenderbuffers(1, &t.msaa_depth);
    }

    void upload(SceneBuffers& b, const Scene3D& s) {
        if (b.version == s.version && b.points_vao) return;
        b.version = s.version;
        ++stats_.scene_uploads;
        if (!b.points_vao) {
            glGenVertexArrays(1, &b.points_vao);
            glGenBuffers(1, &b.points_vbo);
            glGenVertexArrays(1, &b.lines_vao);
            glGenBuffers(1, &b.lines_vbo);
            glGenVertexArrays(1, &b.mesh_vao);
            glGenBuffers(1, &b.mesh_vbo);
            // Points: one GL point sprite per point (a single vertex each: far cheaper than
            // instanced quads, on software rasterisers above all).
            glBindVertexArray(b.points_vao);
            glBindBuffer(GL_ARRAY_BUFFER, b.points_vbo);
            const GLsizei ps = sizeof(PointInstance);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, ps,
                                  (void*)offsetof(PointInstance, position));
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, ps,
                                  (void*)offsetof(PointInstance, radius));
            glEnableVertexAttribArray(3);
            glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, ps,
                                  (void*)offsetof(PointInstance, color));
            // Lines.
            glBindVertexArray(b.lines_vao);
            glBindBuffer(GL_ARRAY_BUFFER, line_quad_vbo_);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
            glBindBuffer(GL_ARRAY_BUFFER, b.lines_vbo);
            const GLsizei ls = sizeof(LineInstance);
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, ls, (void*)offsetof(LineInstance, a));
            glVertexAttribDivisor(1, 1);
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, ls,
                                  (void*)offsetof(LineInstance, radius));
            glVertexAttribDivisor(2, 1);
            glEnableVertexAttribArray(3);
            glVertexAttribPointer(3, 3, GL_FLOAT, GL_FALSE, ls, (void*)offsetof(LineInstance, b));
            glVertexAttribDivisor(3, 1);
            glEnableVertexAttribArray(4);
            glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, ls,
                                  (void*)offsetof(LineInstance, color));
            glVertexAttribDivisor(4, 1);
            // Triangles.
            glBindVertexArray(b.mesh_vao);
            glBindBuffer(GL_ARRAY_BUFFER, b.mesh_vbo);
            const GLsizei ms = sizeof(MeshVertex);
            glEnableVertexAttribArray(0);
            glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, ms,
                                  (void*)offsetof(MeshVertex, position));
            glEnableVertexAttribArray(1);
            glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, ms,
                                  (void*)offsetof(MeshVertex, color));
            glBindVertexArray(0);
        }
        glBindBuffer(GL_ARRAY_BUFFER, b.points_vbo);
        glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(s.points.size() * sizeof(PointInstance)),
                     s.points.data(), GL_STATIC_DRAW);
        glBindBuffer(GL_ARRAY_BUFFER, b.lines_vbo);
        glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(s.lines.size() * sizeof(LineInstance)),
                     s.lines.data(), GL_STATIC_DRAW);
        glBindBuffer(GL_ARRAY_BUFFER, b.mesh_vbo);
        glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(s.triangles.size() * sizeof(MeshVertex)),
                     s.triangles.data(), GL_STATIC_DRAW);
        glBindBuffer(GL_ARRAY_BUFFER, 0);
        b.points = GLsizei(s.points.size());
        b.lines = GLsizei(s.lines.size());
        b.vertices = GLsizei(s.triangles.size());
    }

    GLuint point_prog_ = 0, line_prog_ = 0, mesh_prog_ = 0;
    GLuint quad_vbo_ = 0, line_quad_vbo_ = 0;
    int samples_ = 0;
    float max_point_size_ = 64;
    std::map<uint64_t, Target> targets_;
    std::map<uint64_t, Image> images_;
    Stats stats_;
};

}  // namespace

std::unique_ptr<Renderer> make_gl_renderer() {
    return std::make_unique<GlRenderer>();
}

}  // namespace rerun::viewer
