#pragma once
// Vocabulary shared by the canonicaliser, the parsers, the signer and the verifier.
#include <cstdint>
#include <string_view>

#include "osslive/core/http_message.hpp"

namespace osslive::auth {

enum class Scheme { Anonymous, V1Header, V1Query, V2Header, V2Query, V4Header, V4Query };

bool is_presigned(Scheme scheme);

// What signing covers. bucket and key are decoded and path-style whatever the addressing.
struct SignableRequest {
  std::string_view method;
  std::string_view bucket;  // empty for service-level requests (ListBuckets)
  std::string_view key;     // empty for bucket-level requests
  const Query& query;
  const Headers& headers;
};

inline constexpr std::string_view kV4Algorithm = "OSS4-HMAC-SHA256";
inline constexpr std::string_view kV4Terminator = "aliyun_v4_request";
inline constexpr std::string_view kV4Product = "oss";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::int64_t kV4MaxExpiresSeconds = 7 * 24 * 3600;

}  // namespace osslive::auth
