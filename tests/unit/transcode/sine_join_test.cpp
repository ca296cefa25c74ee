// A pure tone transcoded segment by segment must stay on one sine across every join
// (SEAMLESS.md): the residual of one least-squares sine fit over the whole decoded output stays
// under 5% of the amplitude within +-1024 samples of each join and under 2% at the 99th
// percentile, next to one continuous encode of the same range by the ffmpeg CLI.
#include <cmath>
#include <cstring>
#include <numbers>

#include "transcode_support.hpp"

namespace osslive::transcode::testing {
namespace {

constexpr double kFrequency = 1000;
constexpr int kRate = 48000;

std::vector<float> decode_mono(const fs::path& ts) {
  const std::string raw = capture(ffmpeg() + "-i '" + ts.string() + "' -map 0:a -ac 1 -f f32le - 2>/dev/null");
  std::vector<float> samples(raw.size() / sizeof(float));
  std::memcpy(samples.data(), raw.data(), samples.size() * sizeof(float));
  return samples;
}

struct ToneFit {
  std::vector<double> residual;  // |x - fit| / amplitude per sample (0 outside the fitted range)
  double p99 = 0;
};

// Fits a sin + b cos + c at the known frequency over [edge, n - edge) by least squares.
ToneFit fit_tone(const std::vector<float>& x, std::size_t edge) {
  const double w = 2 * std::numbers::pi * kFrequency / kRate;
  double m[3][3] = {}, v[3] = {};
  for (std::size_t n = edge; n + edge < x.size(); ++n) {
    const double basis[3] = {std::sin(w * static_cast<double>(n)), std::cos(w * static_cast<double>(n)), 1.0};
    for (int i = 0; i < 3; ++i) {
      v[i] += basis[i] * x[n];
      for (int j = 0; j < 3; ++j) m[i][j] += basis[i] * basis[j];
    }
  }
  // Cramer's rule on the 3x3 normal equations.
  auto det = [](double a[3][3]) {
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
           a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  };
  const double d = det(m);
  double coef[3];
  for (int c = 0; c < 3; ++c) {
    double t[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) t[i][j] = j == c ? v[i] : m[i][j];
    coef[c] = det(t) / d;
  }
  const double amplitude = std::hypot(coef[0], coef[1]);
  ToneFit fit;
  fit.residual.assign(x.size(), 0.0);
  std::vector<double> sorted;
  for (std::size_t n = edge; n + edge < x.size(); ++n) {
    const double model = coef[0] * std::sin(w * static_cast<double>(n)) + coef[1] * std::cos(w * static_cast<double>(n)) + coef[2];
    fit.residual[n] = std::abs(x[n] - model) / amplitude;
    sorted.push_back(fit.residual[n]);
  }
  std::sort(sorted.begin(), sorted.end());
  fit.p99 = sorted.empty() ? 1.0 : sorted[sorted.size() * 99 / 100];
  return fit;
}

double worst_near(const ToneFit& fit, const std::vector<std::int64_t>& joins, std::int64_t shift) {
  double worst = 0;
  for (std::int64_t join : joins) {
    for (std::int64_t n = join + shift - 1024; n < join + shift + 1024; ++n) {
      if (n >= 0 && n < static_cast<std::int64_t>(fit.residual.size())) worst = std::max(worst, fit.residual[static_cast<std::size_t>(n)]);
    }
  }
  return worst;
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
  const double ours_join = worst_near(fit, joins, 0);

  // One continuous encode of the same range; its TS plays the encoder's 1024 priming samples
  // first, so its joins sit 1024 samples later.
  const fs::path continuous = work_dir() / "sine-continuous.ts";
  ASSERT_TRUE(run(ffmpeg() + "-i '" + source.string() + "' -map 0:a -c:a aac -f mpegts '" + continuous.string() + "'"));
  const ToneFit reference = fit_tone(decode_mono(continuous), 2048);
  const double reference_join = worst_near(reference, joins, 1024);

  std::printf("[ sine ] worst residual within 1024 samples of a join: segments %.2f%%, one continuous encode %.2f%%\n",
              100 * ours_join, 100 * reference_join);
  std::printf("[ sine ] 99th percentile residual: segments %.2f%%, one continuous encode %.2f%%\n", 100 * fit.p99,
              100 * reference.p99);
  EXPECT_LT(ours_join, 0.05);
  EXPECT_LT(fit.p99, 0.02);
}

}  // namespace
}  // namespace osslive::transcode::testing
