#pragma once
// An exact rational as libav reports it (frame rates, time bases, aspect ratios).
// 0/1 means unknown. Compare values with same_value(), not ==, unless both are reduced.
#include <cstdint>

namespace osslive::media {

struct Rational {
  std::int64_t num = 0;
  std::int64_t den = 1;

  bool positive() const { return num > 0 && den > 0; }
  double to_double() const { return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den); }
  friend bool operator==(const Rational&, const Rational&) = default;
};

}  // namespace osslive::media
