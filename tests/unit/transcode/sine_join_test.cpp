// A pure tone transcoded segment by segment must stay on one sine across every join
// (docs/seamless.md): the residual of one least-squares sine fit over the whole decoded output stays
// under 5% of the amplitude within +-1024 samples of each join and under 2% at the 99th
// percentile, next to one continuous encode of the same range by the ffmpeg CLI.
#include "tone_measure.hpp"

namespace osslive::transcode::testing {
namespace {

constexpr double kFrequency = 1000;
constexpr int kRate = 48000;

struct ToneFit {
  std::vector<double> residual;  // |x - fit| / amplitude per sample (0 outside the fitted range)
  double p99 = 0;
};

ToneFit fit_tone(const std::vector<float>& x, std::size_t edge) {
  const std::size_t to = x.size() > edge ? x.size() - edge : 0;
  const Sine sine = fit_sine(x, kFrequency, kRate, edge, to);
  ToneFit fit;
  fit.residual = relative_residual(x, sine, edge, to);
  fit.p99 = quantile(fit.residual, edge, to, 0.99);
  return fit;
}

TEST(SineJoin, ToneStaysOnOneSineAcrossJoins) {
  const fs::path source = work_dir() / "sine.mov";
  ASSERT_TRUE(run(ffmpeg() + "-f lavfi -i testsrc2=size=320x240:rate=25:duration=16 -f lavfi -i sine=frequency=1000:"
                  "sample_rate=48000:duration=16 -ac 2 -c:v libx264 -preset ultrafast -c:a pcm_s16le '" + source.string() + "'"));
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  ASSERT_EQ(playlist->manifest.params.audio->sample_rate, kRate);
  auto segments = make_all(*playlist, source);
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();
  std::string all;
  for (const auto& s : *segments) all += s;

  std::vector<std::int64_t> joins;
  for (std::size_t i = 1; i < playlist->plan.segments.size(); ++i) {
    joins.push_back(playlist->plan.segments[i].first_audio_frame * 1024);
  }
  ASSERT_GE(joins.size(), 2u);
  const auto ours = decode_mono(write_file("sine-all.ts", all));
  ASSERT_GT(ours.size(), static_cast<std::size_t>(15 * kRate));
  const ToneFit fit = fit_tone(ours, 2048);
  const double ours_join = worst_near(fit.residual, joins, 1024);

  // One continuous encode of the same range; its TS plays the encoder's 1024 priming samples
  // first, so its joins sit 1024 samples later.
  const fs::path continuous = work_dir() / "sine-continuous.ts";
  ASSERT_TRUE(run(ffmpeg() + "-i '" + source.string() + "' -map 0:a -c:a aac -f mpegts '" + continuous.string() + "'"));
  const ToneFit reference = fit_tone(decode_mono(continuous), 2048);
  std::vector<std::int64_t> reference_joins;
  for (std::int64_t join : joins) reference_joins.push_back(join + 1024);
  const double reference_join = worst_near(reference.residual, reference_joins, 1024);

  std::printf("[ sine ] worst residual within 1024 samples of a join: segments %.2f%%, one continuous encode %.2f%%\n",
              100 * ours_join, 100 * reference_join);
  std::printf("[ sine ] 99th percentile residual: segments %.2f%%, one continuous encode %.2f%%\n", 100 * fit.p99,
              100 * reference.p99);
  EXPECT_LT(ours_join, 0.05);
  EXPECT_LT(fit.p99, 0.02);
}

}  // namespace
}  // namespace osslive::transcode::testing
