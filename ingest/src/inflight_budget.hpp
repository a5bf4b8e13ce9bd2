// InflightBudget: the server-wide bound on memory held by frames that are still arriving
// (TcpServer's --max-inflight-bytes). Internal to rerun_ingest.
//
// Each connection has an Account. Before a read it asks for a reservation (acquire); after the
// read it reports what it now keeps, i.e. the bytes of its partly received frame (settle); when
// it closes, everything it had is returned (release).
//
// Contract:
// - While the total (held + reserved) is under the limit, a reservation is granted up to the
//   room left.
// - When the limit is reached, ONE account at a time, the "overdraft holder", may read past it
//   until its partial frame is complete (held back to 0) or it closes. This is what keeps the
//   server free of deadlock: a frame larger than the whole budget, or a budget filled by frames
//   that all wait for more room, can still finish. So the total stays within
//   limit + one frame (<= max_frame_bytes) + the reservations of the reads in progress.
// - Every other account waits (acquire returns 0): its connection is not read, TCP flow
//   control stops its sender, nothing grows. Waiters are resumed in arrival order: the first
//   becomes the next overdraft holder, and as many as the room allows are resumed to try again.
//   A waiter that still finds no room waits again (at the back).
// - Callbacks run outside the lock, on the thread that freed the memory; they only post.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace rerun::ingest {

class InflightBudget {
  public:
    struct Account {
        uint64_t held = 0;      // bytes of the partly received frame, as last settled
        uint64_t reserved = 0;  // granted to the read in progress
        bool waiting = false;
        bool closed = false;
    };

    // limit 0: unlimited (acquire always grants `want`, nothing is counted).
    // `resume_room` is the reservation a resumed waiter is expected to take (the read size).
    InflightBudget(uint64_t limit, uint64_t resume_room);

    uint64_t limit() const { return limit_; }

    // Reserves up to `want` (> 0) bytes for a read by `account`. Returns the reservation; 0
    // means the account now waits and `resume` (a callable, kept only then) will be called once
    // when it should try again. *first_wait (optional) is set when this wait starts an episode
    // of a full budget (for one log line instead of one per wait: at most one per
    // `announce_every`).
    template <class Resume>
    uint64_t acquire(Account& account, uint64_t want, Resume&& resume, bool* first_wait = nullptr) {
        if (first_wait) *first_wait = false;
        if (limit_ == 0) return want;
        std::lock_guard lock(mutex_);
        const uint64_t grant = grant_locked(account, want);
        if (grant == 0 && !account.closed && want > 0) {
            wait_locked(account, std::function<void()>(std::forward<Resume>(resume)), first_wait);
        }
        return grant;
    }
    // After the read: the reservation is returned and `held` is what the account keeps now.
    void settle(Account& account, uint64_t held);
    // The account's connection is closed: its bytes return, it is never resumed. Idempotent.
    void release(Account& account);

    bool is_overdraft_holder(const Account& account) const;
    uint64_t inflight() const;  // held + reserved, all accounts
    uint64_t peak() const;      // the highest inflight() seen
    uint64_t waits() const;     // times an account had to wait

    std::chrono::steady_clock::duration announce_every = std::chrono::seconds(10);

  private:
    struct Waiter {
        Account* account;
        std::function<void()> resume;
    };
    uint64_t grant_locked(Account& account, uint64_t want);
    void wait_locked(Account& account, std::function<void()> resume, bool* first_wait);
    // Under the lock: picks the waiters to resume now (after memory was freed).
    void pick_resumed(std::vector<std::function<void()>>* out);
    void run(std::vector<std::function<void()>>& resumed);

    const uint64_t limit_;
    const uint64_t resume_room_;
    mutable std::mutex mutex_;
    uint64_t inflight_ = 0;
    uint64_t peak_ = 0;
    uint64_t waits_ = 0;
    const Account* overdraft_ = nullptr;
    std::deque<Waiter> waiters_;
    std::chrono::steady_clock::time_point last_announce_{};
    bool announced_ = false;
};

}  // namespace rerun::ingest
