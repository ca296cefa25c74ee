// Range and conditional headers, and the core text helpers every request header goes through.
//   line 1: object size (decimal; anything else: the line's length)
//   line 2: the object's ETag (bare upper-case hex)
//   line 3: its Last-Modified, epoch seconds (anything else: 0)
//   every further line: "name: value" header.
// parse_range runs on the Range header, evaluate_preconditions on all headers, and every
// header value also goes through parse_http_date, percent_decode and base64_decode; the whole
// input through Query::parse. Each success must round-trip or satisfy the documented bounds.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "osslive/core/http_message.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/oss/range.hpp"

namespace {

using namespace osslive;

// Years 1970..9999: the span http_date() prints in its fixed four-digit form.
constexpr std::int64_t kLastPrintable = 253402300799;

void check_range(std::string_view header, std::uint64_t size) {
  auto range = oss::parse_range(header, size);
  if (!range) return;
  OSSLIVE_FUZZ_CHECK(size > 0 && range->first <= range->last && range->last < size);
  OSSLIVE_FUZZ_CHECK(range->length() >= 1 && range->length() <= size);
}

void check_http_date(std::string_view text) {
  auto when = parse_http_date(text);
  if (!when || *when < 0 || *when > kLastPrintable) return;
  OSSLIVE_FUZZ_CHECK(parse_http_date(http_date(*when)) == when);
}

void check_percent(std::string_view text) {
  auto decoded = percent_decode(text);
  if (!decoded) return;
  OSSLIVE_FUZZ_CHECK(decoded->size() <= text.size());
  OSSLIVE_FUZZ_CHECK(percent_decode(uri_encode(*decoded)) == decoded);
  OSSLIVE_FUZZ_CHECK(percent_decode(uri_encode(*decoded, true)) == decoded);
}

void check_base64(std::string_view text) {
  auto decoded = base64_decode(text);
  if (!decoded) return;
  OSSLIVE_FUZZ_CHECK(decoded->size() <= text.size() * 3 / 4);
  OSSLIVE_FUZZ_CHECK(base64_decode(base64_encode(*decoded)) == decoded);
  OSSLIVE_FUZZ_CHECK(base64_decode(base64url_encode(*decoded)) == decoded);
}

// Re-encoding every parameter and parsing again gives the same keys, values and "k" / "k=" forms.
void check_query(std::string_view raw) {
  auto query = Query::parse(raw);
  if (!query) return;
  std::string encoded;
  for (const QueryParam& param : query->params()) {
    if (!encoded.empty()) encoded += '&';
    encoded += uri_encode(param.key);
    if (param.has_value) encoded += "=" + uri_encode(param.value);
  }
  auto again = Query::parse(encoded);
  OSSLIVE_FUZZ_CHECK(again && again->params().size() == query->params().size());
  for (std::size_t i = 0; i < query->params().size(); ++i) {
    const QueryParam& a = query->params()[i];
    const QueryParam& b = again->params()[i];
    OSSLIVE_FUZZ_CHECK(a.key == b.key && a.value == b.value && a.has_value == b.has_value);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  check_query(input);

  std::string_view rest = input;
  const std::string_view size_line = fuzz::next_line(rest);
  const std::uint64_t object_size = parse_uint(size_line).value_or(size_line.size());
  const std::string etag(fuzz::next_line(rest));
  const std::int64_t last_modified = parse_int(fuzz::next_line(rest), true).value_or(0);
  Headers headers;
  while (!rest.empty()) {
    std::string_view line = fuzz::next_line(rest);
    auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? std::string_view() : trim(line.substr(colon + 1));
    headers.add(trim(line.substr(0, colon)), value);
    check_http_date(value);
    check_percent(value);
    check_base64(value);
  }
  if (auto range = headers.get("range")) check_range(*range, object_size);

  auto outcome = oss::evaluate_preconditions(headers, etag, last_modified);
  // Without any conditional header every request proceeds.
  if (!headers.has("if-match") && !headers.has("if-none-match") && !headers.has("if-modified-since") &&
      !headers.has("if-unmodified-since"))
    OSSLIVE_FUZZ_CHECK(outcome == oss::Precondition::Proceed);
  return 0;
}
