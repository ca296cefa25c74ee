#pragma once
// GoogleTest prints Rational values as "num/den" in failure messages.
#include <ostream>

#include "osslive/media/rational.hpp"

namespace osslive::media {
inline void PrintTo(const Rational& r, std::ostream* os) { *os << r.num << "/" << r.den; }
}  // namespace osslive::media
