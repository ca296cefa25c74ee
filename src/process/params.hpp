#pragma once
// Internal to the process module: the parameter tables behind each operation.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/process/operations.hpp"

namespace osslive::process::detail {

// One "name_value" of a step, split at the first '_' (base64url values contain '_').
struct Param {
  std::string_view name;
  std::string_view value;
};
using Params = std::vector<Param>;

Result<HlsM3u8> parse_m3u8(const Params& params);
Result<SaveAs> parse_saveas(const Params& params);
Result<HlsSign> parse_sign(const Params& params);
Result<HlsTs> parse_ts(const Params& params);

template <typename T>
struct ParamRule {
  std::string_view name;
  Status (*apply)(T& out, std::string_view name, std::string_view value);
};

// Runs each parameter through its rule. The answer has bit i set when rules[i] was given,
// so pairing rules can tell "given as the default" from "not given".
template <typename T, std::size_t N>
Result<std::uint64_t> apply_params(T& out, const std::array<ParamRule<T>, N>& rules, std::string_view op,
                                   const Params& params) {
  static_assert(N <= 64, "the given-set is a 64-bit mask");
  std::uint64_t given = 0;
  for (const Param& p : params) {
    std::size_t i = 0;
    while (i < N && rules[i].name != p.name) ++i;
    if (i == N) return invalid_argument(p.name, "is not a parameter of " + std::string(op), p.value);
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (given & bit) return invalid_argument(p.name, "must not be repeated", p.value);
    given |= bit;
    if (p.value.empty()) return invalid_argument(p.name, "must not be empty", p.value);
    OSSLIVE_TRY(rules[i].apply(out, p.name, p.value));
  }
  return given;
}

// Shared value checks; each failure is invalid_argument(name, rule, value).
Result<std::int64_t> int_in(std::string_view name, std::string_view value, std::int64_t lo, std::int64_t hi);
Result<std::string> base64_key(std::string_view name, std::string_view value);

}  // namespace osslive::process::detail
