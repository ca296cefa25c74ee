#pragma once
// Single byte ranges (RFC 7233 subset OSS supports) and conditional GET rules (RFC 7232).
#include <cstdint>
#include <optional>
#include <string_view>

#include "osslive/core/http_message.hpp"

namespace osslive::oss {

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
  std::uint64_t length() const { return last - first + 1; }
};

// "bytes=a-b", "bytes=a-", "bytes=-n" against an object of `size` bytes. Anything else —
// several ranges, garbage, or a range that does not fit — is nullopt, and OSS then serves the
// whole object with 200.
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size);

enum class Precondition { Proceed, NotModified, Failed };

// If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, in RFC 7232 order.
// etag is the bare upper-case hex; last_modified in epoch seconds.
Precondition evaluate_preconditions(const Headers& headers, std::string_view etag, std::int64_t last_modified);

}  // namespace osslive::oss
