#pragma once
// Test support: how far decoded audio is from one pure tone. A sine of known frequency is fitted
// by least squares (a sin + b cos + c); what the fit leaves over is what coding and joining
// added, and the fitted phase in short windows shows where samples sit in time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <string>
#include <vector>

#include "transcode_support.hpp"

namespace osslive::transcode::testing {

// The first audio stream of `file`, decoded by the ffmpeg CLI and mixed to one channel, at the
// stream's own rate.
inline std::vector<float> decode_mono(const fs::path& file) {
  const std::string raw = capture(ffmpeg() + "-i '" + file.string() + "' -map 0:a:0 -ac 1 -f f32le - 2>/dev/null");
  std::vector<float> samples(raw.size() / sizeof(float));
  std::memcpy(samples.data(), raw.data(), samples.size() * sizeof(float));
  return samples;
}

struct Sine {
  double w = 0;  // radians per sample
  double a = 0, b = 0, c = 0;
  double amplitude() const { return std::hypot(a, b); }
  // x(n) = amplitude * sin(w n + phase) + c
  double phase() const { return std::atan2(b, a); }
  double at(std::size_t n) const {
    const double t = w * static_cast<double>(n);
    return a * std::sin(t) + b * std::cos(t) + c;
  }
};

// Fits the tone over x[from, to), sample n taken at time n / rate.
inline Sine fit_sine(const std::vector<float>& x, double frequency, int rate, std::size_t from, std::size_t to) {
  Sine s;
  s.w = 2 * std::numbers::pi * frequency / rate;
  to = std::min(to, x.size());
  double m[3][3] = {}, v[3] = {};
  for (std::size_t n = from; n < to; ++n) {
    const double t = s.w * static_cast<double>(n);
    const double basis[3] = {std::sin(t), std::cos(t), 1.0};
    for (int i = 0; i < 3; ++i) {
      v[i] += basis[i] * x[n];
      for (int j = 0; j < 3; ++j) m[i][j] += basis[i] * basis[j];
    }
  }
  // Cramer's rule on the 3x3 normal equations.
  auto det = [](const double a[3][3]) {
    return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
           a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  };
  const double d = det(m);
  if (d == 0) return s;
  double coef[3];
  for (int col = 0; col < 3; ++col) {
    double t[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) t[i][j] = j == col ? v[i] : m[i][j];
    coef[col] = det(t) / d;
  }
  s.a = coef[0];
  s.b = coef[1];
  s.c = coef[2];
  return s;
}

// |x - fit| / amplitude over [from, to): 0 elsewhere.
inline std::vector<double> relative_residual(const std::vector<float>& x, const Sine& fit, std::size_t from, std::size_t to) {
  std::vector<double> r(x.size(), 0.0);
  const double amplitude = fit.amplitude();
  to = std::min(to, x.size());
  for (std::size_t n = from; n < to; ++n) r[n] = std::abs(x[n] - fit.at(n)) / amplitude;
  return r;
}

// The q-quantile (0..1) of r[from, to).
inline double quantile(const std::vector<double>& r, std::size_t from, std::size_t to, double q) {
  to = std::min(to, r.size());
  if (from >= to) return 1.0;
  std::vector<double> sorted(r.begin() + static_cast<std::ptrdiff_t>(from), r.begin() + static_cast<std::ptrdiff_t>(to));
  const auto k = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1));
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(k), sorted.end());
  return sorted[k];
}

// The largest r within [at - half, at + half) of any of `points`.
inline double worst_near(const std::vector<double>& r, const std::vector<std::int64_t>& points, std::int64_t half) {
  double worst = 0;
  for (std::int64_t p : points) {
    for (std::int64_t n = std::max<std::int64_t>(0, p - half); n < p + half && n < static_cast<std::int64_t>(r.size()); ++n)
      worst = std::max(worst, r[static_cast<std::size_t>(n)]);
  }
  return worst;
}

// How many samples later the tone runs in x[at, at + window) than in x[at - window, at): the
// phase of the fit on each side, as a time shift within (-period/2, period/2].
inline double phase_step(const std::vector<float>& x, double frequency, int rate, std::size_t at, std::size_t window) {
  if (at < window || at + window > x.size()) return 0;
  const Sine before = fit_sine(x, frequency, rate, at - window, at);
  const Sine after = fit_sine(x, frequency, rate, at, at + window);
  double d = before.phase() - after.phase();
  while (d > std::numbers::pi) d -= 2 * std::numbers::pi;
  while (d <= -std::numbers::pi) d += 2 * std::numbers::pi;
  return d / before.w;
}

}  // namespace osslive::transcode::testing
