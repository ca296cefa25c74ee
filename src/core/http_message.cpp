#include "osslive/core/http_message.hpp"

#include <algorithm>

#include "osslive/core/strings.hpp"

namespace osslive {

void Headers::add(std::string_view name, std::string_view value) {
  fields_.emplace_back(to_lower(name), std::string(value));
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

void Headers::remove(std::string_view name) {
  std::string lower = to_lower(name);
  std::erase_if(fields_, [&](const auto& field) { return field.first == lower; });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  std::string lower = to_lower(name);
  for (const auto& [key, value] : fields_)
    if (key == lower) return std::string_view(value);
  return std::nullopt;
}

std::optional<Query> Query::parse(std::string_view raw) {
  std::vector<QueryParam> params;
  if (raw.empty()) return Query{};
  for (std::string_view part : split(raw, '&')) {
    if (part.empty()) continue;
    QueryParam param;
    auto eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq));
    if (!key) return std::nullopt;
    param.key = std::move(*key);
    if (eq != std::string_view::npos) {
      auto value = percent_decode(part.substr(eq + 1));
      if (!value) return std::nullopt;
      param.value = std::move(*value);
      param.has_value = true;
    }
    params.push_back(std::move(param));
  }
  return Query(std::move(params));
}

const QueryParam* Query::find(std::string_view key) const {
  for (const auto& param : params_)
    if (param.key == key) return &param;
  return nullptr;
}

std::optional<std::string_view> Query::get(std::string_view key) const {
  const QueryParam* param = find(key);
  if (!param) return std::nullopt;
  return std::string_view(param->value);
}

}  // namespace osslive
