#pragma once
// Client-side signing with the same canonicalisation the verifier uses: Authorization header
// values for tests, benchmarks and tools. Presigned URLs come from presign_like (verifier.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "osslive/auth/types.hpp"
#include "osslive/core/result.hpp"

namespace osslive::auth {

// `OSS AK:Signature`. The request must already carry Date or x-oss-date (and any
// x-oss-security-token). InvalidArgument when it carries neither date.
Result<std::string> authorization_v1(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret);

// `OSS2 AccessKeyId:AK[,AdditionalHeaders:a;b],Signature:S`; same date rule as V1.
Result<std::string> authorization_v2(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret, const std::vector<std::string>& additional_headers = {});

// `OSS4-HMAC-SHA256 Credential=AK/date/region/oss/aliyun_v4_request[,AdditionalHeaders=..],
// Signature=hex`. The request must carry x-oss-date (yyyymmddTHHMMSSZ); x-oss-content-sha256
// is the payload hash when present. region is the scope region ("cn-hangzhou"; an
// "oss-" prefix is dropped as ali-oss does).
Result<std::string> authorization_v4(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret, std::string_view region,
                                     const std::vector<std::string>& additional_headers = {});

}  // namespace osslive::auth
