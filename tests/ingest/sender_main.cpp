// ingest_test_sender: a minimal producer for the ingest tests and benchmarks. Speaks the wire
// protocol directly (hello, StoreInfo, chunks of f64 scalars, EndOfStream) over a plain socket,
// or writes the same frames into a .rrd file.
//
//   ingest_test_sender --port P --recording R --app A --entity /e --rows N [--rows-per-chunk K]
//                      [--first-time T] [--blob-bytes B] [--compress] [--no-eos]
//                      [--pause-after-chunks C]   send C chunks and half of the next, print
//                                                 "paused", then sleep (to be SIGKILLed)
//   ingest_test_sender --file out.rrd ...         write a file instead
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "rerun/core/handshake.hpp"
#include "test_data.hpp"

using namespace rerun;

namespace {

bool write_all(int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == ENOTSOCK) {
            const ssize_t w = ::write(fd, data, size);
            if (w <= 0) return false;
            data += w;
            size -= size_t(w);
            continue;
        }
        if (n <= 0) return false;
        data += n;
        size -= size_t(n);
    }
    return true;
}

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "ingest_test_sender: %s\n", why.c_str());
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1", file, recording = "rec", app = "app";
    int port = -1;
    ingest::testing::ScalarChunkSpec spec;
    spec.entity = "/sender";
    uint64_t rows = 1000, rows_per_chunk = 1000;
    int64_t pause_after = -1;
    bool eos = true, compress = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) fail(a + " needs a value");
            return argv[++i];
        };
        if (a == "--port")
            port = std::atoi(next().c_str());
        else if (a == "--host")
            host = next();
        else if (a == "--file")
            file = next();
        else if (a == "--recording")
            recording = next();
        else if (a == "--app")
            app = next();
        else if (a == "--entity")
            spec.entity = next();
        else if (a == "--rows")
            rows = std::strtoull(next().c_str(), nullptr, 10);
        else if (a == "--rows-per-chunk")
            rows_per_chunk = std::strtoull(next().c_str(), nullptr, 10);
        else if (a == "--first-time")
            spec.first_time = std::strtoll(next().c_str(), nullptr, 10);
        else if (a == "--blob-bytes")
            spec.blob_bytes = uint32_t(std::strtoul(next().c_str(), nullptr, 10));
        else if (a == "--pause-after-chunks")
            pause_after = std::strtoll(next().c_str(), nullptr, 10);
        else if (a == "--no-eos")
            eos = false;
        else if (a == "--compress")
            compress = true;
        else
            fail("unknown option " + a);
    }
    if (rows_per_chunk == 0) fail("--rows-per-chunk must be positive");

    int fd = -1;
    core::Bytes out;
    if (!file.empty()) {
        fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) fail("cannot create " + file);
        core::append_file_header(out);
    } else {
        if (port < 0) fail("--port or --file is required");
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(uint16_t(port));
        ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            fail("cannot connect to port " + std::to_string(port) + ": " + std::strerror(errno));
        }
        const auto hello = core::encode_hello();
        if (!write_all(fd, hello.data(), hello.size())) fail("cannot send the hello");
        std::array<uint8_t, core::wire::kReplyHeaderSize> reply{};
        size_t got = 0;
        while (got < reply.size()) {
            const ssize_t n = ::recv(fd, reply.data() + got, reply.size() - got, 0);
            if (n <= 0) fail("no handshake reply");
            got += size_t(n);
        }
        const auto header = core::parse_reply_header(reply);
        if (!header || header->status != core::wire::HandshakeStatus::Ok) fail("handshake refused");
    }

    core::EncodeOptions options;
    options.compress = compress;
    core::append_frame(out, ingest::testing::store_info(recording, app), options);
    uint64_t sent = 0, chunks = 0;
    const int64_t first_time = spec.first_time;
    while (sent < rows) {
        spec.rows = std::min(rows_per_chunk, rows - sent);
        spec.first_time = first_time + int64_t(sent);
        spec.first_value = double(sent);
        auto chunk = ingest::testing::scalar_chunk(spec);
        const core::Message message = ingest::testing::chunk_message(recording, chunk);
        if (pause_after >= 0 && int64_t(chunks) == pause_after) {
            // Half a frame, then wait to be killed.
            core::Bytes frame;
            core::append_frame(frame, message, options);
            out.insert(out.end(), frame.begin(), frame.begin() + long(frame.size() / 2));
            if (!write_all(fd, out.data(), out.size())) fail("send failed");
            std::printf("paused after %llu chunks, %llu rows\n",
                        static_cast<unsigned long long>(chunks),
                        static_cast<unsigned long long>(sent));
            std::fflush(stdout);
            while (true)
                std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        core::append_frame(out, message, options);
        sent += spec.rows;
        ++chunks;
        if (out.size() >= (size_t(1) << 20)) {
            if (!write_all(fd, out.data(), out.size()))
                fail("send failed after " + std::to_string(sent) + " rows");
            out.clear();
        }
    }
    if (eos)
        core::append_frame(out, core::EndOfStream{{core::StoreKind::Recording, recording}},
                           options);
    if (!write_all(fd, out.data(), out.size())) fail("send failed at the end");
    ::close(fd);
    std::printf("done rows=%llu chunks=%llu\n", static_cast<unsigned long long>(sent),
                static_cast<unsigned long long>(chunks));
    return 0;
}
