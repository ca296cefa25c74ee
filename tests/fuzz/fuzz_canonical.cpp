// Canonical strings, differentially (issue 18): two decoded requests that would execute
// differently never share a V1, V2 or V4 string to sign, unless auth::check_unambiguous refuses
// one of them for that scheme.
//   line 1: method A   line 2: key A (decoded)   line 3: raw query A (Query::parse)
//   line 4: method B   line 5: key B             line 6: raw query B
// Missing lines are empty. Both requests are in bucket "examplebucket" with no headers, so only
// the method, key and query can tell them apart.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "osslive/auth/unambiguous.hpp"
#include "signed_requests.hpp"

namespace {

using namespace osslive;
using namespace osslive::auth;

struct Parsed {
  std::string method;
  std::string key;
  Query query;
};

Parsed next_request(std::string_view& input) {
  Parsed out;
  out.method = std::string(fuzz::next_line(input));
  out.key = std::string(fuzz::next_line(input));
  auto query = Query::parse(fuzz::next_line(input));
  if (query) out.query = std::move(*query);
  return out;
}

bool shares_a_string(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a)
    for (const std::string& y : b)
      if (x == y) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  const Parsed a = next_request(input);
  const Parsed b = next_request(input);
  const Headers headers;
  const SignableRequest request_a{a.method, "examplebucket", a.key, a.query, headers};
  const SignableRequest request_b{b.method, "examplebucket", b.key, b.query, headers};
  for (Scheme scheme : {Scheme::V1Query, Scheme::V2Query, Scheme::V4Query}) {
    if (!check_unambiguous(scheme, request_a).ok() || !check_unambiguous(scheme, request_b).ok()) continue;
    if (fuzz::execution(scheme, request_a) == fuzz::execution(scheme, request_b)) continue;
    OSSLIVE_FUZZ_CHECK(!shares_a_string(fuzz::signed_strings(scheme, request_a), fuzz::signed_strings(scheme, request_b)));
  }
  return 0;
}
