#include "audio_placer.hpp"

#include <algorithm>
#include <cstdlib>

namespace osslive::transcode {

using exact::Int128;

AudioPlacer::AudioPlacer(const media::StreamClock& clock, int source_rate, int packet_grid)
    : clock_(clock), source_rate_(source_rate), grid_(std::max(packet_grid, 1)) {
  const media::Rational tb = clock.time_base.positive() ? clock.time_base : media::Rational{1, 1'000'000};
  // One tick of the clock is tick_num / tick_den source samples. Where the packet grid is a
  // whole number of ticks every packet is rounded as the first one was: positions are exact.
  const Int128 tick_num = static_cast<Int128>(tb.num) * source_rate, tick_den = tb.den;
  const bool whole_ticks = tick_num % tick_den == 0 && grid_ % static_cast<std::int64_t>(tick_num / tick_den) == 0;
  coarse_ = tick_num > tick_den && !whole_ticks;
  // Off by at most a tick (the start and the frame each rounded by half of one) and a sample
  // (microseconds to samples).
  if (coarse_) tolerance_ = static_cast<std::int64_t>(exact::ceil_div(tick_num, tick_den)) + 1;
}

std::int64_t AudioPlacer::raw_position(std::int64_t pts_us) const {
  return static_cast<std::int64_t>(
      exact::round_div(static_cast<Int128>(pts_us - clock_.start_us) * source_rate_, 1'000'000));
}

void AudioPlacer::add(const media::DecodedFrame& frame, std::vector<Placement>& out) {
  if (frame.audio.samples() <= 0) return;
  if (!coarse_) {
    if (frame.has_pts) {
      place(frame, raw_position(frame.pts_us), false, out);
    } else if (run_) {
      place(frame, next_, true, out);  // without a timestamp a frame can only follow the run
    }
    return;
  }
  if (!run_ || !held_.empty()) {
    hold(frame, out);
  } else if (frame.has_pts && std::llabs(raw_position(frame.pts_us) - next_) > tolerance_) {
    run_ = false;  // a gap or an overlap: the run ends, the next one is placed anew
    hold(frame, out);
  } else {
    place(frame, next_, true, out);
  }
}

void AudioPlacer::flush(std::vector<Placement>& out) { settle(out); }

void AudioPlacer::hold(const media::DecodedFrame& frame, std::vector<Placement>& out) {
  if (!frame.has_pts && held_stamped_ == 0) return;  // nothing to count from
  if (frame.has_pts && held_stamped_ > 0) {
    const auto anchor = static_cast<std::int64_t>(exact::round_div(held_sum_, held_stamped_));
    if (std::llabs(raw_position(frame.pts_us) - held_samples_ - anchor) > tolerance_) settle(out);
  }
  held_.push_back({frame, held_samples_});
  if (frame.has_pts) {
    held_sum_ += raw_position(frame.pts_us) - held_samples_;
    ++held_stamped_;
  }
  held_samples_ += frame.audio.samples();
  if (held_.size() >= kAnchorFrames) settle(out);
}

void AudioPlacer::settle(std::vector<Placement>& out) {
  std::vector<Held> held;
  held.swap(held_);
  const Int128 sum = held_sum_;
  const std::int64_t stamped = held_stamped_;
  held_samples_ = 0;
  held_sum_ = 0;
  held_stamped_ = 0;
  if (stamped == 0) return;
  auto anchor = static_cast<std::int64_t>(exact::round_div(sum, stamped));
  if (grid_ > 1) anchor = static_cast<std::int64_t>(exact::round_div(anchor, grid_)) * grid_;
  run_ = false;
  for (const Held& h : held) place(h.frame, anchor + h.offset, true, out);
}

// `counted`: the position follows the run's sample count rather than the frame's own timestamp.
void AudioPlacer::place(const media::DecodedFrame& frame, std::int64_t position, bool counted,
                        std::vector<Placement>& out) {
  const int samples = frame.audio.samples();
  const int to = samples - std::clamp(frame.trim_back, 0, samples);
  if (frame.trim_front > 0) trimmed_until_ = std::max(trimmed_until_, position + frame.trim_front);
  if (frame.discard) return;
  int from = trimmed_until_ > position ? static_cast<int>(std::min<std::int64_t>(trimmed_until_ - position, samples)) : 0;
  bool new_run = !run_ || from > 0;
  if (!new_run) {
    // A counted position is exact; a timestamp is good to the clock's precision.
    const std::int64_t slack = counted ? 0 : tolerance_;
    if (position - next_ > slack) {
      new_run = true;  // a gap: silence until this frame
    } else if (next_ - position > slack) {
      from = static_cast<int>(std::min<std::int64_t>(next_ - position, to));  // an overlap: dropped
    } else {
      position = next_;  // follow the count
    }
  }
  if (from >= to) return;
  run_ = true;
  next_ = position + to;
  out.push_back({frame.audio, position, from, to, new_run, frame.has_pts ? frame.pts_us : INT64_MIN});
}

}  // namespace osslive::transcode
