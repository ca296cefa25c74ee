#pragma once
// What a signature binds, for the canonical-string checks (issue 18): shared by fuzz_canonical
// and the property test in tests/unit/auth/unambiguous_test.cpp.
#include <map>
#include <string>
#include <vector>

#include "osslive/auth/canonical.hpp"

namespace osslive::fuzz {

// What a request does, as far as `scheme` binds it: method, bucket, key and the parameters the
// handlers read (V1: the sub-resources, all it signs, as on OSS; V2/V4: every parameter). `k` and
// `k=` do the same; a parameter named twice is read at its first occurrence.
inline std::string execution(auth::Scheme scheme, const auth::SignableRequest& request) {
  const bool v1 = scheme == auth::Scheme::V1Header || scheme == auth::Scheme::V1Query;
  std::map<std::string, std::string> read;
  for (const QueryParam& param : request.query.params()) {
    if (v1 && !auth::is_v1_subresource(param.key)) continue;
    read.try_emplace(param.key, param.value);
  }
  std::string out(request.method);
  out.append("\n").append(request.bucket).append("\n").append(request.key);
  for (const auto& [name, value] : read) out.append("\n").append(name).append("\n=").append(value);
  return out;
}

// Every string to sign under which a signature over `request` could verify (V4 also accepts the
// ali-oss form of `k=`, see EmptyValue). The date slot is fixed: both requests share it.
inline std::vector<std::string> signed_strings(auth::Scheme scheme, const auth::SignableRequest& request) {
  switch (scheme) {
    case auth::Scheme::V1Header:
    case auth::Scheme::V1Query:
      return {auth::v1_string_to_sign(request, "1700000000")};
    case auth::Scheme::V2Header:
    case auth::Scheme::V2Query:
      return {auth::v2_string_to_sign(request, "1700000000", {})};
    default:
      return {auth::v4_canonical_request(request, {}, auth::kUnsignedPayload, auth::EmptyValue::Bare),
              auth::v4_canonical_request(request, {}, auth::kUnsignedPayload, auth::EmptyValue::AsSent)};
  }
}

}  // namespace osslive::fuzz
