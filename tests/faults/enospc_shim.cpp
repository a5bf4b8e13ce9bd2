// Fault injection by LD_PRELOAD: write() to one file behaves as on a disk that is full once the
// file holds a given number of bytes: the write that crosses the limit is short (what fits), the
// next one fails with ENOSPC, as the kernel does. Everything else goes to the real write().
//   RERUN_FAULT_ENOSPC_PATH   the file (compared by device and inode)
//   RERUN_FAULT_ENOSPC_BYTES  how many bytes fit
// The SDK under test is not changed or mocked: only the disk is.
#include <dlfcn.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace {

using WriteFn = ssize_t (*)(int, const void*, size_t);

WriteFn real_write() {
    static const auto fn = reinterpret_cast<WriteFn>(::dlsym(RTLD_NEXT, "write"));
    return fn;
}

// The size the file may reach when `fd` is the target file; -1 otherwise.
off_t limit_for(int fd, off_t* size) {
    static const char* path = std::getenv("RERUN_FAULT_ENOSPC_PATH");
    static const char* bytes = std::getenv("RERUN_FAULT_ENOSPC_BYTES");
    if (path == nullptr || bytes == nullptr) return -1;
    struct stat fd_stat {};
    if (::fstat(fd, &fd_stat) != 0 || !S_ISREG(fd_stat.st_mode)) return -1;
    struct stat path_stat {};
    if (::stat(path, &path_stat) != 0) return -1;
    if (fd_stat.st_dev != path_stat.st_dev || fd_stat.st_ino != path_stat.st_ino) return -1;
    *size = fd_stat.st_size;
    return off_t(std::strtoll(bytes, nullptr, 10));
}

}  // namespace

extern "C" ssize_t write(int fd, const void* data, size_t count) {
    off_t size = 0;
    const off_t limit = limit_for(fd, &size);
    if (limit >= 0 && count > 0) {
        // The sink appends: the file's size is where this write lands.
        const off_t room = limit > size ? limit - size : 0;
        if (room == 0) {
            errno = ENOSPC;
            return -1;
        }
        if (off_t(count) > room) count = size_t(room);
    }
    return real_write()(fd, data, count);
}
