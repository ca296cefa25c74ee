#pragma once
// Private to src/hls: exact integer arithmetic for the plan. Products such as
// microseconds x frame-rate numerator can pass 2^63 on long sources, so they go through 128 bits.
#include <cstdint>
#include <numeric>
#include <optional>

#include "osslive/media/rational.hpp"

namespace osslive::hls::exact {

__extension__ typedef __int128 Int128;

// ceil(a / b) and floor(a / b) for b > 0 and any a.
inline Int128 floor_div(Int128 a, Int128 b) {
  Int128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
inline Int128 ceil_div(Int128 a, Int128 b) {
  Int128 q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

inline Int128 gcd128(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

constexpr Int128 kInt64Max = INT64_MAX;

// num/den reduced; nullopt when den <= 0 or the result does not fit 64 bits.
inline std::optional<media::Rational> make(Int128 num, Int128 den) {
  if (den <= 0) return std::nullopt;
  Int128 g = gcd128(num, den);
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

}  // namespace osslive::hls::exact
