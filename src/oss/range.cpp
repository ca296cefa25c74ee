#include "osslive/oss/range.hpp"

#include "osslive/core/strings.hpp"

namespace osslive::oss {

std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
  header = trim(header);
  if (!starts_with_icase(header, "bytes=")) return std::nullopt;
  std::string_view spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos || size == 0) return std::nullopt;
  std::string_view first_text = trim(spec.substr(0, dash));
  std::string_view last_text = trim(spec.substr(dash + 1));
  if (first_text.empty()) {  // suffix: the last n bytes
    auto n = parse_uint(last_text);
    if (!n || *n == 0) return std::nullopt;
    std::uint64_t length = std::min(*n, size);
    return ByteRange{size - length, size - 1};
  }
  auto first = parse_uint(first_text);
  if (!first || *first >= size) return std::nullopt;
  if (last_text.empty()) return ByteRange{*first, size - 1};
  auto last = parse_uint(last_text);
  if (!last || *last < *first) return std::nullopt;
  return ByteRange{*first, std::min(*last, size - 1)};
}

namespace {

std::string_view bare_etag(std::string_view tag) {
  tag = trim(tag);
  if (tag.size() >= 2 && (tag.substr(0, 2) == "W/" || tag.substr(0, 2) == "w/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  return tag;
}

bool list_matches(std::string_view list, std::string_view etag) {
  for (std::string_view item : split(list, ',')) {
    std::string_view tag = bare_etag(item);
    if (tag == "*" || iequals(tag, etag)) return true;
  }
  return false;
}

}  // namespace

Precondition evaluate_preconditions(const Headers& headers, std::string_view etag, std::int64_t last_modified) {
  auto if_match = headers.get("if-match");
  if (if_match) {
    if (!list_matches(*if_match, etag)) return Precondition::Failed;
  } else if (auto since = headers.get("if-unmodified-since")) {
    auto time = parse_http_date(*since);
    if (time && last_modified > *time) return Precondition::Failed;
  }
  auto if_none_match = headers.get("if-none-match");
  if (if_none_match) {
    if (list_matches(*if_none_match, etag)) return Precondition::NotModified;
  } else if (auto since = headers.get("if-modified-since")) {
    auto time = parse_http_date(*since);
    if (time && last_modified <= *time) return Precondition::NotModified;
  }
  return Precondition::Proceed;
}

}  // namespace osslive::oss
