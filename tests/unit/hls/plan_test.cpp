// The segment plan: exact frame ownership, EXTINF sums and folding (docs/seamless.md, "The plan").
#include "osslive/hls/plan.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include "rational_printer.hpp"

namespace osslive::hls {
namespace {

using media::Rational;

VideoParams video(Rational fps) {
  VideoParams v;
  v.stream_index = 0;
  v.frame_rate = fps;
  v.display_width = v.scaled_width = v.width = 1280;
  v.display_height = v.scaled_height = v.height = 720;
  return v;
}

AudioParams audio(int rate) {
  AudioParams a;
  a.stream_index = 1;
  a.sample_rate = rate;
  return a;
}

ResolvedParams params(std::int64_t duration_us, std::optional<Rational> fps, std::optional<int> rate,
                      std::int64_t st_ms = 10'000) {
  ResolvedParams p;
  p.duration_us = duration_us;
  p.end_us = duration_us;
  p.st_ms = st_ms;
  if (fps) p.video = video(*fps);
  if (rate) p.audio = audio(*rate);
  return p;
}

SegmentPlan plan_of(const ResolvedParams& p) {
  auto plan = make_plan(p);
  EXPECT_TRUE(plan.ok()) << plan.error().to_string();
  return plan.ok() ? *plan : SegmentPlan{};
}

Rational add(Rational a, Rational b) {
  std::int64_t num = a.num * b.den + b.num * a.den, den = a.den * b.den;
  std::int64_t g = std::gcd(num, den);
  return {num / g, den / g};
}

// Segments tile [0, N) and [0, A) without gaps, and the EXTINFs add up to the total exactly.
void expect_consistent(const SegmentPlan& plan) {
  ASSERT_FALSE(plan.segments.empty());
  Rational sum{0, 1};
  std::int64_t next_video = 0, next_audio = 0;
  for (std::size_t i = 0; i < plan.segments.size(); ++i) {
    const Segment& s = plan.segments[i];
    EXPECT_EQ(s.index, static_cast<std::int64_t>(i));
    EXPECT_EQ(s.first_video_frame, next_video);
    EXPECT_EQ(s.first_audio_frame, next_audio);
    EXPECT_EQ(s.start, sum) << "segment " << i;
    next_video += s.video_frames;
    next_audio += s.audio_frames;
    sum = add(sum, s.duration);
    if (plan.frame_rate.positive()) {
      EXPECT_GE(s.video_frames, 1);
    } else {
      EXPECT_GE(s.audio_frames, 1);
    }
  }
  EXPECT_EQ(next_video, plan.total_video_frames);
  EXPECT_EQ(next_audio, plan.total_audio_frames);
  EXPECT_EQ(sum, plan.duration);
}

std::vector<std::int64_t> video_counts(const SegmentPlan& plan) {
  std::vector<std::int64_t> counts;
  for (const Segment& s : plan.segments) counts.push_back(s.video_frames);
  return counts;
}

std::vector<std::int64_t> audio_counts(const SegmentPlan& plan) {
  std::vector<std::int64_t> counts;
  for (const Segment& s : plan.segments) counts.push_back(s.audio_frames);
  return counts;
}

TEST(Plan, TwentyFiveFpsWithAudio) {
  SegmentPlan plan = plan_of(params(60'000'000, Rational{25, 1}, 48000));
  expect_consistent(plan);
  EXPECT_EQ(plan.frame_rate, (Rational{25, 1}));
  EXPECT_EQ(plan.sample_rate, 48000);
  EXPECT_EQ(plan.total_video_frames, 1500);
  EXPECT_EQ(video_counts(plan), (std::vector<std::int64_t>{250, 250, 250, 250, 250, 250}));
  // AAC frame j starts at j * 1024 / 48000 s; segment i owns those starting in [10 i, 10 (i + 1)) s.
  EXPECT_EQ(plan.total_audio_frames, 2813);
  EXPECT_EQ(audio_counts(plan), (std::vector<std::int64_t>{469, 469, 469, 468, 469, 469}));
  EXPECT_EQ(plan.segments[3].first_audio_frame, 1407);
  EXPECT_EQ(plan.segments[1].start, (Rational{10, 1}));
  EXPECT_EQ(plan.segments[1].duration, (Rational{10, 1}));
  EXPECT_EQ(plan.duration, (Rational{60, 1}));
  EXPECT_EQ(plan.target_duration, 10);
}

TEST(Plan, NtscSegmentsDifferByOneFrame) {
  SegmentPlan plan = plan_of(params(60'000'000, Rational{30000, 1001}, 48000));
  expect_consistent(plan);
  // Frame k at k * 1001 / 30000 s: the first frame at or after 10 i seconds is ceil(299.7 i).
  EXPECT_EQ(plan.total_video_frames, 1799);
  EXPECT_EQ(video_counts(plan), (std::vector<std::int64_t>{300, 300, 300, 299, 300, 300}));
  EXPECT_EQ(plan.segments[4].first_video_frame, 1199);
  EXPECT_EQ(plan.segments[0].duration, (Rational{1001, 100}));   // 300 frames = 10.01 s
  EXPECT_EQ(plan.segments[3].duration, (Rational{299299, 30000}));
  EXPECT_EQ(plan.duration, (Rational{1799 * 1001, 30000}));
  EXPECT_EQ(format_extinf(plan.segments[3].duration), "9.977");
  EXPECT_EQ(plan.target_duration, 10);  // 10.01 rounds to 10 (RFC 8216), not up to 11

  // Over a long source the counts keep alternating instead of drifting.
  SegmentPlan hour = plan_of(params(3'600'000'000, Rational{30000, 1001}, {}));
  expect_consistent(hour);
  for (const Segment& s : hour.segments) {
    EXPECT_TRUE(s.video_frames == 299 || s.video_frames == 300) << s.index;
  }
  EXPECT_EQ(hour.total_video_frames, 107893);  // ceil(3600 * 29.97...)
}

TEST(Plan, Film23976And60) {
  SegmentPlan film = plan_of(params(30'000'000, Rational{24000, 1001}, 44100));
  expect_consistent(film);
  EXPECT_EQ(film.total_video_frames, 720);  // ceil(719.28)
  EXPECT_EQ(video_counts(film), (std::vector<std::int64_t>{240, 240, 240}));
  SegmentPlan film_long = plan_of(params(60'000'000, Rational{24000, 1001}, 44100));
  expect_consistent(film_long);
  EXPECT_EQ(video_counts(film_long), (std::vector<std::int64_t>{240, 240, 240, 240, 239, 240}));

  SegmentPlan sixty = plan_of(params(20'000'000, Rational{60, 1}, 48000, 5'000));
  expect_consistent(sixty);
  EXPECT_EQ(video_counts(sixty), (std::vector<std::int64_t>{300, 300, 300, 300}));
  EXPECT_EQ(audio_counts(sixty), (std::vector<std::int64_t>{235, 234, 235, 234}));
  EXPECT_EQ(sixty.target_duration, 5);
}

TEST(Plan, RangeFromSsAndT) {
  ResolvedParams p = params(25'000'000, Rational{25, 1}, 48000);
  p.ss_us = 10'000'000;
  p.end_us = 35'000'000;
  SegmentPlan plan = plan_of(p);
  expect_consistent(plan);
  EXPECT_EQ(video_counts(plan), (std::vector<std::int64_t>{250, 250, 125}));
  EXPECT_EQ(plan.segments[2].start, (Rational{20, 1}));
  EXPECT_EQ(plan.segments[2].duration, (Rational{5, 1}));
  EXPECT_EQ(plan.target_duration, 10);
}

TEST(Plan, HeaderSegmentsComeFirst) {
  ResolvedParams p = params(30'000'000, Rational{25, 1}, 48000);
  p.initseg_ms = {2000, 2000, 4000};
  SegmentPlan plan = plan_of(p);
  expect_consistent(plan);
  // Boundaries 0, 2, 4, 8, 18, 28 s.
  EXPECT_EQ(video_counts(plan), (std::vector<std::int64_t>{50, 50, 100, 250, 250, 50}));
  EXPECT_EQ(plan.segments[3].start, (Rational{8, 1}));
  EXPECT_EQ(initd_segments(plan, 5'000), 3u);

  // Header segments longer than the output stop early.
  ResolvedParams short_p = params(3'000'000, Rational{25, 1}, {});
  short_p.initseg_ms = {2000, 2000, 4000};
  EXPECT_EQ(video_counts(plan_of(short_p)), (std::vector<std::int64_t>{50, 25}));
}

TEST(Plan, ShortTailFoldsIntoThePreviousSegment) {
  // 20 ms past the last boundary is less than one 40 ms frame: no third segment.
  SegmentPlan folded = plan_of(params(20'020'000, Rational{25, 1}, 48000));
  expect_consistent(folded);
  EXPECT_EQ(folded.total_video_frames, 501);
  EXPECT_EQ(video_counts(folded), (std::vector<std::int64_t>{250, 251}));
  EXPECT_EQ(format_extinf(folded.segments[1].duration), "10.040");
  EXPECT_EQ(folded.target_duration, 10);

  SegmentPlan tiny = plan_of(params(20'000'001, Rational{25, 1}, {}));
  EXPECT_EQ(video_counts(tiny), (std::vector<std::int64_t>{250, 251}));

  // Exactly one frame past the boundary: a one-frame segment is a real segment.
  SegmentPlan kept = plan_of(params(20'040'000, Rational{25, 1}, 48000));
  expect_consistent(kept);
  EXPECT_EQ(video_counts(kept), (std::vector<std::int64_t>{250, 250, 1}));

  // An output shorter than one frame is still one segment with one frame.
  SegmentPlan single = plan_of(params(1'000, Rational{25, 1}, 48000));
  expect_consistent(single);
  EXPECT_EQ(video_counts(single), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(audio_counts(single), (std::vector<std::int64_t>{2}));  // ceil(0.04 s * 48000 / 1024)
}

TEST(Plan, AudioOnly) {
  SegmentPlan plan = plan_of(params(60'000'000, {}, 44100));
  expect_consistent(plan);
  EXPECT_EQ(plan.frame_rate, (Rational{0, 1}));
  EXPECT_EQ(plan.total_video_frames, 0);
  EXPECT_EQ(plan.total_audio_frames, 2584);  // ceil(60 * 44100 / 1024)
  EXPECT_EQ(audio_counts(plan), (std::vector<std::int64_t>{431, 431, 430, 431, 431, 430}));
  EXPECT_EQ(plan.segments[1].start, (Rational{110336, 11025}));  // 431 * 1024 / 44100
  EXPECT_EQ(format_extinf(plan.segments[0].duration), "10.008");
  EXPECT_EQ(plan.duration, (Rational{661504, 11025}));  // 2584 * 1024 / 44100
  EXPECT_EQ(plan.target_duration, 10);

  // 10 ms past the boundary is less than one 21.3 ms AAC frame at 48 kHz.
  SegmentPlan folded = plan_of(params(20'010'000, {}, 48000));
  expect_consistent(folded);
  EXPECT_EQ(folded.segments.size(), 2u);
}

TEST(Plan, InitdSegments) {
  SegmentPlan plan = plan_of(params(60'000'000, Rational{25, 1}, 48000));
  EXPECT_EQ(initd_segments(plan, 0), 0u);
  EXPECT_EQ(initd_segments(plan, 30'000), 3u);
  EXPECT_EQ(initd_segments(plan, 25'000), 3u);  // rounded up to whole segments
  EXPECT_EQ(initd_segments(plan, 1), 1u);
  EXPECT_EQ(initd_segments(plan, -1), 6u);
  EXPECT_EQ(initd_segments(plan, 3'600'000), 6u);
}

TEST(Plan, RejectsInvalidInputs) {
  EXPECT_FALSE(make_plan(params(0, Rational{25, 1}, {})).ok());
  EXPECT_FALSE(make_plan(params(60'000'000, Rational{25, 0}, {})).ok());
  EXPECT_FALSE(make_plan(params(60'000'000, Rational{0, 1}, {})).ok());
  EXPECT_FALSE(make_plan(params(60'000'000, {}, 44000)).ok());
  EXPECT_FALSE(make_plan(params(60'000'000, {}, {})).ok());
  EXPECT_FALSE(make_plan(params(60'000'000, Rational{25, 1}, {}, 0)).ok());
}

TEST(Plan, FormatExtinf) {
  EXPECT_EQ(format_extinf({10, 1}), "10.000");
  EXPECT_EQ(format_extinf({1, 3}), "0.333");
  EXPECT_EQ(format_extinf({2, 3}), "0.667");
  EXPECT_EQ(format_extinf({1, 2000}), "0.001");  // half up
  EXPECT_EQ(format_extinf({299299, 30000}), "9.977");
}

}  // namespace
}  // namespace osslive::hls
