#pragma once
// An exact rational as libav reports it (frame rates, time bases, aspect ratios).
// 0/1 means unknown. Compare values with exact::compare(), not ==, unless both are reduced.
#include <cstdint>
#include <optional>

#include "osslive/core/exact.hpp"

namespace osslive::media {

struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;

  bool positive() const { return num > 0 && den > 0; }
  double to_double() const { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }
  friend bool operator==(const Rational&, const Rational&) = default;
};

}  // namespace osslive::media

namespace osslive::exact {

// num/den reduced; nullopt when den <= 0 or the result does not fit 64 bits.
inline std::optional<media::Rational> make(Int128 num, Int128 den) {
  if (den <= 0) return std::nullopt;
  Int128 g = gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  if (num > kInt64Max || num < -kInt64Max || den > kInt64Max) return std::nullopt;
  return media::Rational{static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)};
}

// Three-way comparison of two rationals with positive denominators.
inline int compare(const media::Rational& a, const media::Rational& b) {
  Int128 l = static_cast<Int128>(a.num) * b.den;
  Int128 r = static_cast<Int128>(b.num) * a.den;
  return l < r ? -1 : (l > r ? 1 : 0);
}

}  // namespace osslive::exact
