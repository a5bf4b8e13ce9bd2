// The TCP sink: a non-blocking connect plus the core handshake, then frames; reconnects when the
// viewer goes away and resends what it still holds. All socket work happens on the sink's own
// thread; send() only queues (bounded, dropping and counting beyond the bound).
//
// What the kernel accepted is not necessarily what the viewer processed: a viewer killed with
// data in its socket buffers (or in its --save buffer) loses it. So the sink keeps the most
// recently written frames (the resend window, within the buffer bound) and, when a connection
// is lost, queues them again ahead of everything else: the next viewer gets them (a viewer that
// already has a chunk ignores it by its id).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "internal.hpp"
#include "rerun/core/handshake.hpp"
#include "sink_queue.hpp"

namespace rerun::detail {

using Clock = std::chrono::steady_clock;

Result<std::pair<std::string, uint16_t>> parse_address(std::string_view url) {
    std::string_view rest = url;
    for (std::string_view scheme :
         {"rerun+http://", "rerun+https://", "rerun://", "http://", "https://", "tcp://"}) {
        if (rest.starts_with(scheme)) {
            rest.remove_prefix(scheme.size());
            break;
        }
    }
    if (const auto slash = rest.find('/'); slash != std::string_view::npos)
        rest = rest.substr(0, slash);
    std::string_view host = rest;
    std::string_view port_text;
    if (rest.starts_with('[')) {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return Error(ErrorCode::InvalidSocketAddress,
                         "bad address '" + std::string(url) + "': unclosed '['");
        }
        host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                return Error(ErrorCode::InvalidSocketAddress,
                             "bad address '" + std::string(url) + "'");
            }
            port_text = rest.substr(close + 2);
        }
    } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port_text = rest.substr(colon + 1);
    }
    if (host.empty()) {
        return Error(ErrorCode::InvalidSocketAddress,
                     "bad address '" + std::string(url) + "': no host (expected host:port)");
    }
    uint32_t port = 9876;
    if (!port_text.empty()) {
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535) {
            return Error(ErrorCode::InvalidSocketAddress, "bad address '" + std::string(url) +
                                                              "': bad port '" +
                                                              std::string(port_text) + "'");
        }
    }
    return std::pair<std::string, uint16_t>(std::string(host), uint16_t(port));
}

namespace {

struct ConnectOutcome {
    int fd = -1;
    ProbeResult result = ProbeResult::Refused;
    bool permanent = false;  // retrying cannot help (protocol version mismatch)
    std::string message;
};

int wait_fd(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return 0;
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, int(std::min<int64_t>(left, 100)));
        if (r < 0 && errno == EINTR) continue;
        if (r != 0) return r < 0 ? -1 : 1;
    }
}

bool send_all(int fd, const uint8_t* data, size_t size, Clock::time_point deadline) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            size -= size_t(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, POLLOUT, deadline) <= 0) return false;
            continue;
        }
        return false;
    }
    return true;
}

// Sends every byte of a blob, piece after piece.
bool send_blob(int fd, const Blob& blob, Clock::time_point deadline) {
    return blob.for_each_piece([&](std::span<const uint8_t> piece) {
        return send_all(fd, piece.data(), piece.size(), deadline);
    });
}

bool recv_all(int fd, uint8_t* data, size_t size, Clock::time_point deadline) {
    while (size > 0) {
        const ssize_t n = ::recv(fd, data, size, 0);
        if (n > 0) {
            data += n;
            size -= size_t(n);
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_fd(fd, POLLIN, deadline) <= 0) return false;
            continue;
        }
        return false;
    }
    return true;
}

// Connects (non-blocking, bounded by timeout) and performs the client side of the handshake.
ConnectOutcome connect_and_handshake(const std::string& host, uint16_t port, double timeout_secs) {
    ConnectOutcome out;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(timeout_secs));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const std::string port_text = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), port_text.c_str(), &hints, &list); rc != 0) {
        out.message = "cannot resolve '" + host + "': " + ::gai_strerror(rc);
        return out;
    }
    int fd = -1;
    std::string last_error = "no address";
    for (addrinfo* ai = list; ai != nullptr && fd < 0; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      ai->ai_protocol);
        if (fd < 0) {
            last_error = std::strerror(errno);
            continue;
        }
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            if (wait_fd(fd, POLLOUT, deadline) > 0) {
                int err = 0;
                socklen_t len = sizeof(err);
                ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                rc = err == 0 ? 0 : -1;
                errno = err;
            } else {
                errno = ETIMEDOUT;
            }
        }
        if (rc != 0) {
            last_error = std::strerror(errno);
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(list);
    if (fd >= 0 && core::connected_to_itself(fd)) {
        ::close(fd);
        fd = -1;
        last_error = "nothing listens there (the connection reached itself)";
    }
    if (fd < 0) {
        out.message = last_error;
        out.result = ProbeResult::Refused;
        return out;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

    const auto hello = core::encode_hello();
    std::array<uint8_t, core::wire::kReplyHeaderSize> reply{};
    if (!send_all(fd, hello.data(), hello.size(), deadline) ||
        !recv_all(fd, reply.data(), reply.size(), deadline)) {
        ::close(fd);
        out.result = Clock::now() >= deadline ? ProbeResult::Timeout : ProbeResult::NotOurs;
        out.message = Clock::now() >= deadline
                          ? "no handshake reply within the timeout (not a Rerun viewer?)"
                          : "the peer closed the connection during the handshake (not a Rerun "
                            "viewer of this project?)";
        return out;
    }
    const auto header = core::parse_reply_header(reply);
    if (!header) {
        ::close(fd);
        out.result = ProbeResult::NotOurs;
        out.message = "the peer does not speak this project's protocol (" +
                      core::describe_foreign_peer(reply) + ")";
        return out;
    }
    std::string text(std::min(header->message_len, core::wire::kMaxHandshakeMessage), '\0');
    if (!text.empty() &&
        !recv_all(fd, reinterpret_cast<uint8_t*>(text.data()), text.size(), deadline)) {
        text.clear();
    }
    if (header->status != core::wire::HandshakeStatus::Ok) {
        ::close(fd);
        out.result = ProbeResult::NotOurs;
        out.permanent = header->status == core::wire::HandshakeStatus::VersionMismatch;
        out.message = "the viewer refused the connection: " +
                      std::string(core::handshake_status_name(header->status)) +
                      (text.empty() ? "" : ": " + text);
        return out;
    }
    out.fd = fd;
    out.result = ProbeResult::Ours;
    return out;
}

// The resend window: half the buffer bound, at most 16 MiB (more than a viewer's socket buffers
// plus its 4 MiB --save buffer hold at once).
constexpr uint64_t kMaxResendBytes = 16ull << 20;
uint64_t resend_window(uint64_t buffer_bytes) {
    return std::min(buffer_bytes / 2, kMaxResendBytes);
}

std::string mib(uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    return buf;
}

class TcpSinkImpl final : public Sink {
  public:
    TcpSinkImpl(std::string host, uint16_t port, std::string addr, float flush_timeout_sec,
                uint64_t buffer_bytes, SinkCounters* counters)
        : host_(std::move(host)),
          port_(port),
          addr_(std::move(addr)),
          flush_timeout_sec_(flush_timeout_sec),
          counters_(counters),
          queue_(buffer_bytes, resend_window(buffer_bytes)) {}

    ~TcpSinkImpl() override { close(nullptr); }

    void start(BlobPtr store_info) override {
        preamble_ = std::move(store_info);
        thread_ = std::thread([this] { run(); });
    }

    void send(BlobPtr frames) override {
        if (!queue_.push(frames, false)) count_drop(*frames);
    }

    bool wait_drained(Clock::time_point deadline) override { return queue_.wait_drained(deadline); }
    std::string name() const override {
        return "the viewer at " + addr_ + " (is it running and reachable?)";
    }

    void close(BlobPtr end_of_stream) override {
        if (closed_.exchange(true)) return;
        if (end_of_stream) queue_.push(std::move(end_of_stream), true);
        close_deadline_ =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(std::max(0.f, flush_timeout_sec_)));
        closing_.store(true);
        queue_.close();
        if (thread_.joinable()) thread_.join();
    }

    std::shared_ptr<Sink> clone_for_child() const override {
        return std::make_shared<TcpSinkImpl>(host_, port_, addr_, flush_timeout_sec_,
                                             queue_.max_bytes(), counters_);
    }

  private:
    void count_drop(const Blob& b) {
        episode_dropped_frames_.fetch_add(std::max<uint64_t>(b.num_chunks, 1));
        episode_dropped_bytes_.fetch_add(b.size);
        counters_->frames_dropped.fetch_add(std::max<uint64_t>(b.num_chunks, 1));
        counters_->bytes_dropped.fetch_add(b.size);
    }

    void report_drops(const char* when) {
        const uint64_t frames = episode_dropped_frames_.exchange(0);
        const uint64_t bytes = episode_dropped_bytes_.exchange(0);
        if (frames == 0) return;
        log_warning("dropped " + std::to_string(frames) + " chunk(s) (" + mib(bytes) + ") for " +
                    addr_ + " " + when + ": the buffer limit (" + mib(queue_.max_bytes()) +
                    ") was reached while the viewer was unreachable");
    }

    bool closing_expired() const { return closing_.load() && Clock::now() >= close_deadline_; }

    void run() {
        name_this_thread("rerun-tcp-sink");
        using namespace std::chrono_literals;
        int fd = -1;
        BlobPtr current;
        auto backoff = 100ms;
        bool warned = false;
        bool gave_up = false;
        size_t backlog = 0;  // blobs queued when the connection was made, not yet sent
        while (!gave_up) {
            if (fd < 0) {
                if (closing_.load() && attempts_since_close_ >= 1 && closing_expired()) break;
                if (closing_.load()) ++attempts_since_close_;
                auto outcome = connect_and_handshake(host_, port_, 2.0);
                if (outcome.fd < 0) {
                    if (!warned) {
                        warned = true;
                        log_warning("cannot connect to the viewer at " + addr_ + ": " +
                                    outcome.message + "; buffering up to " +
                                    mib(queue_.max_bytes()) + " and retrying");
                    }
                    if (outcome.permanent) break;
                    if (closing_.load()) break;  // unreachable at close: give up now
                    const auto until = Clock::now() + backoff;
                    while (Clock::now() < until && !closing_.load())
                        std::this_thread::sleep_for(10ms);
                    backoff = std::min<std::chrono::milliseconds>(backoff * 2, 1000ms);
                    continue;
                }
                fd = outcome.fd;
                counters_->tcp_connected.fetch_add(1);
                backoff = 100ms;
                warned = false;
                counters_->reconnects.fetch_add(1);
                // The outage's drops are reported once its backlog is delivered: until then
                // newer chunks may still find the buffer full, and belong to the same count.
                backlog = queue_.queued_count();
                if (backlog == 0) report_drops("while it was unreachable");
                if (!send_blob(fd, *preamble_, Clock::now() + std::chrono::seconds(10))) {
                    disconnect(fd);
                    continue;
                }
                counters_->bytes_written.fetch_add(preamble_->size);
            }
            if (!current) {
                current = queue_.pop_until(Clock::now() + 100ms);
                if (!current) {
                    if (queue_.is_closed()) break;  // closed and everything sent
                    if (peer_closed(fd)) {
                        disconnect(fd);
                        log_warning("the viewer at " + addr_ + " closed the connection; " +
                                    connection_lost(nullptr));
                    }
                    continue;
                }
            }
            const auto deadline = closing_.load() ? close_deadline_ : Clock::time_point::max();
            if (send_blob(fd, *current, deadline)) {
                counters_->bytes_written.fetch_add(current->size);
                queue_.done(current);
                current.reset();
                if (backlog > 0 && --backlog == 0) report_drops("while it was unreachable");
            } else {
                // Resend this frame from its start on the next connection, after the ones
                // written before it that the viewer may not have processed.
                disconnect(fd);
                const std::string what = connection_lost(std::move(current));
                current.reset();
                if (closing_expired()) break;
                log_warning("lost the connection to the viewer at " + addr_ + "; " + what);
            }
        }
        if (current) {
            count_drop(*current);
            queue_.done(current, false);
        }
        for (const auto& b : queue_.drop_all())
            count_drop(*b);
        if (fd >= 0) {
            ::shutdown(fd, SHUT_WR);
            disconnect(fd);
        }
        report_drops("before the stream was closed");
    }

    // Requeues the frames the lost connection may not have delivered; says what happens next.
    std::string connection_lost(BlobPtr in_flight) {
        const size_t resent = queue_.requeue_unconfirmed(std::move(in_flight));
        if (resent == 0) return "reconnecting";
        return "reconnecting; what was written to it last (" + std::to_string(resent) +
               " batch(es), at most " + mib(queue_.retain_bytes()) +
               ") will be sent again, as the viewer may not have processed it";
    }

    void disconnect(int& fd) {
        ::close(fd);
        fd = -1;
        counters_->tcp_connected.fetch_sub(1);
    }

    // After the handshake the viewer sends nothing, so readable means closed (or garbage).
    static bool peer_closed(int fd) {
        pollfd p{fd, POLLIN | POLLRDHUP, 0};
        if (::poll(&p, 1, 0) <= 0) return false;
        if (p.revents & (POLLERR | POLLHUP | POLLRDHUP)) return true;
        uint8_t byte;
        const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

    const std::string host_;
    const uint16_t port_;
    const std::string addr_;
    const float flush_timeout_sec_;
    SinkCounters* counters_;
    SinkQueue queue_;
    BlobPtr preamble_;
    std::thread thread_;
    std::atomic<bool> closed_{false};
    std::atomic<bool> closing_{false};
    Clock::time_point close_deadline_{};
    int attempts_since_close_ = 0;
    std::atomic<uint64_t> episode_dropped_frames_{0};
    std::atomic<uint64_t> episode_dropped_bytes_{0};
};

}  // namespace

ProbeResult probe_viewer(const std::string& host, uint16_t port, double timeout_secs,
                         std::string* detail) {
    auto outcome = connect_and_handshake(host, port, timeout_secs);
    if (outcome.fd >= 0) ::close(outcome.fd);
    if (detail) *detail = outcome.message;
    return outcome.result;
}

Result<std::shared_ptr<Sink>> make_tcp_sink(const std::string& addr, float flush_timeout_sec,
                                            uint64_t buffer_bytes, SinkCounters* counters) {
    auto parsed = parse_address(addr);
    if (parsed.is_err()) return parsed.error;
    const auto& [host, port] = parsed.value;
    return std::shared_ptr<Sink>(std::make_shared<TcpSinkImpl>(
        host, port, host + ":" + std::to_string(port), flush_timeout_sec, buffer_bytes, counters));
}

}  // namespace rerun::detail
