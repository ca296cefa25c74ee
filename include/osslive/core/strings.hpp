#pragma once
// Text helpers shared by every layer: case, trimming, percent-encoding, base64, hex and HTTP dates.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osslive {

std::string to_lower(std::string_view s);

// JSON text nested no deeper than max_depth arrays/objects (strings are skipped): checked before
// parsing, since a deeply nested value costs memory and a recursive destructor.
bool json_nesting_within(std::string_view json, std::size_t max_depth);
std::string to_upper(std::string_view s);
std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view s, std::string_view prefix);
std::vector<std::string_view> split(std::string_view s, char sep);

// Percent-decoding. `+` is never turned into a space (OSS keeps it). nullopt on a broken escape.
std::optional<std::string> percent_decode(std::string_view s);
// RFC 3986: everything but unreserved (A-Z a-z 0-9 - _ . ~) is escaped, upper-case hex.
// keep_slash leaves '/' as is (object paths).
std::string uri_encode(std::string_view s, bool keep_slash = false);

// Base64. decode accepts the standard and the URL-safe alphabet, with or without padding.
std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);  // '-' '_' and no padding
std::optional<std::string> base64_decode(std::string_view text);

std::string hex_lower(std::string_view bytes);
std::string hex_upper(std::string_view bytes);

// RFC 1123 date in GMT, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::int64_t epoch_seconds);
// Accepts RFC 1123, RFC 850 and asctime forms.
std::optional<std::int64_t> parse_http_date(std::string_view text);
// ISO 8601 basic, e.g. "20231203T121212Z" (V4 signing).
std::string iso8601_basic(std::int64_t epoch_seconds);
std::optional<std::int64_t> parse_iso8601_basic(std::string_view text);
// ISO 8601 extended with milliseconds, e.g. "2023-12-03T12:12:12.000Z" (XML listings).
std::string iso8601_extended(std::int64_t epoch_seconds);

// Strict decimal parsing: digits only (optional leading '-' when allowed), no overflow.
std::optional<std::int64_t> parse_int(std::string_view text, bool allow_negative = false);
std::optional<std::uint64_t> parse_uint(std::string_view text);

// A non-negative decimal with at most `decimals` digits after the point, as an integer count of
// 10^-decimals ("23.5", 2 -> 2350). No sign, exponent or empty part ("23." and ".5" fail).
std::optional<std::int64_t> parse_fixed_point(std::string_view text, int decimals);
// The shortest decimal text of value * 10^-decimals: 2350, 2 -> "23.5"; 2300, 2 -> "23".
std::string format_fixed_point(std::int64_t value, int decimals);

}  // namespace osslive
