#include "rerun/blueprint/persistence.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xxhash.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "rerun/blueprint/blueprint_store.hpp"

namespace rerun::blueprint {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxStem = 120;
constexpr size_t kHashSuffix = 17;  // "-" + 16 hex digits

bool ends_with_hash_suffix(const std::string& s) {
    if (s.size() < kHashSuffix || s[s.size() - kHashSuffix] != '-') return false;
    for (size_t i = s.size() - 16; i < s.size(); ++i) {
        if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

}  // namespace

fs::path default_blueprint_dir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/') {
        return fs::path(xdg) / "rerun" / "blueprints";
    }
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".local" / "share" / "rerun" / "blueprints";
}

std::string blueprint_file_stem(const std::string& application_id) {
    std::string stem;
    bool changed = application_id.empty();
    for (const char ch : application_id) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = std::isalnum(c) || c == '-' || c == '_' || (c == '.' && !stem.empty());
        stem.push_back(plain && c < 0x80 ? ch : '_');
        changed |= !(plain && c < 0x80);
    }
    if (stem.size() > kMaxStem - kHashSuffix) {
        stem.resize(kMaxStem - kHashSuffix);
        changed = true;
    }
    // An id that merely looks like one with a suffix gets a suffix too, so stems stay unique.
    if (changed || ends_with_hash_suffix(stem)) {
        static constexpr char kHex[] = "0123456789abcdef";
        const uint64_t h = XXH3_64bits(application_id.data(), application_id.size());
        stem.push_back('-');
        for (int i = 15; i >= 0; --i)
            stem.push_back(kHex[(h >> (4 * i)) & 15]);
    }
    if (stem.empty() || stem.front() == '-') stem.insert(stem.begin(), '_');
    return stem;
}

fs::path BlueprintStorage::path_for(const std::string& application_id) const {
    return dir_ / (blueprint_file_stem(application_id) + ".rbl");
}

bool BlueprintStorage::save(const std::string& application_id, const Blueprint& bp,
                            std::string* error) const {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
        *error = "cannot create " + dir_.string() + ": " + ec.message();
        return false;
    }
    const fs::path path = path_for(application_id);
    const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid());
    const core::Bytes bytes = encode_rbl(bp, application_id);
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        *error = "cannot write " + temp.string() + ": " + std::strerror(errno);
        return false;
    }
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            *error = "cannot write " + temp.string() + ": " + std::strerror(errno) +
                     (errno == ENOSPC ? " (the disk is full; the previous blueprint is kept)" : "");
            ::close(fd);
            ::unlink(temp.c_str());
            return false;
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        *error = "cannot write " + temp.string() + ": " + std::strerror(errno);
        ::unlink(temp.c_str());
        return false;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        *error =
            "cannot rename " + temp.string() + " to " + path.string() + ": " + std::strerror(errno);
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

std::optional<Blueprint> BlueprintStorage::load(const std::string& application_id,
                                                std::string* warning) const {
    const fs::path path = path_for(application_id);
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string bytes = buffer.str();
    std::string error;
    auto bp = decode_rbl({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}, &error);
    if (bp) return bp;
    const auto stamp = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    fs::path aside = path.string() + ".bad-" + std::to_string(stamp);
    std::error_code ec;
    fs::rename(path, aside, ec);
    if (warning) {
        *warning =
            "ignoring the saved blueprint " + path.string() + " (" + error + "); " +
            (ec ? "could not move it aside: " + ec.message() : "kept it as " + aside.string()) +
            "; using the default layout";
    }
    return std::nullopt;
}

size_t BlueprintStorage::reset() const {
    size_t removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() == ".rbl" && fs::remove(entry.path(), ec)) ++removed;
    }
    return removed;
}

}  // namespace rerun::blueprint
