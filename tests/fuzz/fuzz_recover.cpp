// Fuzz target: `rerun rrd recover` on a damaged file. Properties: exit code 0, 1 or 3, and when a
// file was written it decodes cleanly (recover verifies it, and so do we).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "rerun/core/codec.hpp"
#include "rerun/rrd/rrd_command.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string dir = [] {
        // tmpfs when there is one: recover fsyncs its output, which is cheap there.
        char pattern[] = "/dev/shm/fuzz_recover_XXXXXX";
        if (char* made = mkdtemp(pattern)) return std::string(made);
        char fallback[] = "/tmp/fuzz_recover_XXXXXX";
        return std::string(mkdtemp(fallback));
    }();
    // recover's messages are silenced during the call only, so libFuzzer's reports stay visible.
    static const int null_fd = ::open("/dev/null", O_WRONLY);
    static const int saved_stderr = ::dup(STDERR_FILENO);
    const std::string in = dir + "/in.rrd", out = dir + "/out.rrd";
    {
        std::ofstream f(in, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    }
    std::filesystem::remove(out);
    ::dup2(null_fd, STDERR_FILENO);
    const int code = rerun::rrd::run_rrd_command({"recover", "-o", out, in});
    ::dup2(saved_stderr, STDERR_FILENO);
    if (code != 0 && code != 1 && code != 3) __builtin_trap();
    if (code == 1) return 0;
    std::ifstream f(out, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    const std::string bytes = s.str();
    rerun::core::FrameDecoder decoder(rerun::core::FrameDecoder::Framing::File);
    decoder.feed({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    while (auto event = decoder.next()) {
        if (!std::holds_alternative<rerun::core::DecodedFrame>(*event)) __builtin_trap();
    }
    if (decoder.finish()) __builtin_trap();
    return 0;
}
