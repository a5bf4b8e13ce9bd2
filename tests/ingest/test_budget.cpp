// InflightBudget (ingest/src/inflight_budget.hpp): the server-wide bound on partly received
// frames. Driven here without sockets: each "connection" is an account that reads a frame in
// pieces, the way TcpSession does (acquire, read, settle; release on close).
#include <doctest/doctest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

#include "inflight_budget.hpp"

using rerun::ingest::InflightBudget;

TEST_CASE("inflight budget: grants up to the room, then one overdraft holder, others wait") {
    InflightBudget budget(100, 10);
    InflightBudget::Account a, b, c;
    int resumed_b = 0, resumed_c = 0;

    CHECK(budget.acquire(a, 60, [] {}) == 60);
    budget.settle(a, 60);  // a keeps 60 bytes of a partial frame
    CHECK(budget.inflight() == 60);

    // Only the room is granted.
    CHECK(budget.acquire(b, 60, [&] { ++resumed_b; }) == 40);
    budget.settle(b, 40);
    CHECK(budget.inflight() == 100);

    // Full: b may go past the limit (nobody else is), to finish its frame.
    CHECK(budget.acquire(b, 60, [&] { ++resumed_b; }) == 60);
    CHECK(budget.is_overdraft_holder(b));
    // c must wait while b holds the overdraft.
    bool announce = false;
    CHECK(budget.acquire(
              c, 50, [&] { ++resumed_c; }, &announce) == 0);
    CHECK(announce);
    CHECK(budget.waits() == 1);
    budget.settle(b, 100);
    CHECK(budget.inflight() == 160);
    CHECK(budget.peak() == 160);
    CHECK(resumed_c == 0);

    // b's frame completes: the overdraft passes to c, which is resumed once.
    budget.settle(b, 0);
    CHECK_FALSE(budget.is_overdraft_holder(b));
    CHECK(budget.is_overdraft_holder(c));
    CHECK(resumed_c == 1);
    CHECK(budget.acquire(c, 50, [&] { ++resumed_c; }) == 50);
    budget.settle(c, 50);
    CHECK(budget.inflight() == 110);

    // Closing returns everything; the overdraft holder leaving frees the overdraft.
    budget.release(a);
    budget.release(a);  // idempotent
    CHECK(budget.inflight() == 50);
    budget.release(c);
    CHECK(budget.inflight() == 0);
    CHECK(resumed_b == 0);
}

TEST_CASE("inflight budget: a frame larger than the whole budget proceeds alone") {
    InflightBudget budget(16, 4);
    InflightBudget::Account big;
    uint64_t held = 0;
    for (int i = 0; i < 10; ++i) {
        const uint64_t got = budget.acquire(big, 4, [] {});
        REQUIRE(got > 0);
        held += got;
        budget.settle(big, held);
    }
    CHECK(held == 40);  // 2.5x the budget
    budget.settle(big, 0);
    CHECK(budget.inflight() == 0);
}

TEST_CASE("inflight budget: a waiter that closes is never resumed and leaves the queue") {
    InflightBudget budget(10, 10);
    InflightBudget::Account a, b, c;
    int resumed_b = 0, resumed_c = 0;
    CHECK(budget.acquire(a, 10, [] {}) == 10);
    budget.settle(a, 10);
    CHECK(budget.acquire(a, 10, [] {}) == 10);  // a becomes the overdraft holder
    CHECK(budget.acquire(b, 10, [&] { ++resumed_b; }) == 0);
    CHECK(budget.acquire(c, 10, [&] { ++resumed_c; }) == 0);
    budget.release(b);
    budget.release(a);
    CHECK(resumed_b == 0);
    CHECK(resumed_c == 1);
    CHECK(budget.is_overdraft_holder(c));
    CHECK(budget.acquire(b, 10, [] {}) == 0);  // closed accounts get nothing
    budget.release(c);
    CHECK(budget.inflight() == 0);
}

TEST_CASE("inflight budget: limit 0 is no bound") {
    InflightBudget budget(0, 10);
    InflightBudget::Account a;
    CHECK(budget.acquire(a, uint64_t(1) << 40, [] {}) == uint64_t(1) << 40);
    budget.settle(a, 5);
    CHECK(budget.inflight() == 0);
    budget.release(a);
}

// Many connections with frames of random sizes (some larger than the budget), some of which
// stall mid-frame until "timed out": every frame of the others completes (no deadlock), and the
// total never exceeds limit + the largest frame + one read per connection reading at once.
TEST_CASE("inflight budget: random schedules finish every frame within the bound") {
    constexpr uint64_t kLimit = 1000, kRead = 64;
    uint64_t waits = 0, peak_over_limit = 0;
    for (int seed = 0; seed < 200; ++seed) {
        std::mt19937 rng{uint32_t(seed)};
        InflightBudget budget(kLimit, kRead);
        struct Conn {
            InflightBudget::Account account;
            std::vector<uint64_t> frames;  // sizes still to receive
            uint64_t held = 0;
            bool waiting = false, closed = false, stalls = false;
            int stalled_turns = 0;
        };
        const int n = 2 + int(rng() % 12);
        std::deque<Conn> conns(static_cast<size_t>(n));
        uint64_t largest = 0;
        for (auto& c : conns) {
            const int frames = 1 + int(rng() % 4);
            for (int f = 0; f < frames; ++f) {
                const uint64_t size = 1 + rng() % (rng() % 5 == 0 ? 3 * kLimit : kLimit / 3);
                c.frames.push_back(size);
                largest = std::max(largest, size);
            }
            c.stalls = rng() % 4 == 0;
        }
        std::vector<int> resumed;
        int turns = 0;
        while (true) {
            for (int r : resumed)
                conns[size_t(r)].waiting = false;
            resumed.clear();
            std::vector<int> ready;
            for (int i = 0; i < n; ++i) {
                auto& c = conns[size_t(i)];
                if (!c.closed && !c.waiting && !c.frames.empty()) ready.push_back(i);
            }
            if (ready.empty()) break;
            REQUIRE(++turns < 1'000'000);
            const int index = ready[rng() % ready.size()];
            auto& c = conns[size_t(index)];
            // A stalled peer sends part of a frame, then nothing, until its frame timeout.
            if (c.stalls && c.held > 0) {
                if (++c.stalled_turns > 20) {
                    c.closed = true;
                    budget.release(c.account);
                }
                budget.settle(c.account, c.held);  // a turn that read nothing
                continue;
            }
            const uint64_t got =
                budget.acquire(c.account, kRead, [&resumed, index] { resumed.push_back(index); });
            if (got == 0) {
                c.waiting = true;
            } else {
                uint64_t n_read = std::min(got, c.frames.front() - c.held);
                c.held += n_read;
                if (c.held == c.frames.front()) {
                    c.frames.erase(c.frames.begin());
                    c.held = 0;
                }
                budget.settle(c.account, c.held);
                if (c.frames.empty()) {
                    c.closed = true;
                    budget.release(c.account);
                }
            }
            CHECK(budget.inflight() <= kLimit + largest + kRead);
        }
        for (auto& c : conns) {
            CHECK_FALSE(c.waiting);  // nobody left waiting: no deadlock
            if (!c.stalls) CHECK(c.frames.empty());
        }
        CHECK(budget.inflight() == 0);
        CHECK(budget.peak() <= kLimit + largest + kRead);
        waits += budget.waits();
        peak_over_limit += budget.peak() > kLimit;
    }
    // The schedules did exercise waiting and the overdraft.
    CHECK(waits > 100);
    CHECK(peak_over_limit > 10);
    MESSAGE("waits " << waits << ", schedules past the limit " << peak_over_limit);
}
