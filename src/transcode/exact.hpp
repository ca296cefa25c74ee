#pragma once
// Private to src/transcode: exact integer arithmetic for the output timeline, so every job maps
// the same frame or sample to the same 90 kHz tick whatever segment it makes.
#include <cstdint>

namespace osslive::transcode::exact {

__extension__ typedef __int128 Int128;

// floor(a / b), ceil(a / b) and round-half-up(a / b) for b > 0 and any a.
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

inline std::int64_t gcd(std::int64_t a, std::int64_t b) {
  while (b != 0) {
    std::int64_t t = a % b;
    a = b;
    b = t;
  }
  return a < 0 ? -a : a;
}

// 90 kHz ticks of `units` counted at num/den units per second, rounded half up.
inline std::int64_t ticks(std::int64_t units, std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(round_div(static_cast<Int128>(units) * 90000 * den, num));
}

// Microseconds of `units` counted at num/den units per second, rounded down.
inline std::int64_t micros(std::int64_t units, std::int64_t num, std::int64_t den) {
  return static_cast<std::int64_t>(floor_div(static_cast<Int128>(units) * 1'000'000 * den, num));
}

}  // namespace osslive::transcode::exact
