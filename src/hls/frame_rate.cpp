// Frame rates as exact rationals: user text, source rates and their display form.
#include <array>
#include <cstdlib>

#include "osslive/core/exact.hpp"
#include "osslive/hls/params.hpp"

namespace osslive::hls {
namespace {

using exact::Int128;

constexpr std::array<std::int64_t, 7> kNtscBases{12, 15, 24, 30, 48, 60, 120};

Int128 abs128(Int128 v) { return v < 0 ? -v : v; }

// N*1000/1001 when num/den is within 0.01 of it.
std::optional<media::Rational> snap_ntsc(media::Rational r) {
  for (std::int64_t base : kNtscBases) {
    // |num/den - base*1000/1001| < 1/100  <=>  100 * |1001 num - 1000 base den| < 1001 den
    Int128 diff = abs128(static_cast<Int128>(r.num) * 1001 - static_cast<Int128>(base) * 1000 * r.den);
    if (diff * 100 < static_cast<Int128>(r.den) * 1001) return media::Rational{base * 1000, 1001};
  }
  return std::nullopt;
}

std::optional<media::Rational> snap_whole(media::Rational r) {
  Int128 whole = (static_cast<Int128>(r.num) * 2 + r.den) / (static_cast<Int128>(r.den) * 2);
  if (whole > 0 && abs128(static_cast<Int128>(r.num) - whole * r.den) * 100 < r.den) {
    return media::Rational{static_cast<std::int64_t>(whole), 1};
  }
  return std::nullopt;
}

bool in_range(media::Rational r, std::int64_t low) {
  return r.positive() && static_cast<Int128>(r.num) >= static_cast<Int128>(low) * r.den &&
         static_cast<Int128>(r.num) <= static_cast<Int128>(kMaxFrameRate) * r.den;
}

}  // namespace

std::optional<media::Rational> parse_frame_rate(std::string_view text) {
  constexpr std::size_t kMaxIntegerDigits = 4, kMaxDecimals = 6;
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view decimals = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > kMaxIntegerDigits || decimals.size() > kMaxDecimals) return std::nullopt;
  if (dot != std::string_view::npos && decimals.empty()) return std::nullopt;
  std::int64_t num = 0, den = 1;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    num = num * 10 + (c - '0');
  }
  for (char c : decimals) {
    if (c < '0' || c > '9') return std::nullopt;
    num = num * 10 + (c - '0');
    den *= 10;
  }
  auto rate = exact::make(num, den);
  if (!rate || !in_range(*rate, 0) || rate->num == 0) return std::nullopt;
  if (auto ntsc = snap_ntsc(*rate)) return ntsc;
  return rate;
}

std::string format_frame_rate(media::Rational rate) {
  if (!rate.positive()) return "0";
  Int128 milli = (static_cast<Int128>(rate.num) * 2000 + rate.den) / (static_cast<Int128>(rate.den) * 2);
  std::string text = std::to_string(static_cast<std::int64_t>(milli / 1000));
  int fraction = static_cast<int>(milli % 1000);
  if (fraction != 0) {
    std::string digits = std::to_string(1000 + fraction).substr(1);
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return text;
}

media::Rational source_frame_rate(const media::VideoStreamInfo& video) {
  // A VFR source may report a time base (1000/1, 90000/1) or 0/0 as its rate: only [1, 240] fps counts.
  for (media::Rational candidate : {video.avg_frame_rate, video.r_frame_rate}) {
    auto reduced = exact::make(candidate.num, candidate.den);
    if (!reduced || !in_range(*reduced, 1)) continue;
    if (auto ntsc = snap_ntsc(*reduced)) return *ntsc;
    if (auto whole = snap_whole(*reduced)) return *whole;
    if (reduced->den <= 1001) return *reduced;
    Int128 milli = (static_cast<Int128>(reduced->num) * 2000 + reduced->den) / (static_cast<Int128>(reduced->den) * 2);
    return *exact::make(milli, 1000);
  }
  return media::Rational{25, 1};
}

std::string_view scale_type_name(ScaleType type) {
  switch (type) {
    case ScaleType::Crop: return "crop";
    case ScaleType::Fill: return "fill";
    case ScaleType::Fit: return "fit";
    case ScaleType::Stretch: break;
  }
  return "stretch";
}

std::optional<ScaleType> parse_scale_type(std::string_view name) {
  for (ScaleType type : {ScaleType::Stretch, ScaleType::Crop, ScaleType::Fill, ScaleType::Fit}) {
    if (scale_type_name(type) == name) return type;
  }
  return std::nullopt;
}

}  // namespace osslive::hls
