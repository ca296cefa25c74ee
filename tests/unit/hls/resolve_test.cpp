// resolve() against hand-made SourceInfo values (docs/api.md semantics).
#include "osslive/hls/params.hpp"

#include <gtest/gtest.h>

#include "rational_printer.hpp"
#include "test_sources.hpp"

namespace osslive::hls {
namespace {

using namespace fixtures;

using media::Rational;

TEST(Resolve, DefaultsFollowTheSource) {
  auto p = run({});
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  EXPECT_EQ(p->origin_us, 1'400'000);
  EXPECT_EQ(p->ss_us, 0);
  EXPECT_EQ(p->end_us, 60'000'000);
  EXPECT_EQ(p->duration_us, 60'000'000);
  EXPECT_EQ(p->st_ms, 10'000);
  EXPECT_EQ(p->initd_ms, 30'000);
  EXPECT_EQ(p->ta, 12);
  ASSERT_TRUE(p->video);
  EXPECT_EQ(p->video->stream_index, 0);
  EXPECT_EQ(p->video->codec, "h264");
  EXPECT_EQ(p->video->encoder, "libx264");
  EXPECT_EQ(p->video->frame_rate, (Rational{25, 1}));
  EXPECT_EQ(p->video->width, 1920);
  EXPECT_EQ(p->video->height, 1080);
  EXPECT_EQ(p->video->pix_fmt, "yuv420p");
  EXPECT_EQ(p->video->crf, 23);
  EXPECT_EQ(p->video->bitrate, 0);
  ASSERT_TRUE(p->audio);
  EXPECT_EQ(p->audio->stream_index, 1);
  EXPECT_EQ(p->audio->codec, "aac");
  EXPECT_EQ(p->audio->sample_rate, 48000);
  EXPECT_EQ(p->audio->channels, 2);
  EXPECT_EQ(p->audio->bitrate, 0);
  EXPECT_EQ(p->audio->quality, -1);
  EXPECT_EQ(p->audio->global_quality, 0);
}

TEST(Resolve, OutputRange) {
  process::HlsM3u8 r;
  r.ss_ms = 10'000;
  r.t_ms = 20'000;
  auto p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ss_us, 10'000'000);
  EXPECT_EQ(p->end_us, 30'000'000);
  EXPECT_EQ(p->duration_us, 20'000'000);

  r.ss_ms = 50'000;  // t past the end: to the end
  p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->end_us, 60'000'000);
  EXPECT_EQ(p->duration_us, 10'000'000);

  r.ss_ms = 90'000;
  expect_error(run(r), "ss 90000 is past the end of the source (duration 60000 ms)");
  r.ss_ms = 60'000;  // an empty range is past the end too
  expect_error(run(r), "ss 60000 is past the end of the source (duration 60000 ms)");
  r.ss_ms = INT64_MAX / 10;
  EXPECT_FALSE(run(r).ok());
}

TEST(Resolve, StreamsPresent) {
  process::HlsM3u8 r;
  r.an = true;
  auto p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->video);
  EXPECT_FALSE(p->audio);

  media::SourceInfo video_only = source();
  video_only.audio.reset();
  p = run({}, video_only);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->video);
  EXPECT_FALSE(p->audio);

  p = run({}, audio_only());
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->video);
  ASSERT_TRUE(p->audio);
  EXPECT_EQ(p->audio->stream_index, 1);

  expect_error(run(r, audio_only()), "an must be 0 for a source without video, got 1");
}

struct FpsCase {
  Rational avg, real;
  std::optional<std::string> fps;
  std::optional<int> fpsopt;
  Rational expected;  // 0/1: an error
};

TEST(Resolve, FrameRate) {
  const FpsCase cases[] = {
      {{25, 1}, {25, 1}, {}, {}, {25, 1}},
      {{30000, 1001}, {30000, 1001}, {}, {}, {30000, 1001}},
      {{2997, 100}, {2997, 100}, {}, {}, {30000, 1001}},        // snapped to NTSC
      {{12800, 512}, {25, 1}, {}, {}, {25, 1}},                  // reduced
      {{4999, 200}, {25, 1}, {}, {}, {25, 1}},                   // within 0.01 of a whole rate
      {{249, 10}, {25, 1}, {}, {}, {249, 10}},                   // kept exact
      {{0, 0}, {24000, 1001}, {}, {}, {24000, 1001}},            // VFR: r_frame_rate
      {{0, 0}, {1000, 1}, {}, {}, {25, 1}},                      // nothing sane: 25
      {{25, 1}, {25, 1}, "29.97", 0, {30000, 1001}},
      {{60, 1}, {60, 1}, "23.976", 0, {24000, 1001}},
      {{60, 1}, {60, 1}, "59.94", 0, {60000, 1001}},
      {{25, 1}, {25, 1}, "12.5", 0, {25, 2}},
      {{25, 1}, {25, 1}, "30", 0, {30, 1}},                      // 0: always fps
      {{25, 1}, {25, 1}, "30", {}, {25, 1}},                     // 1 (default): the lower source rate
      {{25, 1}, {25, 1}, "30", 1, {25, 1}},
      {{25, 1}, {25, 1}, "20", 1, {20, 1}},
      {{25, 1}, {25, 1}, "20", 2, {20, 1}},
      {{25, 1}, {25, 1}, "30", 2, {0, 1}},                       // 2: error when the source is lower
      {{30000, 1001}, {30000, 1001}, "30", 1, {30000, 1001}},
      {{25, 1}, {25, 1}, "abc", 0, {0, 1}},
      {{25, 1}, {25, 1}, "0", 0, {0, 1}},
      {{25, 1}, {25, 1}, "241", 0, {0, 1}},
  };
  for (const FpsCase& c : cases) {
    media::SourceInfo s = source();
    s.video->avg_frame_rate = c.avg;
    s.video->r_frame_rate = c.real;
    process::HlsM3u8 r;
    r.fps = c.fps;
    r.fpsopt = c.fpsopt;
    auto p = run(r, s);
    std::string label = std::to_string(c.avg.num) + "/" + std::to_string(c.avg.den) + " fps=" + c.fps.value_or("-");
    if (c.expected.num == 0) {
      EXPECT_FALSE(p.ok()) << label;
      continue;
    }
    ASSERT_TRUE(p.ok()) << label << ": " << p.error().to_string();
    EXPECT_EQ(p->video->frame_rate, c.expected) << label;
  }
  media::SourceInfo s = source();
  process::HlsM3u8 r;
  r.fps = "30";
  r.fpsopt = 2;
  expect_error(run(r, s), "fps must not exceed the source frame rate 25 when fpsopt is 2, got 30");
}

TEST(FrameRate, ParseAndFormat) {
  EXPECT_EQ(parse_frame_rate("25"), (Rational{25, 1}));
  EXPECT_EQ(parse_frame_rate("23.98"), (Rational{24000, 1001}));
  EXPECT_EQ(parse_frame_rate("14.985"), (Rational{15000, 1001}));
  EXPECT_EQ(parse_frame_rate("29.5"), (Rational{59, 2}));
  EXPECT_EQ(parse_frame_rate("0.5"), (Rational{1, 2}));
  EXPECT_EQ(parse_frame_rate("240"), (Rational{240, 1}));
  for (const char* bad : {"", ".", "25.", ".5", "-25", "1e3", "25fps", "240.001", "00000", "12345", "1.1234567"}) {
    EXPECT_FALSE(parse_frame_rate(bad)) << bad;
  }
  EXPECT_EQ(format_frame_rate({25, 1}), "25");
  EXPECT_EQ(format_frame_rate({30000, 1001}), "29.97");
  EXPECT_EQ(format_frame_rate({24000, 1001}), "23.976");
  EXPECT_EQ(format_frame_rate({60000, 1001}), "59.94");
  EXPECT_EQ(format_frame_rate({25, 2}), "12.5");
}

TEST(Resolve, PixelFormat) {
  const std::pair<const char*, const char*> mapped[] = {
      {"yuv420p", "yuv420p"},         {"yuvj420p", "yuv420p"},         {"yuv422p", "yuv422p"},
      {"yuvj444p", "yuv444p"},        {"yuv420p10le", "yuv420p10le"},  {"p010le", "yuv420p10le"},
      {"yuv422p10be", "yuv422p10le"}, {"yuv444p12le", "yuv444p10le"},  {"rgb24", "yuv420p"},
      {"", "yuv420p"},
  };
  for (const auto& [from, to] : mapped) {
    media::SourceInfo s = source();
    s.video->pix_fmt = from;
    auto p = run({}, s);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->video->pix_fmt, to) << from;
  }
  process::HlsM3u8 r;
  r.pixfmt = "yuv444p";
  EXPECT_EQ(run(r)->video->pix_fmt, "yuv444p");
  r.pixfmt = "rgb24";
  EXPECT_FALSE(run(r).ok());
}

TEST(Resolve, VideoRateControl) {
  process::HlsM3u8 r;
  r.crf_hundredths = 1800;
  r.maxrate = 3'000'000;
  r.bufsize = 6'000'000;
  r.vcodec = "h265";
  auto p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->video->codec, "h265");
  EXPECT_EQ(p->video->encoder, "libx265");
  EXPECT_EQ(p->video->crf, 18);
  EXPECT_EQ(p->video->maxrate, 3'000'000);
  EXPECT_EQ(p->video->bufsize, 6'000'000);
  EXPECT_EQ(p->video->bitrate, 0);

  struct Case { std::int64_t vb; std::optional<int> opt; std::int64_t source; std::int64_t expected; };  // -1: error
  const Case cases[] = {
      {2'000'000, 0, 4'000'000, 2'000'000}, {2'000'000, 1, 4'000'000, 2'000'000}, {2'000'000, 2, 4'000'000, 2'000'000},
      {6'000'000, 0, 4'000'000, 6'000'000}, {6'000'000, 1, 4'000'000, 4'000'000}, {6'000'000, {}, 4'000'000, 4'000'000},
      {6'000'000, 2, 4'000'000, -1},        {6'000'000, 1, 0, 6'000'000},          {6'000'000, 2, 0, 6'000'000},
  };
  for (const Case& c : cases) {
    media::SourceInfo s = source();
    s.video->bit_rate = c.source;
    process::HlsM3u8 v;
    v.vb = c.vb;
    v.vbopt = c.opt;
    auto q = run(v, s);
    if (c.expected < 0) {
      expect_error(q, "vb must not exceed the source video bit rate 4000000 when vbopt is 2, got 6000000");
      continue;
    }
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->video->bitrate, c.expected) << c.vb << " opt " << c.opt.value_or(-1) << " source " << c.source;
  }
  r = {};
  r.vcodec = "vp9";
  EXPECT_FALSE(run(r).ok());
}

TEST(Resolve, AudioRateAndChannels) {
  const std::pair<int, int> rates[] = {{48000, 48000}, {44100, 44100}, {37800, 44100}, {7000, 8000}, {192000, 96000},
                                       {96000, 96000}};
  for (auto [from, to] : rates) {
    media::SourceInfo s = source();
    s.audio->sample_rate = from;
    EXPECT_EQ(run({}, s)->audio->sample_rate, to) << from;
  }
  process::HlsM3u8 r;
  r.ar = 22050;
  r.ac = 6;
  auto p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->audio->sample_rate, 22050);
  EXPECT_EQ(p->audio->channels, 6);
  r.ar = 44000;
  EXPECT_FALSE(run(r).ok());

  media::SourceInfo many = source();
  many.audio->channels = 10;
  EXPECT_EQ(run({}, many)->audio->channels, 8);
  media::SourceInfo mono = source();
  mono.audio->channels = 1;
  EXPECT_EQ(run({}, mono)->audio->channels, 1);
}

TEST(Resolve, AudioBitrateAndQuality) {
  struct Case { std::int64_t ab; std::optional<int> opt; std::int64_t source; std::int64_t expected; };
  const Case cases[] = {
      {64'000, 0, 128'000, 64'000},   {64'000, 1, 128'000, 64'000},   {64'000, 2, 128'000, 64'000},
      {192'000, 0, 128'000, 192'000}, {192'000, 1, 128'000, 128'000}, {192'000, 2, 128'000, -1},
      {192'000, 1, 0, 192'000},
  };
  for (const Case& c : cases) {
    media::SourceInfo s = source();
    s.audio->bit_rate = c.source;
    process::HlsM3u8 r;
    r.ab = c.ab;
    r.abopt = c.opt;
    auto p = run(r, s);
    if (c.expected < 0) {
      expect_error(p, "ab must not exceed the source audio bit rate 128000 when abopt is 2, got 192000");
      continue;
    }
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->audio->bitrate, c.expected);
    EXPECT_EQ(p->audio->quality, -1);
  }
  const std::pair<int, int> qualities[] = {{0, 12}, {50, 124}, {100, 236}};
  for (auto [aq, lambda] : qualities) {
    process::HlsM3u8 r;
    r.aq = aq;
    auto p = run(r);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->audio->quality, aq);
    EXPECT_EQ(p->audio->global_quality, lambda);
    EXPECT_EQ(p->audio->bitrate, 0);
  }
}

TEST(Resolve, SegmentingParameters) {
  const std::pair<std::int64_t, int> ta_defaults[] = {{10'000, 12}, {5'000, 24}, {15'000, 10}, {6'000, 20}};
  for (auto [st, ta] : ta_defaults) {
    process::HlsM3u8 r;
    r.st_ms = st;
    EXPECT_EQ(run(r)->ta, ta) << st;
  }
  process::HlsM3u8 r;
  r.ta = 20;
  r.initd_ms = -1;
  r.initseg_ms = {2000, 2000, 4000};
  auto p = run(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ta, 20);
  EXPECT_EQ(p->initd_ms, -1);
  EXPECT_EQ(p->initseg_ms, (std::vector<std::int64_t>{2000, 2000, 4000}));
  r.initseg_ms = {500};
  EXPECT_FALSE(run(r).ok());
  r = {};
  r.st_ms = 300;
  expect_error(run(r), "st must be in [5000, 15000], got 300");
}

}  // namespace
}  // namespace osslive::hls
