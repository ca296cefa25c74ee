// Request signatures: parse_authorization_header and parse_presigned_query on the raw bytes, and
// Verifier::verify over a request built from them:
//   line 1: method   line 2: bucket   line 3: key (decoded)   line 4: raw query
//   every further line: "name: value" header (a line without ':' is a header with no value).
// The clock and credentials are those of the ali-oss vectors in tests/unit/auth, so the seed
// requests verify and the fuzzer starts from the success paths.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "osslive/auth/authorization_parser.hpp"
#include "osslive/auth/verifier.hpp"
#include "osslive/core/strings.hpp"

namespace {

using namespace osslive;
using namespace osslive::auth;

constexpr std::string_view kAk = "LTAI5tExampleAccessKey";
constexpr std::string_view kSk = "ExampleAccessKeySecret0123456789";
constexpr std::int64_t kNow = 1701605532;  // Sun, 03 Dec 2023 12:12:12 GMT

const Verifier& verifier() {
  static const StaticCredentials credentials({{std::string(kAk), std::string(kSk)}});
  static const FixedClock clock(kNow);
  static const Verifier instance(credentials, clock, VerifierOptions{15 * 60, "oss-cn-hangzhou"});
  return instance;
}

bool lower_case(const std::vector<std::string>& names) {
  for (const std::string& name : names)
    if (name.empty() || name != to_lower(name)) return false;
  return true;
}

void check_parts(const SignatureParts& parts) {
  OSSLIVE_FUZZ_CHECK(parts.scheme != Scheme::Anonymous && !parts.access_key_id.empty() && !parts.signature.empty());
  OSSLIVE_FUZZ_CHECK(lower_case(parts.additional_headers));
  if (parts.scheme == Scheme::V4Header || parts.scheme == Scheme::V4Query) {
    OSSLIVE_FUZZ_CHECK(parts.v4_date.size() == 8 && !parts.v4_region.empty());
  }
  if (parts.scheme == Scheme::V4Query) {
    OSSLIVE_FUZZ_CHECK(parts.v4_expires >= 1 && parts.v4_expires <= kV4MaxExpiresSeconds);
    OSSLIVE_FUZZ_CHECK(parse_iso8601_basic(parts.v4_datetime).has_value());
  }
}

void check_header(std::string_view value) {
  auto parts = parse_authorization_header(value);
  if (!parts.ok()) return;
  OSSLIVE_FUZZ_CHECK(parts->scheme == Scheme::V1Header || parts->scheme == Scheme::V2Header ||
                     parts->scheme == Scheme::V4Header);
  check_parts(*parts);
}

void check_query(const Query& query) {
  auto parts = parse_presigned_query(query);
  if (!parts.ok() || !parts->has_value()) return;
  OSSLIVE_FUZZ_CHECK(is_presigned((*parts)->scheme));
  check_parts(**parts);
}

void check_request(std::string_view input) {
  const std::string method(fuzz::next_line(input));
  const std::string bucket(fuzz::next_line(input));
  const std::string key(fuzz::next_line(input));
  const std::string_view raw_query = fuzz::next_line(input);
  auto parsed = Query::parse(raw_query);
  const Query query = parsed ? std::move(*parsed) : Query{};
  Headers headers;
  while (!input.empty()) {
    std::string_view line = fuzz::next_line(input);
    auto colon = line.find(':');
    headers.add(trim(line.substr(0, colon)), colon == std::string_view::npos ? "" : trim(line.substr(colon + 1)));
  }
  if (auto authorization = headers.get("authorization")) check_header(*authorization);
  check_query(query);

  auto identity = verifier().verify(SignableRequest{method, bucket, key, query, headers});
  if (!identity.ok() || identity->scheme == Scheme::Anonymous) return;
  // Only the one configured secret can make a signature match.
  OSSLIVE_FUZZ_CHECK(identity->access_key_id == kAk);
  OSSLIVE_FUZZ_CHECK(lower_case(identity->additional_headers));
  if (identity->scheme == Scheme::V1Query || identity->scheme == Scheme::V2Query)
    OSSLIVE_FUZZ_CHECK(identity->expires >= kNow);
  if (headers.has("authorization")) OSSLIVE_FUZZ_CHECK(!is_presigned(identity->scheme));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  check_header(input);
  if (auto query = Query::parse(input)) check_query(*query);
  check_request(input);
  return 0;
}
