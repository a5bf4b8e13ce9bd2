// The time cursor: which timeline, which time, playing or not, the visible range of the time
// axis. Pure logic (no ImGui), driven by the time panel and the frame loop; unit-tested.
#pragma once

#include <string>
#include <vector>

#include "rerun/core/time.hpp"
#include "rerun/ingest/store.hpp"

namespace rerun::viewer {

using core::TimeInt;

// Tick positions of a time axis showing [v0, v1] over `axis_px` pixels with ticks at least
// `min_px` apart: multiples of a nice step (1, 2 or 5 x 10^k, at least 1), in increasing order.
// Computed in integers, so a tick of a timestamp (~1.7e18 ns) is exact.
std::vector<TimeInt> axis_ticks(double v0, double v1, double axis_px, double min_px);

class TimeControl {
  public:
    // New timelines of the selected recording (any order). Keeps the selection when that
    // timeline still exists, else picks `preferred` when present, else the first non-log_time
    // timeline (log_time is always there and rarely what the user wants to scrub).
    void set_timelines(std::vector<ingest::TimelineInfo> timelines,
                       const std::string& preferred = {});
    const std::vector<ingest::TimelineInfo>& timelines() const { return timelines_; }
    bool has_timeline() const { return !timeline_.empty(); }
    const std::string& timeline() const { return timeline_; }
    core::TimeType type() const { return type_; }
    void select_timeline(const std::string& name);

    TimeInt time() const { return time_; }
    TimeInt min() const { return min_; }
    TimeInt max() const { return max_; }
    // Clamped into [min, max]; stops following live data when it moves away from max.
    void set_time(TimeInt t);

    bool playing = false;
    double speed = 1.0;  // x real time; for sequences x kSequenceRate ticks per second
    bool loop = true;
    bool follow = true;  // follow-live: stay at the newest time as data arrives

    void play() { playing = true; }
    void pause() { playing = false; }
    void toggle_play();
    // One step: a tick for sequences, 1/100 of the range otherwise. Pauses playback.
    void step(int direction);
    // Advances playback by `seconds` of wall time. Returns true when the time moved.
    bool advance(double seconds);

    // Visible window of the time axis (zoom/pan); defaults to [min, max].
    double view_min() const { return view_min_; }
    double view_max() const { return view_max_; }
    void set_view(double lo, double hi);
    void zoom_view(double factor, double around);
    void reset_view();

    static constexpr double kSequenceRate = 30.0;  // ticks per second at speed 1

  private:
    void clamp();

    std::vector<ingest::TimelineInfo> timelines_;
    std::string timeline_;
    core::TimeType type_ = core::TimeType::Sequence;
    TimeInt time_ = core::kTimeMax;
    TimeInt min_ = 0, max_ = 0;
    double carry_ = 0.0;  // fractional ticks not yet applied
    double view_min_ = 0, view_max_ = 1;
    bool view_user_ = false;  // the user zoomed: stop tracking [min, max]
};

}  // namespace rerun::viewer
