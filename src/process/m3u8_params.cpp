// hls/m3u8 parameters (docs/api.md, "hls/m3u8"): one table row per parameter, then the pairing rules.
#include <algorithm>
#include <array>
#include <span>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "osslive/core/strings.hpp"
#include "osslive/process/value_rules.hpp"
#include "params.hpp"

namespace osslive::process::detail {
namespace {

// Bounds that keep later arithmetic (ss + t, bit/s * seconds) far from overflow.
constexpr std::int64_t kMaxMediaMs = 1'000'000'000'000;  // ~31 years
constexpr std::int64_t kMaxBitrate = 100'000'000;        // 100 Mbit/s
constexpr std::size_t kMaxInitialSegments = 8;

// Order matches kRules below; a bit per key in the given-set.
enum Key : unsigned {
  kSs,
  kT,
  kSt,
  kInitd,
  kTa,
  kVcodec,
  kFps,
  kFpsopt,
  kPixfmt,
  kS,
  kSopt,
  kScaletype,
  kArotate,
  kVb,
  kVbopt,
  kCrf,
  kMaxrate,
  kBufsize,
  kAn,
  kAcodec,
  kAr,
  kAc,
  kAq,
  kAb,
  kAbopt,
  kInitseg,
  kKeyCount
};

template <typename V>
struct Unwrap {
  using type = V;
};
template <typename V>
struct Unwrap<std::optional<V>> {
  using type = V;
};

template <auto Member, std::int64_t Lo, std::int64_t Hi>
Status set_int(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(std::int64_t n, int_in(name, value, Lo, Hi));
  using Field = std::remove_cvref_t<decltype(out.*Member)>;
  out.*Member = static_cast<typename Unwrap<Field>::type>(n);
  return {};
}

// The value when `choices` lists it (value_rules.hpp).
Result<std::string> one_of(std::string_view name, std::string_view value, std::span<const std::string_view> choices) {
  OSSLIVE_TRY(check_one_of(name, value, choices));
  return std::string(value);
}

Status set_initd(HlsM3u8& out, std::string_view name, std::string_view value) {
  // Any integer: negative means "pre-transcode everything" (docs/api.md, "hls/m3u8").
  auto n = parse_int(value, true);
  if (!n) return invalid_argument(name, "must be an integer", value);
  out.initd_ms = *n;
  return {};
}

Status set_vcodec(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(out.vcodec, one_of(name, value, kVideoCodecs));
  return {};
}

// fps keeps the user's text (it becomes FrameRate in the response); the value is checked in
// thousandths so "29.97" is exact.
Status set_fps(HlsM3u8& out, std::string_view name, std::string_view value) {
  const auto milli = parse_fixed_point(value, 3);
  if (!milli || *milli <= 0 || *milli > 240'000)
    return invalid_argument(name, "must be a decimal in (0, 240] with at most 3 decimals", value);
  out.fps = std::string(value);
  return {};
}

// crf is a float in [0, 51] (x264 and x265 take fractions); kept to 1/100.
Status set_crf(HlsM3u8& out, std::string_view name, std::string_view value) {
  const auto hundredths = parse_fixed_point(value, 2);
  if (!hundredths || *hundredths > 5100)
    return invalid_argument(name, "must be a decimal in [0, 51] with at most 2 decimals", value);
  out.crf_hundredths = *hundredths;
  return {};
}

Status set_pixfmt(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(out.pixfmt,
                 one_of(name, value, kPixelFormats));
  return {};
}

Status set_size(HlsM3u8& out, std::string_view name, std::string_view value) {
  const auto x = value.find('x');
  auto side = [](std::string_view text) -> std::optional<int> {
    auto n = parse_int(text);
    if (!n || *n < 64 || *n > 4096 || *n % 2 != 0) return std::nullopt;
    return static_cast<int>(*n);
  };
  std::optional<int> w, h;
  if (x != std::string_view::npos) {
    w = side(value.substr(0, x));
    h = side(value.substr(x + 1));
  }
  if (!w || !h) return invalid_argument(name, "must be WxH with W and H even and in [64, 4096]", value);
  out.width = w;
  out.height = h;
  return {};
}

Status set_scaletype(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(out.scaletype, one_of(name, value, kScaleTypes));
  return {};
}

Status set_an(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(std::int64_t an, int_in(name, value, 0, 1));
  out.an = an == 1;
  return {};
}

Status set_acodec(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(out.acodec, one_of(name, value, kAudioCodecs));
  return {};
}

Status set_ar(HlsM3u8& out, std::string_view name, std::string_view value) {
  OSSLIVE_ASSIGN(out.ar, parse_sample_rate(name, value));
  return {};
}

// osslive extension (IMM InitialSegments): shorter first segments for a faster start,
// e.g. initseg_2000-2000-4000; regular st segments follow.
Status set_initseg(HlsM3u8& out, std::string_view name, std::string_view value) {
  auto bad = [&] { return invalid_argument(name, "must be 1 to 8 durations in [1000, 15000] joined by '-'", value); };
  if (static_cast<std::size_t>(std::count(value.begin(), value.end(), '-')) >= kMaxInitialSegments) return bad();
  std::vector<std::int64_t> durations;
  for (std::string_view part : split(value, '-')) {
    auto ms = parse_int(part);
    if (!ms || *ms < 1000 || *ms > 15'000) return bad();
    durations.push_back(*ms);
  }
  out.initseg_ms = std::move(durations);
  return {};
}

constexpr std::array<ParamRule<HlsM3u8>, kKeyCount> kRules{{
    {"ss", set_int<&HlsM3u8::ss_ms, 0, kMaxMediaMs>},
    {"t", set_int<&HlsM3u8::t_ms, 0, kMaxMediaMs>},
    {"st", set_int<&HlsM3u8::st_ms, 5000, 15'000>},
    {"initd", set_initd},
    {"ta", set_int<&HlsM3u8::ta, 10, 30>},
    {"vcodec", set_vcodec},
    {"fps", set_fps},
    {"fpsopt", set_int<&HlsM3u8::fpsopt, 0, 2>},
    {"pixfmt", set_pixfmt},
    {"s", set_size},
    {"sopt", set_int<&HlsM3u8::sopt, 0, 2>},
    {"scaletype", set_scaletype},
    {"arotate", set_int<&HlsM3u8::arotate, 0, 1>},
    {"vb", set_int<&HlsM3u8::vb, 1, kMaxBitrate>},
    {"vbopt", set_int<&HlsM3u8::vbopt, 0, 2>},
    {"crf", set_crf},
    {"maxrate", set_int<&HlsM3u8::maxrate, 1, kMaxBitrate>},
    {"bufsize", set_int<&HlsM3u8::bufsize, 1, kMaxBitrate>},
    {"an", set_an},
    {"acodec", set_acodec},
    {"ar", set_ar},
    {"ac", set_int<&HlsM3u8::ac, 1, 8>},
    {"aq", set_int<&HlsM3u8::aq, 0, 100>},
    {"ab", set_int<&HlsM3u8::ab, 1000, 10'000'000>},
    {"abopt", set_int<&HlsM3u8::abopt, 0, 2>},
    {"initseg", set_initseg},
}};
static_assert(kRules[kAbopt].name == "abopt" && kRules[kInitseg].name == "initseg", "kRules must follow Key");

struct Pairing {
  Key key;
  Key other;
  std::string_view rule;
};

// Only real contradictions are refused. A parameter that refines another one (fpsopt, sopt, scaletype,
// arotate, vbopt, abopt, bufsize) or only matters with audio on (acodec, ar, ac, aq, ab with an_1) is
// harmless without it: clients send every documented default, and the output does not change.
constexpr std::array kExclusions{
    Pairing{kCrf, kVb, "cannot be combined with vb"},
    Pairing{kMaxrate, kVb, "cannot be combined with vb"},
    Pairing{kBufsize, kVb, "cannot be combined with vb"},
    Pairing{kAq, kAb, "cannot be combined with ab"},
};
// The documentation says maxrate "must be set with bufsize": x264 cannot cap a rate without a buffer.
constexpr std::array kNeeds{
    Pairing{kMaxrate, kBufsize, "needs bufsize"},
};

std::string_view value_of(const Params& params, Key key) {
  for (const Param& p : params)
    if (p.name == kRules[key].name) return p.value;
  return {};
}

Status check_pairings(std::uint64_t given, const Params& params) {
  auto has = [given](Key k) { return (given >> k) & 1; };
  for (const Pairing& p : kExclusions)
    if (has(p.key) && has(p.other)) return invalid_argument(kRules[p.key].name, p.rule, value_of(params, p.key));
  for (const Pairing& p : kNeeds)
    if (has(p.key) && !has(p.other)) return invalid_argument(kRules[p.key].name, p.rule, value_of(params, p.key));
  return {};
}

}  // namespace

Result<HlsM3u8> parse_m3u8(const Params& params) {
  HlsM3u8 m3u8;
  OSSLIVE_ASSIGN(std::uint64_t given, apply_params(m3u8, kRules, "hls/m3u8", params));
  OSSLIVE_TRY(check_pairings(given, params));
  return m3u8;
}

}  // namespace osslive::process::detail
