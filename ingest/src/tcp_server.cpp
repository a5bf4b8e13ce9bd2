#include "rerun/ingest/tcp_server.hpp"

#include <algorithm>
#include <atomic>
#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include <pthread.h>
#include <boost/asio.hpp>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "inflight_budget.hpp"
#include "rerun/core/codec.hpp"
#include "rerun/core/handshake.hpp"
#include "rerun/ingest/log.hpp"
#include "rerun/ingest/store_hub.hpp"
#include "slab_pool.hpp"

namespace rerun::ingest {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// A connection that keeps producing damaged frames is not a sender we can help.
constexpr uint64_t kMaxIssuesPerConnection = 64;
// After refusing a peer we wait this long for it to close before closing ourselves, so that
// our answer is not destroyed by a reset.
constexpr milliseconds kLingerAfterRefusal{500};
// Payload bytes still to come from which a read goes straight into the payload's buffer. Below,
// copying through the read buffer is cheaper than the extra read calls.
constexpr size_t kDirectReadMin = size_t(64) << 10;

bool looks_like_http1(std::span<const uint8_t> bytes) {
    static constexpr std::string_view kMethods[] = {
        "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (auto m : kMethods) {
        const size_t n = std::min(m.size(), text.size());
        if (n >= 3 && text.substr(0, n) == m.substr(0, n)) return true;
    }
    return false;
}

std::string seconds_text(Clock::duration d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", std::chrono::duration<double>(d).count());
    return buf;
}

struct Counters {
    std::atomic<uint64_t> accepted{0}, active{0}, handshakes_ok{0}, refused_busy{0},
        refused_foreign{0}, refused_version{0}, timeouts_handshake{0}, timeouts_idle{0},
        timeouts_slow{0}, evicted_idle{0}, dropped_too_large{0}, cut_mid_frame{0},
        bytes_received{0}, frames{0}, decode_issues{0};
};

}  // namespace

class TcpSession;

struct TcpServer::Impl {
    StoreHub& hub;
    ServerOptions options;
    milliseconds tick{1000};

    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::thread> threads;
    std::optional<tcp::acceptor> acceptor;
    std::optional<asio::steady_timer> accept_retry;
    uint16_t bound_port = 0;
    size_t next_context = 0;
    uint64_t next_number = 1;
    bool accept_error_reported = false;

    std::mutex sessions_mutex;
    std::unordered_map<TcpSession*, std::weak_ptr<TcpSession>> sessions;
    Counters counters;
    bool stopped = false;
    InflightBudget budget;
    // Payload slabs, reused once the store lets go of them (see slab_pool.hpp): a tenth of the
    // memory limit, what one eviction round frees.
    std::shared_ptr<SlabPool> slabs;
    std::optional<asio::steady_timer> slab_trim;  // every second, on contexts[0]
    bool slab_trim_stopped = false;               // on contexts[0]'s thread only

    Impl(StoreHub& h, ServerOptions o)
        : hub(h),
          options(std::move(o)),
          budget(options.max_inflight_bytes, read_size()),
          slabs(SlabPool::create([&h] { return h.memory_limit() / 10; })) {}

    size_t read_size() const { return std::max<size_t>(options.read_size, 64 * 1024); }

    void do_accept();
    // Every second: frees the pool's slabs once no connection has taken one for a while.
    void trim_slabs_periodically();
    // When full: closes the connection that has been silent longest, if for evict_idle_after.
    bool make_room();
    void refuse_busy(tcp::socket socket, const std::string& peer);
    void session_closed(TcpSession* s) {
        std::lock_guard lock(sessions_mutex);
        sessions.erase(s);
        counters.active.fetch_sub(1);
    }
};

static std::string endpoint_text(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    if (ec) return "unknown peer";
    if (ep.address().is_v6())
        return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
    return ep.address().to_string() + ":" + std::to_string(ep.port());
}

// One connection. All its handlers run on the thread of its io_context (one thread per
// context), so no strand is needed.
class TcpSession : public std::enable_shared_from_this<TcpSession> {
  public:
    TcpSession(TcpServer::Impl& server, tcp::socket socket, uint64_t number)
        : server_(server),
          socket_(std::move(socket)),
          timer_(socket_.get_executor()),
          peer_(endpoint_text(socket_)),
          name_("tcp " + peer_ + " #" + std::to_string(number)) {}

    void start() {
        started_ = Clock::now();
        touch(started_);
        boost::system::error_code ec;
        socket_.set_option(tcp::no_delay(true), ec);
        read_hello();
        arm_timer();
    }

    asio::any_io_executor executor() { return socket_.get_executor(); }

    // From any thread: how long a connection past its handshake has been silent (nullopt when it
    // is not streaming, or already chosen to make room).
    std::optional<Clock::duration> idle_for(Clock::time_point now) const {
        // A connection waiting for the in-flight budget is not silent: we are not reading it.
        if (!streaming_.load() || evicting_.load() || waiting_flag_.load()) return std::nullopt;
        return now - Clock::time_point(Clock::duration(last_bytes_ns_.load()));
    }
    // From any thread: closes this (idle) connection so that a new one can take its place.
    void evict_for_newcomer() {
        if (evicting_.exchange(true)) return;
        asio::post(socket_.get_executor(), [self = shared_from_this()] {
            if (self->closed_) return;
            self->server_.counters.evicted_idle.fetch_add(1);
            log_warn(self->name_ + ": silent for " +
                     seconds_text(Clock::now() - self->last_bytes_) +
                     " while the viewer is full (--max-connections); closed to make room");
            self->close();
        });
    }

    // From any thread.
    void close_from_outside() {
        asio::post(socket_.get_executor(), [self = shared_from_this()] {
            if (!self->closed_) self->close();
        });
    }

  private:
    enum class State { Handshake, Frames, Refusing };

    // ---- handshake ------------------------------------------------------------------------
    void read_hello() {
        socket_.async_read_some(
            asio::buffer(hello_.data() + hello_filled_, hello_.size() - hello_filled_),
            [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                self->on_hello_bytes(ec, n);
            });
    }

    void on_hello_bytes(const boost::system::error_code& ec, size_t n) {
        if (closed_) return;
        if (ec) {
            if (hello_filled_ == 0) {
                log_info(name_ + ": closed before sending anything (a port check?)");
            } else {
                log_warn(name_ + ": closed during the handshake after " +
                         std::to_string(hello_filled_) + " bytes; it looked like " +
                         describe_received());
                server_.counters.refused_foreign.fetch_add(1);
            }
            close();
            return;
        }
        hello_filled_ += n;
        touch(Clock::now());
        server_.counters.bytes_received.fetch_add(n);
        // Our magic is 8 bytes: a peer whose first bytes differ is foreign; no need to wait for
        // all 16 (a short HTTP request would otherwise sit until the timeout).
        const size_t magic_bytes = std::min(hello_filled_, core::wire::kStreamMagic.size());
        if (!std::equal(hello_.begin(), hello_.begin() + long(magic_bytes),
                        core::wire::kStreamMagic.begin())) {
            // A few more bytes make the log line (and an HTTP answer) possible.
            if (hello_filled_ < 4) {
                read_hello();
                return;
            }
            refuse_foreign();
            return;
        }
        if (hello_filled_ < hello_.size()) {
            read_hello();
            return;
        }
        const auto check =
            core::check_hello(std::span<const uint8_t, core::wire::kHelloSize>(hello_));
        switch (check.status) {
            case core::wire::HandshakeStatus::Ok:
                accept_stream();
                return;
            case core::wire::HandshakeStatus::VersionMismatch:
                server_.counters.refused_version.fetch_add(1);
                log_warn(name_ + ": refused: " + check.message);
                refuse(core::encode_reply(check.status, check.message));
                return;
            default:
                refuse_foreign();
                return;
        }
    }

    std::string describe_received() const {
        return core::describe_foreign_peer(std::span<const uint8_t>(hello_.data(), hello_filled_));
    }

    void refuse_foreign() {
        server_.counters.refused_foreign.fetch_add(1);
        const std::span<const uint8_t> got(hello_.data(), hello_filled_);
        const std::string what = describe_received();
        log_warn(name_ + ": refused: it looks like " + what +
                 ", not a Rerun SDK of this project (the port speaks the protocol of docs/)");
        if (looks_like_http1(got)) {
            const std::string body =
                "This is the data port of a Rerun viewer. It accepts recordings from the Rerun "
                "SDK of this project, not HTTP.\n";
            const std::string response =
                "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Connection: close\r\nContent-Length: " +
                std::to_string(body.size()) + "\r\n\r\n" + body;
            refuse(core::Bytes(response.begin(), response.end()));
        } else if (what.find("HTTP/2") != std::string::npos ||
                   what.find("TLS") != std::string::npos) {
            // Our reply would mean nothing to it; dropping is the clearest answer.
            close();
        } else {
            refuse(core::encode_reply(core::wire::HandshakeStatus::BadHello,
                                      "not a Rerun stream: expected the 16-byte hello"));
        }
    }

    // Sends `answer`, then closes once the peer closed or after a short linger.
    void refuse(core::Bytes answer) {
        state_ = State::Refusing;
        reply_ = std::move(answer);
        refuse_deadline_ = Clock::now() + kLingerAfterRefusal;
        asio::async_write(socket_, asio::buffer(reply_),
                          [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                              if (self->closed_) return;
                              if (ec) {
                                  self->close();
                                  return;
                              }
                              boost::system::error_code ignored;
                              self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                              self->discard_until_eof();
                          });
    }

    void discard_until_eof() {
        socket_.async_read_some(
            asio::buffer(discard_),
            [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                if (self->closed_) return;
                if (ec) {
                    self->close();
                } else {
                    self->discard_until_eof();
                }
            });
    }

    void accept_stream() {
        server_.counters.handshakes_ok.fetch_add(1);
        state_ = State::Frames;
        streaming_.store(true);
        core::DecoderLimits limits;
        limits.max_frame_bytes = server_.options.max_frame_bytes;
        // Decompressed size too: a small LZ4 frame must not expand past the limit.
        limits.max_raw_bytes = server_.options.max_frame_bytes;
        decoder_.emplace(core::FrameDecoder::Framing::Stream, limits);
        decoder_->set_slab_source([pool = server_.slabs] { return pool->take(); });
        source_.emplace(server_.hub, name_);
        log_info(name_ + ": connected");
        // The reply and the first reads may overlap: one write in flight, one read in flight.
        reply_ = core::encode_reply(core::wire::HandshakeStatus::Ok, "");
        asio::async_write(
            socket_, asio::buffer(reply_),
            [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                if (ec && !self->closed_) {
                    log_warn(self->name_ + ": could not send the handshake reply: " + ec.message());
                    self->close();
                }
            });
        boost::system::error_code ec;
        socket_.non_blocking(true, ec);
        wait_readable();
    }

    // ---- frames ---------------------------------------------------------------------------
    void wait_readable() {
        socket_.async_wait(tcp::socket::wait_read,
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                               self->on_readable(ec);
                           });
    }

    void on_readable(const boost::system::error_code& wait_error) {
        if (closed_) return;
        if (wait_error) {
            finish_stream(wait_error);
            return;
        }
        // One buffer per io thread: it is used only inside this handler, and the decoder copies
        // what it keeps.
        thread_local std::vector<uint8_t> buffer;
        const size_t want = server_.read_size();
        if (buffer.size() != want) buffer.resize(want);

        // What this turn may read without pushing the frames in flight past the budget.
        bool announce = false;
        const size_t allowed = size_t(server_.budget.acquire(
            budget_, want,
            [self = shared_from_this()] {
                asio::post(self->socket_.get_executor(), [self] { self->resume_after_wait(); });
            },
            &announce));
        if (allowed == 0) {
            start_waiting(announce);
            return;
        }

        const uint64_t frames_before = frames_;
        size_t this_turn = 0;
        while (this_turn < allowed) {
            boost::system::error_code ec;
            // The rest of a big payload is read straight into the payload's buffer (one copy
            // fewer); anything else through the thread's buffer. After a direct read the next
            // read takes just the frame header, so that the next big payload starts directly
            // too (else most of a 1 MB frame would arrive in one buffered read and be copied).
            const auto target = decoder_->direct_target();
            const bool direct = target.size() >= kDirectReadMin;
            size_t want = allowed - this_turn;
            if (!direct && after_direct_ && decoder_->header_bytes_wanted() != 0)
                want = std::min(want, decoder_->header_bytes_wanted());
            const size_t n =
                direct ? socket_.read_some(
                             asio::buffer(target.data(), std::min(target.size(), want)), ec)
                       : socket_.read_some(asio::buffer(buffer.data(), want), ec);
            if (ec == asio::error::would_block || ec == asio::error::try_again) break;
            if (ec) {
                finish_stream(ec);
                return;
            }
            after_direct_ = direct;
            this_turn += n;
            bytes_ += n;
            server_.counters.bytes_received.fetch_add(n, std::memory_order_relaxed);
            if (direct) {
                decoder_->commit_direct(n);
            } else {
                decoder_->feed({buffer.data(), n});
            }
            if (!drain_events()) return;
        }
        if (this_turn > 0) touch(Clock::now());
        track_partial_frame(frames_before);
        server_.budget.settle(budget_, decoder_->buffered());
        if (this_turn >= allowed) {
            // Let the other connections of this thread have their turn.
            asio::post(socket_.get_executor(),
                       [self = shared_from_this()] { self->on_readable({}); });
        } else {
            wait_readable();
        }
    }

    // Hands decoded frames to the hub. False when the connection was closed.
    bool drain_events() {
        while (auto event = decoder_->next()) {
            if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
                ++frames_;
                server_.counters.frames.fetch_add(1, std::memory_order_relaxed);
                source_->handle(std::move(frame->message));
                continue;
            }
            const auto& issue = std::get<core::DecodeIssue>(*event);
            server_.counters.decode_issues.fetch_add(1, std::memory_order_relaxed);
            ++issues_;
            if (issue.kind == core::DecodeIssue::Kind::TooLarge) {
                server_.counters.dropped_too_large.fetch_add(1);
                log_warn(name_ + ": " + issue.message + "; connection closed (limit " +
                         format_bytes(server_.options.max_frame_bytes) + ")");
                close();
                return false;
            }
            log_warn(name_ + ": " + issue.message);
            if (issue.is_fatal() || issues_ >= kMaxIssuesPerConnection) {
                log_warn(name_ + ": too many damaged frames; connection closed");
                close();
                return false;
            }
        }
        return true;
    }

    // After a read: whether a frame is incomplete, and since when. A frame completed during the
    // read means the incomplete one (if any) is new: its clock starts now.
    void track_partial_frame(uint64_t frames_before) {
        if (decoder_->buffered() == 0) {
            partial_ = false;
        } else if (!partial_ || frames_ != frames_before) {
            partial_ = true;
            partial_since_ = Clock::now();
            restart_rate_window(partial_since_);
        }
    }

    void restart_rate_window(Clock::time_point now) {
        window_start_ = now;
        window_bytes_ = bytes_;
    }

    // ---- the in-flight budget -------------------------------------------------------------
    void start_waiting(bool announce) {
        waiting_ = true;
        waiting_flag_.store(true);
        if (announce) {
            log_warn(name_ + ": frames being received hold " +
                     format_bytes(server_.budget.inflight()) + " of the " +
                     format_bytes(server_.budget.limit()) +
                     " allowed (--max-inflight-bytes); this and other connections wait (TCP "
                     "back-pressure) until frames complete or stalled peers time out");
        }
    }

    void resume_after_wait() {
        if (closed_ || !waiting_) return;
        waiting_ = false;
        waiting_flag_.store(false);
        // The wait was ours, not the peer's: its frame's rate is judged from now on.
        if (partial_) restart_rate_window(Clock::now());
        on_readable({});
    }

    void finish_stream(const boost::system::error_code& ec) {
        if (auto issue = decoder_->finish()) {
            server_.counters.cut_mid_frame.fetch_add(1);
            log_warn(name_ + ": disconnected inside a frame (" + issue->message +
                     "); that incomplete frame is dropped, the " + std::to_string(frames_) +
                     " complete frames before it are kept");
        } else {
            drain_events();
            log_info(name_ + ": closed (" + std::to_string(frames_) + " frames, " +
                     format_bytes(bytes_) + ")" +
                     (ec && ec != asio::error::eof ? ": " + ec.message() : std::string()));
        }
        close();
    }

    // ---- timeouts -------------------------------------------------------------------------
    void arm_timer() {
        timer_.expires_after(server_.tick);
        timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (ec || self->closed_) return;
            self->on_tick();
        });
    }

    void on_tick() {
        const auto now = Clock::now();
        const auto& o = server_.options;
        if (state_ == State::Handshake && now - started_ > o.handshake_timeout) {
            server_.counters.timeouts_handshake.fetch_add(1);
            log_warn(name_ + ": no complete hello after " + seconds_text(now - started_) +
                     " (received " + std::to_string(hello_filled_) + " bytes" +
                     (hello_filled_ ? ": " + describe_received() : std::string()) + "); closed");
            close();
            return;
        }
        if (state_ == State::Refusing && now > refuse_deadline_) {
            close();
            return;
        }
        if (state_ == State::Frames && !waiting_) {
            if (o.idle_timeout.count() > 0 && now - last_bytes_ > o.idle_timeout) {
                server_.counters.timeouts_idle.fetch_add(1);
                log_warn(name_ + ": idle for " + seconds_text(now - last_bytes_) +
                         " (--idle-timeout); closed");
                close();
                return;
            }
            // Judged per period of frame_timeout, so that a burst does not buy a later stall.
            if (partial_ && now - window_start_ >= o.frame_timeout) {
                const double secs = std::chrono::duration<double>(now - window_start_).count();
                const uint64_t got = bytes_ - window_bytes_;
                const double rate = double(got) / secs;
                if (rate < double(o.min_frame_rate)) {
                    server_.counters.timeouts_slow.fetch_add(1);
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.0f B/s", rate);
                    log_warn(name_ + ": a frame still incomplete after " +
                             seconds_text(now - partial_since_) + ", " + format_bytes(got) +
                             " of it in the last " + seconds_text(now - window_start_) + " (" +
                             buf + ", too slow; --frame-timeout); closed, its partial " +
                             format_bytes(decoder_->buffered()) + " dropped, its " +
                             std::to_string(frames_) + " complete frames are kept");
                    close();
                    return;
                }
                restart_rate_window(now);
            }
        }
        arm_timer();
    }

    void touch(Clock::time_point now) {
        last_bytes_ = now;
        last_bytes_ns_.store(now.time_since_epoch().count(), std::memory_order_relaxed);
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        streaming_.store(false);
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        timer_.cancel();
        source_.reset();
        decoder_.reset();
        waiting_flag_.store(false);
        server_.budget.release(budget_);
        server_.session_closed(this);
    }

    TcpServer::Impl& server_;
    tcp::socket socket_;
    asio::steady_timer timer_;
    std::string peer_;
    std::string name_;
    State state_ = State::Handshake;
    bool closed_ = false;

    std::array<uint8_t, core::wire::kHelloSize> hello_{};
    size_t hello_filled_ = 0;
    core::Bytes reply_;
    std::array<uint8_t, 4096> discard_{};
    Clock::time_point refuse_deadline_;

    std::optional<core::FrameDecoder> decoder_;
    std::optional<SourceSession> source_;
    uint64_t bytes_ = 0;
    uint64_t frames_ = 0;
    uint64_t issues_ = 0;
    Clock::time_point started_, last_bytes_, partial_since_;
    // Read by the acceptor's thread when the viewer is full.
    std::atomic<Clock::rep> last_bytes_ns_{0};
    std::atomic<bool> streaming_{false};
    std::atomic<bool> evicting_{false};
    bool partial_ = false;
    bool after_direct_ = false;  // the last read went straight into a payload
    // The frame-rate window: bytes_ when it started.
    Clock::time_point window_start_;
    uint64_t window_bytes_ = 0;
    // The in-flight budget: this connection's account; waiting_ while its reads pause for it.
    InflightBudget::Account budget_;
    bool waiting_ = false;
    std::atomic<bool> waiting_flag_{false};  // waiting_, for the acceptor's thread
};

void TcpServer::Impl::refuse_busy(tcp::socket socket, const std::string& peer) {
    counters.refused_busy.fetch_add(1);
    log_warn("tcp " + peer + ": refused: already " + std::to_string(options.max_connections) +
             " connections (--max-connections)");
    struct Refusal {
        tcp::socket socket;
        core::Bytes reply;
    };
    auto r = std::make_shared<Refusal>(Refusal{std::move(socket), {}});
    r->reply = core::encode_reply(core::wire::HandshakeStatus::Busy,
                                  "the viewer is busy: too many connections (" +
                                      std::to_string(options.max_connections) + ")");
    asio::async_write(r->socket, asio::buffer(r->reply),
                      [r](const boost::system::error_code&, size_t) {
                          boost::system::error_code ignored;
                          r->socket.shutdown(tcp::socket::shutdown_send, ignored);
                          r->socket.close(ignored);
                      });
}

void TcpServer::Impl::trim_slabs_periodically() {
    slab_trim->expires_after(milliseconds(1000));
    slab_trim->async_wait([this](const boost::system::error_code& ec) {
        // Cancelled, or stopped after the wait had already expired (cancel() does not reach a
        // handler already queued): do not wait again, or the io thread would never finish.
        if (ec || slab_trim_stopped) return;
        slabs->trim_idle(std::chrono::seconds(5));
        trim_slabs_periodically();
    });
}

void TcpServer::Impl::do_accept() {
    auto& ctx = *contexts[next_context];
    next_context = (next_context + 1) % contexts.size();
    acceptor->async_accept(ctx, [this](const boost::system::error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) return;
        if (ec) {
            // Out of descriptors and the like: report once, retry shortly (no busy loop).
            if (!accept_error_reported) {
                accept_error_reported = true;
                log_warn("accepting a connection failed: " + ec.message() + " (retrying)");
            }
            accept_retry->expires_after(milliseconds(100));
            accept_retry->async_wait([this](const boost::system::error_code& e) {
                if (!e) do_accept();
            });
            return;
        }
        counters.accepted.fetch_add(1);
        const std::string peer = endpoint_text(socket);
        if (counters.active.load() >= options.max_connections && !make_room()) {
            refuse_busy(std::move(socket), peer);
        } else {
            counters.active.fetch_add(1);
            auto session = std::make_shared<TcpSession>(*this, std::move(socket), next_number++);
            {
                std::lock_guard lock(sessions_mutex);
                sessions.emplace(session.get(), session);
            }
            // Start on the session's own thread.
            asio::post(session->executor(), [session] { session->start(); });
        }
        do_accept();
    });
}

bool TcpServer::Impl::make_room() {
    if (options.evict_idle_after.count() <= 0) return false;
    const auto now = Clock::now();
    std::shared_ptr<TcpSession> victim;
    Clock::duration longest{};
    {
        std::lock_guard lock(sessions_mutex);
        for (auto& [raw, weak] : sessions) {
            auto s = weak.lock();
            if (!s) continue;
            const auto idle = s->idle_for(now);
            if (idle && *idle >= options.evict_idle_after && (!victim || *idle > longest)) {
                victim = std::move(s);
                longest = *idle;
            }
        }
    }
    if (!victim) return false;
    victim->evict_for_newcomer();
    return true;
}

TcpServer::TcpServer(StoreHub& hub, ServerOptions options)
    : impl_(std::make_unique<Impl>(hub, std::move(options))) {}

TcpServer::~TcpServer() {
    stop();
}

bool TcpServer::start(std::string* error) {
    auto& o = impl_->options;
    unsigned n = o.io_threads;
    if (n == 0) n = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    // Timer granularity: a quarter of the shortest timeout, within [20 ms, 1 s].
    milliseconds shortest = o.handshake_timeout;
    if (o.idle_timeout.count() > 0) shortest = std::min(shortest, o.idle_timeout);
    shortest = std::min(shortest, o.frame_timeout);
    impl_->tick = std::clamp(shortest / 4, milliseconds(20), milliseconds(1000));

    for (unsigned i = 0; i < n; ++i) {
        impl_->contexts.push_back(std::make_unique<asio::io_context>(1));
        impl_->guards.push_back(asio::make_work_guard(*impl_->contexts.back()));
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(o.bind_address, ec);
    if (ec) {
        if (error) *error = "invalid bind address \"" + o.bind_address + "\": " + ec.message();
        return false;
    }
    tcp::endpoint endpoint(address, o.port);
    auto& acceptor = impl_->acceptor.emplace(*impl_->contexts[0]);
    impl_->accept_retry.emplace(*impl_->contexts[0]);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        if (error) {
            *error = "cannot listen on " + o.bind_address + ":" + std::to_string(o.port) + ": " +
                     ec.message();
        }
        impl_->acceptor.reset();
        return false;
    }
    impl_->bound_port = acceptor.local_endpoint(ec).port();
    impl_->do_accept();
    impl_->slab_trim.emplace(*impl_->contexts[0]);
    impl_->trim_slabs_periodically();
    for (auto& ctx : impl_->contexts) {
        impl_->threads.emplace_back([c = ctx.get()] {
            pthread_setname_np(pthread_self(), "rerun-tcp-io");  // for top, perf and gdb
            c->run();
        });
    }
    return true;
}

uint16_t TcpServer::port() const {
    return impl_->bound_port;
}

const std::string& TcpServer::bind_address() const {
    return impl_->options.bind_address;
}

void TcpServer::stop_accepting() {
    if (!impl_->acceptor || impl_->contexts.empty()) return;
    std::promise<void> done;
    auto fut = done.get_future();
    asio::post(*impl_->contexts[0], [this, &done] {
        boost::system::error_code ignored;
        if (impl_->acceptor) impl_->acceptor->close(ignored);
        if (impl_->accept_retry) impl_->accept_retry->cancel();
        done.set_value();
    });
    if (!impl_->threads.empty()) fut.wait();
}

bool TcpServer::drain(milliseconds quiet, milliseconds limit) {
    const auto start = Clock::now();
    auto last_change = start;
    uint64_t last_bytes = impl_->counters.bytes_received.load();
    while (true) {
        if (impl_->counters.active.load() == 0) return true;
        const auto now = Clock::now();
        const uint64_t b = impl_->counters.bytes_received.load();
        if (b != last_bytes) {
            last_bytes = b;
            last_change = now;
        }
        if (now - last_change >= quiet || now - start >= limit) return false;
        std::this_thread::sleep_for(milliseconds(10));
    }
}

void TcpServer::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    if (impl_->threads.empty()) return;
    stop_accepting();
    std::vector<std::shared_ptr<TcpSession>> open;
    {
        std::lock_guard lock(impl_->sessions_mutex);
        for (auto& [raw, weak] : impl_->sessions) {
            if (auto s = weak.lock()) open.push_back(std::move(s));
        }
    }
    for (auto& s : open)
        s->close_from_outside();
    open.clear();
    {
        std::promise<void> done;
        auto fut = done.get_future();
        asio::post(*impl_->contexts[0], [this, &done] {
            impl_->slab_trim_stopped = true;
            impl_->slab_trim->cancel();
            done.set_value();
        });
        fut.wait();
    }
    for (auto& g : impl_->guards)
        g.reset();
    for (auto& t : impl_->threads)
        t.join();
    impl_->threads.clear();
}

ServerStats TcpServer::stats() const {
    const auto& c = impl_->counters;
    ServerStats s;
    s.accepted = c.accepted.load();
    s.active = c.active.load();
    s.handshakes_ok = c.handshakes_ok.load();
    s.refused_busy = c.refused_busy.load();
    s.refused_foreign = c.refused_foreign.load();
    s.refused_version = c.refused_version.load();
    s.timeouts_handshake = c.timeouts_handshake.load();
    s.timeouts_idle = c.timeouts_idle.load();
    s.timeouts_slow = c.timeouts_slow.load();
    s.evicted_idle = c.evicted_idle.load();
    s.dropped_too_large = c.dropped_too_large.load();
    s.cut_mid_frame = c.cut_mid_frame.load();
    s.bytes_received = c.bytes_received.load();
    s.frames = c.frames.load();
    s.decode_issues = c.decode_issues.load();
    s.inflight_bytes = impl_->budget.inflight();
    s.inflight_peak = impl_->budget.peak();
    s.budget_waits = impl_->budget.waits();
    s.slabs_allocated = impl_->slabs->allocated();
    s.slabs_reused = impl_->slabs->reused();
    return s;
}

}  // namespace rerun::ingest
