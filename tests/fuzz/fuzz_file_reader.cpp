// Fuzz target: the viewer's file reader (ingest::load_file) into a store hub, then queries.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "rerun/ingest/file_loader.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/store_hub.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const int fd = [] {
        // Decode issues are expected on every input; logging them would dominate the run.
        rerun::ingest::set_log_level(rerun::ingest::LogLevel::Error);
        return memfd_create("fuzz_file_reader", 0);
    }();
    if (fd < 0) return 0;
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != ssize_t(size)) return 0;
    rerun::ingest::StoreHub hub;
    // Inputs are at most -max_len (64 KiB) long: a small read buffer exercises reads that end
    // inside frames, and spares allocating the default 4 MiB on every input.
    rerun::ingest::FileLoaderOptions options;
    options.read_size = 4096;
    // Inputs of odd length are read on two threads (the reader and the frame checker), as
    // files of 64 MiB and more are.
    if (size % 2 == 1) options.two_threads_from_bytes = 0;
    rerun::ingest::load_file(hub, "/proc/self/fd/" + std::to_string(fd), options);
    for (const auto& store : hub.stores())
        (void)store;
    (void)hub.stats();
    return 0;
}
