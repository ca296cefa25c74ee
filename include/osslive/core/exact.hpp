#pragma once
// Exact integer arithmetic for timelines and plans. Products such as microseconds x frame-rate
// numerator can pass 2^63 on long sources, so they go through 128 bits; and every job must map the
// same frame or sample to the same tick whatever segment it makes, so nothing here rounds through
// floating point.
#include <cstdint>

namespace osslive::exact {

__extension__ typedef __int128 Int128;

inline constexpr Int128 kInt64Max = INT64_MAX;

// floor(a / b), ceil(a / b), round-half-up(a / b) and a - b * floor(a / b), for b > 0 and any a.
inline Int128 floor_div(Int128 a, Int128 b) {
  Int128 q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
inline Int128 ceil_div(Int128 a, Int128 b) {
  Int128 q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}
inline Int128 round_div(Int128 a, Int128 b) { return floor_div(2 * a + b, 2 * b); }
inline Int128 floor_mod(Int128 a, Int128 b) { return a - floor_div(a, b) * b; }

// Greatest common divisor, never negative.
inline Int128 gcd(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}
inline std::int64_t gcd(std::int64_t a, std::int64_t b) { return static_cast<std::int64_t>(gcd(Int128{a}, Int128{b})); }

// 90 kHz ticks of `units` counted at num/den units per second, rounded half up.
inline std::int64_t ticks(std::int64_t units, std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(round_div(static_cast<Int128>(units) * 90000 * den, num));
}

// Microseconds of `units` counted at num/den units per second, rounded down.
inline std::int64_t micros(std::int64_t units, std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(floor_div(static_cast<Int128>(units) * 1'000'000 * den, num));
}

}  // namespace osslive::exact
