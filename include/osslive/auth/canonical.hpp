#pragma once
// What each OSS signature scheme signs, byte for byte as the official SDKs (ali-oss, oss2,
// the Go SDKs) compute it, and the MACs over it. Pure functions: no clock, no credentials.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/auth/types.hpp"

namespace osslive::auth {

// --- V1: OSS AK:base64(HMAC-SHA1) --------------------------------------------------------

// True for query keys that belong to the V1 CanonicalizedResource: OSS's sub-resource list
// (acl, uploads, uploadId, partNumber, response-*, security-token, ...) and any `x-oss-*` key.
bool is_v1_subresource(std::string_view query_key);

// The V1 Date slot of a header-signed request: x-oss-date if present, else Date.
std::optional<std::string_view> v1_date_slot(const Headers& headers);

// VERB \n Content-MD5 \n Content-Type \n date_slot \n CanonicalizedOSSHeaders CanonicalizedResource.
// For presigned URLs date_slot is the Expires value.
std::string v1_string_to_sign(const SignableRequest& request, std::string_view date_slot);
std::string v1_signature(std::string_view secret, std::string_view string_to_sign);

// --- V2: OSS2, base64(HMAC-SHA256) -------------------------------------------------------

// Like V1, plus the additional headers among the canonical headers and as a ';' line, and a
// resource of uri_encode("/bucket/key") (slashes escaped too) with every query parameter but
// x-oss-signature, RFC 3986-encoded and sorted. additional_headers: lower-case.
std::string v2_string_to_sign(const SignableRequest& request, std::string_view date_slot,
                              const std::vector<std::string>& additional_headers);
std::string v2_signature(std::string_view secret, std::string_view string_to_sign);

// --- V4: OSS4-HMAC-SHA256, hex(HMAC-SHA256 with a derived key) ---------------------------

// How a query parameter sent as `k=` signs. Every SDK signs an empty value as the bare `k`,
// except ali-oss V4 for ordinary (non sub-resource) parameters, which signs `k=`.
enum class EmptyValue { Bare, AsSent };

// VERB \n URI \n QUERY \n HEADERS \n ADDITIONAL \n PAYLOAD-HASH. URI is always /bucket/key;
// QUERY every parameter but x-oss-signature; HEADERS x-oss-*, content-type, content-md5 and the
// additional headers (kept in the order the signer listed them).
std::string v4_canonical_request(const SignableRequest& request, const std::vector<std::string>& additional_headers,
                                 std::string_view payload_hash, EmptyValue empty = EmptyValue::Bare);
// x-oss-content-sha256 if the request carries it, else UNSIGNED-PAYLOAD.
std::string_view v4_payload_hash(const Headers& headers);
// "20231203/cn-hangzhou/oss/aliyun_v4_request"
std::string v4_scope(std::string_view date, std::string_view region);
std::string v4_string_to_sign(std::string_view datetime, std::string_view scope, std::string_view canonical_request);
// date is yyyymmdd; the key chain is "aliyun_v4"+secret -> date -> region -> oss -> aliyun_v4_request.
std::string v4_signature(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view string_to_sign);

// OSS region ids come as "oss-cn-hangzhou" (endpoints, ali-oss config) and "cn-hangzhou"
// (V4 scopes): the latter.
std::string_view v4_standard_region(std::string_view region);

}  // namespace osslive::auth
