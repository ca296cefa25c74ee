// sys/saveas, hls/sign and hls/ts parameters, plus the value checks every operation shares.
#include "params.hpp"

#include <string>

#include "osslive/core/strings.hpp"

namespace osslive::process::detail {
namespace {

constexpr std::size_t kMaxKeyBytes = 1023;

bool valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

}  // namespace

Result<std::int64_t> int_in(std::string_view name, std::string_view value, std::int64_t lo, std::int64_t hi) {
  auto n = parse_int(value, lo < 0);
  if (!n || *n < lo || *n > hi)
    return invalid_argument(name, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]", value);
  return *n;
}

Result<std::string> base64_key(std::string_view name, std::string_view value) {
  auto key = base64_decode(value);
  if (!key || key->empty() || key->size() > kMaxKeyBytes || key->find('\0') != std::string::npos)
    return invalid_argument(name, "must be the base64 of an object key of 1..1023 bytes without NUL", value);
  return std::move(*key);
}

Result<SaveAs> parse_saveas(const Params& params) {
  static constexpr std::array<ParamRule<SaveAs>, 2> kRules{{
      {"o",
       [](SaveAs& out, std::string_view name, std::string_view value) -> Status {
         OSSLIVE_ASSIGN(out.object, base64_key(name, value));
         return {};
       }},
      {"b",
       [](SaveAs& out, std::string_view name, std::string_view value) -> Status {
         auto bucket = base64_decode(value);
         if (!bucket || !valid_bucket_name(*bucket))
           return invalid_argument(
               name, "must be the base64 of a bucket name (3..63 of a-z 0-9 -, not starting or ending with -)", value);
         out.bucket = std::move(*bucket);
         return {};
       }},
  }};
  SaveAs save;
  OSSLIVE_ASSIGN(std::uint64_t given, apply_params(save, kRules, "sys/saveas", params));
  if (!(given & 1))
    return Error(Errc::InvalidArgument, "sys/saveas needs o_<base64 of the target object key>")
        .with("ArgumentName", "o")
        .with("ArgumentValue", "");
  return save;
}

Result<HlsSign> parse_sign(const Params& params) {
  static constexpr std::array<ParamRule<HlsSign>, 1> kRules{{
      {"live",
       [](HlsSign& out, std::string_view name, std::string_view value) -> Status {
         OSSLIVE_ASSIGN(std::int64_t live, int_in(name, value, 0, 1));
         out.live = live == 1;
         return {};
       }},
  }};
  HlsSign sign;
  OSSLIVE_TRY(apply_params(sign, kRules, "hls/sign", params));
  return sign;
}

Result<HlsTs> parse_ts(const Params& params) {
  static constexpr std::array<ParamRule<HlsTs>, 1> kRules{{
      {"from",
       [](HlsTs& out, std::string_view name, std::string_view value) -> Status {
         auto key = base64_decode(value);
         if (!key || key->size() <= 5 || key->size() > kMaxKeyBytes || key->find('\0') != std::string::npos ||
             !key->ends_with(".m3u8"))
           return invalid_argument(name, "must be the base64 of a playlist key ending in .m3u8", value);
         out.from = std::move(*key);
         return {};
       }},
  }};
  HlsTs ts;
  OSSLIVE_TRY(apply_params(ts, kRules, "hls/ts", params));
  return ts;
}

}  // namespace osslive::process::detail
