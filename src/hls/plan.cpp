#include "osslive/hls/plan.hpp"

#include "osslive/core/exact.hpp"

namespace osslive::hls {
namespace {

using exact::ceil_div;
using exact::Int128;

// Segment boundaries in ms from ss: b_0 = 0, then header segments, then st steps, all < D.
std::vector<std::int64_t> boundaries_ms(const ResolvedParams& p) {
  std::vector<std::int64_t> bounds{0};
  std::int64_t at = 0;
  auto inside = [&](std::int64_t ms) { return static_cast<Int128>(ms) * 1000 < p.duration_us; };
  for (std::int64_t ms : p.initseg_ms) {
    at += ms;
    if (!inside(at)) return bounds;
    bounds.push_back(at);
  }
  while (true) {
    at += p.st_ms;
    if (!inside(at)) break;
    bounds.push_back(at);
  }
  return bounds;
}

// A last segment covering less than one frame of output (a video frame, or an AAC frame without
// video) folds into the one before it: drop its boundary.
void fold_short_tail(std::vector<std::int64_t>& bounds, std::int64_t duration_us, Int128 units_num, Int128 units_den) {
  // (D - b) seconds * units per second < 1  <=>  (D_us - 1000 b) * num < 10^6 * den
  while (bounds.size() > 1 &&
         (static_cast<Int128>(duration_us) - static_cast<Int128>(bounds.back()) * 1000) * units_num <
             units_den * 1'000'000) {
    bounds.pop_back();
  }
}

// Keeps the first unit (frame) of each boundary, dropping boundaries that would start an empty
// segment: a segment shorter than one frame folds into the one before it.
std::vector<std::int64_t> first_units(const std::vector<std::int64_t>& bounds_ms, Int128 num, Int128 den,
                                      std::int64_t total) {
  std::vector<std::int64_t> firsts;
  for (std::int64_t b : bounds_ms) {
    auto unit = static_cast<std::int64_t>(ceil_div(static_cast<Int128>(b) * num, den));
    if (unit >= total) break;
    if (firsts.empty() || unit > firsts.back()) firsts.push_back(unit);
  }
  return firsts;
}

media::Rational seconds(Int128 num, Int128 den) { return *exact::make(num, den); }

}  // namespace

Result<SegmentPlan> make_plan(const ResolvedParams& p) {
  OSSLIVE_TRY(validate(p));
  SegmentPlan plan;
  std::vector<std::int64_t> bounds = boundaries_ms(p);
  const Int128 aac = kAacFrameSamples;
  const Int128 rate = p.audio ? p.audio->sample_rate : 0;
  plan.sample_rate = p.audio ? p.audio->sample_rate : 0;

  std::vector<std::int64_t> video_first, audio_first;
  if (p.video) {
    const Int128 fn = p.video->frame_rate.num, fd = p.video->frame_rate.den;
    plan.frame_rate = *exact::make(fn, fd);
    fold_short_tail(bounds, p.duration_us, fn, fd);
    // Frame k at k/F belongs to [b_i, b_i+1) iff k >= ceil(b_i * F).
    plan.total_video_frames = static_cast<std::int64_t>(ceil_div(static_cast<Int128>(p.duration_us) * fn, fd * 1'000'000));
    video_first = first_units(bounds, fn, fd * 1000, plan.total_video_frames);
    if (p.audio) {
      // Audio follows the video cut points: AAC frames starting in [first_frame(i) / F, first_frame(i+1) / F).
      auto audio_at = [&](std::int64_t frame) {
        return static_cast<std::int64_t>(ceil_div(static_cast<Int128>(frame) * fd * rate, fn * aac));
      };
      plan.total_audio_frames = audio_at(plan.total_video_frames);
      for (std::int64_t frame : video_first) audio_first.push_back(audio_at(frame));
    }
    plan.duration = seconds(static_cast<Int128>(plan.total_video_frames) * fd, fn);
  } else if (p.cut_frame_rate) {
    // The video renditions' cut points, then the AAC frames starting from each, as muxed audio does.
    const Int128 fn = p.cut_frame_rate->num, fd = p.cut_frame_rate->den;
    fold_short_tail(bounds, p.duration_us, fn, fd);
    const auto pictures = static_cast<std::int64_t>(ceil_div(static_cast<Int128>(p.duration_us) * fn, fd * 1'000'000));
    auto audio_at = [&](std::int64_t frame) {
      return static_cast<std::int64_t>(ceil_div(static_cast<Int128>(frame) * fd * rate, fn * aac));
    };
    plan.total_audio_frames = audio_at(pictures);
    for (std::int64_t frame : first_units(bounds, fn, fd * 1000, pictures)) audio_first.push_back(audio_at(frame));
    plan.duration = seconds(static_cast<Int128>(plan.total_audio_frames) * aac, rate);
  } else {
    fold_short_tail(bounds, p.duration_us, rate, aac);
    plan.total_audio_frames = static_cast<std::int64_t>(ceil_div(static_cast<Int128>(p.duration_us) * rate, aac * 1'000'000));
    audio_first = first_units(bounds, rate, aac * 1000, plan.total_audio_frames);
    plan.duration = seconds(static_cast<Int128>(plan.total_audio_frames) * aac, rate);
  }

  const std::size_t count = p.video ? video_first.size() : audio_first.size();
  plan.segments.reserve(count);
  Int128 longest_num = 0, longest_den = 1;
  for (std::size_t i = 0; i < count; ++i) {
    Segment s;
    s.index = static_cast<std::int64_t>(i);
    if (p.video) {
      s.first_video_frame = video_first[i];
      s.video_frames = (i + 1 < count ? video_first[i + 1] : plan.total_video_frames) - s.first_video_frame;
      s.start = seconds(static_cast<Int128>(s.first_video_frame) * plan.frame_rate.den, plan.frame_rate.num);
      s.duration = seconds(static_cast<Int128>(s.video_frames) * plan.frame_rate.den, plan.frame_rate.num);
    }
    if (p.audio) {
      s.first_audio_frame = audio_first[i];
      s.audio_frames = (i + 1 < count ? audio_first[i + 1] : plan.total_audio_frames) - s.first_audio_frame;
      if (!p.video) {
        s.start = seconds(static_cast<Int128>(s.first_audio_frame) * aac, rate);
        s.duration = seconds(static_cast<Int128>(s.audio_frames) * aac, rate);
      }
    }
    if (static_cast<Int128>(s.duration.num) * longest_den > longest_num * s.duration.den) {
      longest_num = s.duration.num;
      longest_den = s.duration.den;
    }
    plan.segments.push_back(s);
  }
  // RFC 8216 4.3.3.1: every EXTINF rounded to the nearest integer is at most the target, so 10.01 s
  // segments give 10, as the hosted service writes (a ceiling would say 11).
  plan.target_duration = std::max<std::int64_t>(1, static_cast<std::int64_t>(exact::round_div(longest_num, longest_den)));
  return plan;
}

std::size_t initd_segments(const SegmentPlan& plan, std::int64_t initd_ms) {
  if (initd_ms == 0) return 0;
  if (initd_ms < 0) return plan.segments.size();
  std::size_t n = 0;
  for (const Segment& s : plan.segments) {
    // start < initd  <=>  start.num * 1000 < initd * start.den
    if (static_cast<Int128>(s.start.num) * 1000 >= static_cast<Int128>(initd_ms) * s.start.den) break;
    ++n;
  }
  return n;
}

std::string format_extinf(media::Rational seconds) {
  if (seconds.den <= 0 || seconds.num < 0) return "0.000";
  Int128 milli = (static_cast<Int128>(seconds.num) * 2000 + seconds.den) / (static_cast<Int128>(seconds.den) * 2);
  std::string fraction = std::to_string(1000 + static_cast<int>(milli % 1000)).substr(1);
  return std::to_string(static_cast<std::int64_t>(milli / 1000)) + "." + fraction;
}

}  // namespace osslive::hls
