#include "inflight_budget.hpp"

#include <algorithm>

namespace rerun::ingest {

InflightBudget::InflightBudget(uint64_t limit, uint64_t resume_room)
    : limit_(limit), resume_room_(std::max<uint64_t>(resume_room, 1)) {}

uint64_t InflightBudget::grant_locked(Account& account, uint64_t want) {
    if (account.closed || want == 0) return 0;
    uint64_t grant = 0;
    if (overdraft_ == &account) {
        grant = want;
    } else if (inflight_ < limit_) {
        grant = std::min(want, limit_ - inflight_);
    } else if (overdraft_ == nullptr) {
        // Full, and nobody is past the limit: this account may be (see the header).
        overdraft_ = &account;
        grant = want;
    }
    account.reserved += grant;
    inflight_ += grant;
    peak_ = std::max(peak_, inflight_);
    return grant;
}

void InflightBudget::wait_locked(Account& account, std::function<void()> resume, bool* first_wait) {
    account.waiting = true;
    waiters_.push_back({&account, std::move(resume)});
    ++waits_;
    if (first_wait) {
        const auto now = std::chrono::steady_clock::now();
        if (!announced_ || now - last_announce_ >= announce_every) {
            announced_ = true;
            last_announce_ = now;
            *first_wait = true;
        }
    }
}

void InflightBudget::settle(Account& account, uint64_t held) {
    if (limit_ == 0) return;
    std::vector<std::function<void()>> resumed;
    {
        std::lock_guard lock(mutex_);
        if (account.closed) return;
        inflight_ -= account.reserved + account.held;
        account.reserved = 0;
        account.held = held;
        inflight_ += held;
        peak_ = std::max(peak_, inflight_);
        if (overdraft_ == &account && held == 0) overdraft_ = nullptr;
        pick_resumed(&resumed);
    }
    run(resumed);
}

void InflightBudget::release(Account& account) {
    if (limit_ == 0) return;
    std::vector<std::function<void()>> resumed;
    std::function<void()> dropped;  // destroyed outside the lock
    {
        std::lock_guard lock(mutex_);
        if (account.closed) return;
        account.closed = true;
        inflight_ -= account.reserved + account.held;
        account.reserved = 0;
        account.held = 0;
        if (account.waiting) {
            account.waiting = false;
            const auto it = std::find_if(waiters_.begin(), waiters_.end(),
                                         [&](const Waiter& w) { return w.account == &account; });
            if (it != waiters_.end()) {
                dropped = std::move(it->resume);
                waiters_.erase(it);
            }
        }
        if (overdraft_ == &account) overdraft_ = nullptr;
        pick_resumed(&resumed);
    }
    run(resumed);
}

void InflightBudget::pick_resumed(std::vector<std::function<void()>>* out) {
    if (waiters_.empty()) return;
    if (overdraft_ == nullptr) {
        Waiter w = std::move(waiters_.front());
        waiters_.pop_front();
        w.account->waiting = false;
        overdraft_ = w.account;
        out->push_back(std::move(w.resume));
    }
    uint64_t room = inflight_ < limit_ ? limit_ - inflight_ : 0;
    while (room > 0 && !waiters_.empty()) {
        Waiter w = std::move(waiters_.front());
        waiters_.pop_front();
        w.account->waiting = false;
        out->push_back(std::move(w.resume));
        room -= std::min(room, resume_room_);
    }
}

void InflightBudget::run(std::vector<std::function<void()>>& resumed) {
    for (auto& r : resumed)
        if (r) r();
    resumed.clear();
}

bool InflightBudget::is_overdraft_holder(const Account& account) const {
    std::lock_guard lock(mutex_);
    return overdraft_ == &account;
}

uint64_t InflightBudget::inflight() const {
    std::lock_guard lock(mutex_);
    return inflight_;
}

uint64_t InflightBudget::peak() const {
    std::lock_guard lock(mutex_);
    return peak_;
}

uint64_t InflightBudget::waits() const {
    std::lock_guard lock(mutex_);
    return waits_;
}

}  // namespace rerun::ingest
