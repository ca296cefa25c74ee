#pragma once
// The segment plan of docs/seamless.md ("The plan"), computed here from the source as ffprobe
// reports it and the output rates each test case states, so the transcoder tests do not take
// their expected values from src/hls/plan.cpp, the code they would then agree with by
// construction. Written from the document, in the same steps as the client tests' videoPlan
// and audioPlan (tests/clients/lib/media.mjs), with exact integers.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace osslive::transcode::testing {

struct ExactRate {
  std::int64_t num = 0;  // frames (or samples) per den seconds; num 0: none
  std::int64_t den = 1;
};

struct ExpectedSegment {
  std::int64_t first_video_frame = 0, video_frames = 0;
  std::int64_t first_audio_frame = 0, audio_frames = 0;
  std::string extinf;  // 3 decimals, half up
};

struct ExpectedPlan {
  std::vector<ExpectedSegment> segments;
  std::int64_t total_video_frames = 0, total_audio_frames = 0;
};

namespace expected_detail {
__extension__ typedef __int128 Wide;  // products of durations and rates; __extension__: -Wpedantic
inline Wide ceil_div(Wide a, Wide b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
inline std::string seconds_text(Wide num, Wide den) {  // num/den s, 3 decimals, half up
  const Wide milli = (num * 2000 + den) / (den * 2);
  std::string frac = std::to_string(static_cast<std::int64_t>(milli % 1000));
  return std::to_string(static_cast<std::int64_t>(milli / 1000)) + "." + std::string(3 - frac.size(), '0') + frac;
}
}  // namespace expected_detail

// duration_us: the output length D; fps: the output frame rate F (num 0: audio only); sample_rate:
// the output rate R (0: no audio); st_ms: the segment duration.
inline ExpectedPlan expected_plan(std::int64_t duration_us, ExactRate fps, std::int64_t sample_rate, std::int64_t st_ms) {
  using namespace expected_detail;
  const Wide d = duration_us;
  const bool video = fps.num > 0;
  const Wide fn = fps.num, fd = fps.den, r = sample_rate;
  // Boundaries in ms: 0, then steps of st strictly inside D; a last piece shorter than one frame
  // (video) or one AAC frame (audio only) joins the segment before it.
  std::vector<Wide> bounds{0};
  for (Wide at = st_ms; at * 1000 < d; at += st_ms) bounds.push_back(at);
  auto too_short = [&](Wide b) {
    return video ? (d - b * 1000) * fn < fd * 1'000'000 : (d - b * 1000) * r < Wide(1024) * 1'000'000;
  };
  while (bounds.size() > 1 && too_short(bounds.back())) bounds.pop_back();

  ExpectedPlan plan;
  std::vector<Wide> firsts;
  const Wide total = video ? ceil_div(d * fn, fd * 1'000'000) : ceil_div(d * r, Wide(1024) * 1'000'000);
  for (Wide b : bounds) {
    const Wide first = video ? ceil_div(b * fn, fd * 1000) : ceil_div(b * r, Wide(1024) * 1000);
    if (first >= total) break;
    if (firsts.empty() || first > firsts.back()) firsts.push_back(first);
  }
  // With video, AAC frame j belongs to the segment whose first picture k_i has j >= ceil(k_i R / (1024 F)).
  auto audio_at = [&](Wide k) { return r > 0 ? ceil_div(k * fd * r, fn * 1024) : Wide(0); };
  for (std::size_t i = 0; i < firsts.size(); ++i) {
    const Wide next = i + 1 < firsts.size() ? firsts[i + 1] : total;
    ExpectedSegment s;
    if (video) {
      s.first_video_frame = static_cast<std::int64_t>(firsts[i]);
      s.video_frames = static_cast<std::int64_t>(next - firsts[i]);
      s.first_audio_frame = static_cast<std::int64_t>(audio_at(firsts[i]));
      s.audio_frames = static_cast<std::int64_t>(audio_at(next) - audio_at(firsts[i]));
      s.extinf = seconds_text((next - firsts[i]) * fd, fn);
    } else {
      s.first_audio_frame = static_cast<std::int64_t>(firsts[i]);
      s.audio_frames = static_cast<std::int64_t>(next - firsts[i]);
      s.extinf = seconds_text((next - firsts[i]) * 1024, r);
    }
    plan.segments.push_back(s);
  }
  plan.total_video_frames = video ? static_cast<std::int64_t>(total) : 0;
  plan.total_audio_frames = static_cast<std::int64_t>(video ? audio_at(total) : total);
  return plan;
}

// ffprobe's "12.345678" (seconds, 6 decimals) as exact microseconds.
inline std::int64_t microseconds(const std::string& seconds) {
  const auto dot = seconds.find('.');
  std::string frac = dot == std::string::npos ? "" : seconds.substr(dot + 1);
  frac = (frac + "000000").substr(0, 6);
  const std::int64_t whole = std::stoll(seconds.substr(0, dot));
  return whole * 1'000'000 + (seconds[0] == '-' ? -1 : 1) * std::stoll(frac);
}

// "30000/1001" -> {30000, 1001}.
inline ExactRate rate_of(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return {std::stoll(text), 1};
  return {std::stoll(text.substr(0, slash)), std::stoll(text.substr(slash + 1))};
}

}  // namespace osslive::transcode::testing
