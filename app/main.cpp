// The `rerun` executable: subcommands, then the viewer's flags (cli.cpp), then the mode.
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "rerun/ingest/forward.hpp"
#include "rerun/ingest/log.hpp"

namespace {

// Each connection is a descriptor; the default soft limit (often 1024) is too low for a viewer.
void raise_descriptor_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace rerun;
    std::vector<std::string> args(argv + 1, argv + argc);

    if (!args.empty()) {
        if (const auto* sub = app::find_subcommand(args.front())) {
            return sub->run(std::span<const std::string>(args).subspan(1));
        }
    }

    const auto parsed = app::parse_viewer_args(args);
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "rerun: error: %s\nTry 'rerun --help'.\n", parsed.error.c_str());
        return 2;
    }
    const auto& options = parsed.options;
    if (options.help) {
        std::fputs(app::viewer_usage().c_str(), stdout);
        return 0;
    }
    if (options.version) {
        std::printf("rerun %s\n", RERUN_VERSION);
        return 0;
    }
    if (options.quiet) ingest::set_log_level(ingest::LogLevel::Warn);
    raise_descriptor_limit();

    // `rerun FILES...` with a viewer already running: hand the files to it and exit (not with
    // --follow: following a file needs this process to keep reading it).
    if (!options.inputs.empty() && !options.new_viewer && !options.no_listen && !options.follow) {
        const std::string host =
            options.bind == "0.0.0.0" || options.bind == "::" ? "127.0.0.1" : options.bind;
        if (options.port != 0) {
            const auto r = ingest::forward_files(host, options.port, options.inputs);
            if (r.status == ingest::ForwardStatus::Forwarded) {
                ingest::log_info(r.message);
                return 0;
            }
            if (r.status != ingest::ForwardStatus::NoViewer) {
                ingest::log_error(r.message);
                return 1;
            }
        }
    }

    if (options.headless) return app::run_headless(options);
    return app::run_gui(options);
}
