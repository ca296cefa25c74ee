#pragma once
// Parsers for the signature a request carries, apart from checking it, so they can be fuzzed.
// Malformed input is an Error, never a crash or an exception.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/auth/types.hpp"
#include "osslive/core/result.hpp"

namespace osslive::auth {

// The parts of one signature, whichever scheme and form carried it.
struct SignatureParts {
  Scheme scheme = Scheme::Anonymous;
  std::string access_key_id;
  std::string signature;
  std::vector<std::string> additional_headers;  // lower-case, in the order given
  std::string security_token;                   // query forms only (header forms sign the header)
  // V1/V2 presigned: the expiry as sent (it is signed as text) and its value, epoch seconds.
  std::string expires_text;
  std::int64_t expires = 0;
  // V4: the credential scope; v4_datetime and v4_expires come with the presigned form only
  // (the header form takes x-oss-date from the headers).
  std::string v4_date;    // yyyymmdd
  std::string v4_region;  // as in the scope, e.g. "cn-hangzhou"
  std::string v4_datetime;
  std::int64_t v4_expires = 0;
};

// `OSS AK:Signature`, `OSS2 AccessKeyId:AK,AdditionalHeaders:a;b,Signature:S` and
// `OSS4-HMAC-SHA256 Credential=AK/yyyymmdd/region/oss/aliyun_v4_request,AdditionalHeaders=a;b,
// Signature=hex` (V2/V4 parameters in any order, spaces allowed). InvalidArgument otherwise.
Result<SignatureParts> parse_authorization_header(std::string_view value);

// The signature parameters of a presigned URL: V1 (OSSAccessKeyId, Expires, Signature), V2
// (x-oss-signature-version=OSS2, ...) or V4 (x-oss-signature-version=OSS4-HMAC-SHA256, ...).
// nullopt when the query carries none of them; AccessDenied when one is missing;
// InvalidArgument for a malformed value.
Result<std::optional<SignatureParts>> parse_presigned_query(const Query& query);

// "AK/yyyymmdd/region/oss/aliyun_v4_request" into parts (access key, date, region).
Status parse_v4_credential(std::string_view credential, SignatureParts& parts);

// "a;B; c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> parse_additional_headers(std::string_view list);

}  // namespace osslive::auth
