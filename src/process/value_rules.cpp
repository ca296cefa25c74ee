#include "osslive/process/value_rules.hpp"

#include <algorithm>

#include "osslive/core/strings.hpp"

namespace osslive::process {
namespace {

template <typename List>
std::string listed(const List& choices) {
  std::string text = "must be one of ";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i) text += ", ";
    if constexpr (std::is_arithmetic_v<typename List::value_type>) text += std::to_string(choices[i]);
    else text += choices[i];
  }
  return text;
}

}  // namespace

bool is_aac_sample_rate(std::int64_t rate) {
  return std::find(kAacSampleRates.begin(), kAacSampleRates.end(), rate) != kAacSampleRates.end();
}

bool is_pixel_format(std::string_view name) {
  return std::find(kPixelFormats.begin(), kPixelFormats.end(), name) != kPixelFormats.end();
}

Status check_one_of(std::string_view name, std::string_view value, std::span<const std::string_view> choices) {
  if (std::find(choices.begin(), choices.end(), value) != choices.end()) return {};
  return invalid_argument(name, listed(choices), value);
}

Result<int> parse_sample_rate(std::string_view name, std::string_view value) {
  const auto rate = parse_int(value);
  if (!rate || !is_aac_sample_rate(*rate)) return invalid_argument(name, listed(kAacSampleRates), value);
  return static_cast<int>(*rate);
}

}  // namespace osslive::process
