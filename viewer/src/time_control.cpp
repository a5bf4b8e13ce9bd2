#include "time_control.hpp"

#include <algorithm>
#include <cmath>

namespace rerun::viewer {

void TimeControl::set_timelines(std::vector<ingest::TimelineInfo> timelines,
                                const std::string& preferred) {
    timelines_ = std::move(timelines);
    std::sort(timelines_.begin(), timelines_.end(),
              [](const auto& a, const auto& b) { return a.timeline.name < b.timeline.name; });
    const ingest::TimelineInfo* current = nullptr;
    for (const auto& t : timelines_) {
        if (t.timeline.name == timeline_) current = &t;
    }
    if (!current && !preferred.empty()) {
        for (const auto& t : timelines_) {
            if (t.timeline.name == preferred) current = &t;
        }
    }
    if (!current) {
        for (const auto& t : timelines_) {
            if (t.timeline.name != core::kLogTimeTimeline) {
                current = &t;
                break;
            }
        }
    }
    if (!current && !timelines_.empty()) current = &timelines_.front();
    if (!current) {
        timeline_.clear();
        time_ = core::kTimeMax;
        min_ = max_ = 0;
        return;
    }
    const bool changed = current->timeline.name != timeline_;
    timeline_ = current->timeline.name;
    type_ = current->timeline.type;
    min_ = current->min;
    max_ = std::max(current->max, current->min);
    if (changed) {
        time_ = max_;
        view_user_ = false;
    }
    if (follow) time_ = max_;
    clamp();
    if (!view_user_) {
        view_min_ = double(min_);
        view_max_ = double(max_);
    }
}

void TimeControl::select_timeline(const std::string& name) {
    if (name == timeline_) return;
    for (const auto& t : timelines_) {
        if (t.timeline.name == name) {
            timeline_.clear();
            auto copy = timelines_;
            // Re-run the selection logic with this timeline as the preferred one.
            set_timelines(std::move(copy), name);
            return;
        }
    }
}

void TimeControl::set_time(TimeInt t) {
    time_ = t;
    clamp();
    follow = time_ >= max_ && follow;
}

void TimeControl::clamp() {
    if (timeline_.empty()) return;
    time_ = std::clamp(time_, min_, max_);
}

void TimeControl::toggle_play() {
    playing = !playing;
    if (playing) {
        follow = false;
        if (time_ >= max_ && !timeline_.empty()) time_ = min_;  // replay from the start
    }
}

void TimeControl::step(int direction) {
    playing = false;
    follow = false;
    if (timeline_.empty()) return;
    TimeInt delta = 1;
    if (type_ != core::TimeType::Sequence) delta = std::max<TimeInt>(1, (max_ - min_) / 100);
    TimeInt t = time_ + (direction >= 0 ? delta : -delta);
    if (loop && t > max_) t = min_;
    if (loop && t < min_) t = max_;
    time_ = t;
    clamp();
}

bool TimeControl::advance(double seconds) {
    if (!playing || timeline_.empty()) return false;
    const double rate = type_ == core::TimeType::Sequence ? kSequenceRate : 1e9;
    carry_ += seconds * rate * speed;
    const double whole = std::floor(carry_);
    if (whole < 1.0) return false;
    carry_ -= whole;
    const TimeInt before = time_;
    TimeInt t = time_ + TimeInt(whole);
    if (t > max_) {
        if (loop) {
            t = min_;
        } else {
            t = max_;
            playing = false;
        }
    }
    time_ = t;
    clamp();
    return time_ != before;
}

void TimeControl::set_view(double lo, double hi) {
    if (!(hi > lo)) return;
    view_min_ = lo;
    view_max_ = hi;
    view_user_ = true;
}

void TimeControl::zoom_view(double factor, double around) {
    const double lo = around - (around - view_min_) * factor;
    const double hi = around + (view_max_ - around) * factor;
    if (hi - lo < 1e-9) return;
    set_view(lo, hi);
}

void TimeControl::reset_view() {
    view_user_ = false;
    view_min_ = double(min_);
    view_max_ = double(max_);
}

std::vector<TimeInt> axis_ticks(double v0, double v1, double axis_px, double min_px) {
    std::vector<TimeInt> ticks;
    if (!(v1 >= v0) || !(axis_px > 0) || !(min_px > 0)) return ticks;
    // A nice step for the span: 1, 2, 5 x 10^k, at least 1 (times are integers).
    const double raw = (v1 - v0) / std::max(axis_px / min_px, 1.0);
    const double p = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-12))));
    double nice = p * 10;
    for (const double m : {1.0, 2.0, 5.0}) {
        if (p * m >= raw) {
            nice = p * m;
            break;
        }
    }
    const int64_t step = std::max<int64_t>(1, std::llround(nice));
    // In integers: timestamps are ~1.7e18 ns, where a double's step is 256 (a tick computed in
    // doubles read "49.849" for 49.850), and `t += step` would not even advance.
    const int64_t v0_int = std::llround(std::ceil(v0));
    int64_t tick = v0_int / step * step;  // towards zero: below v0 only when v0 > 0
    if (tick < v0_int) tick += step;
    const size_t max_ticks = size_t(axis_px / min_px) + 2;
    for (; double(tick) <= v1 && ticks.size() <= max_ticks; tick += step)
        ticks.push_back(tick);
    return ticks;
}

}  // namespace rerun::viewer
