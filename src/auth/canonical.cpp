#include "osslive/auth/canonical.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <tuple>
#include <utility>

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::auth {

namespace {

// The union of the sub-resource lists of oss2, the Go SDKs and the Java SDK: a client signs a
// key from its own list, so the server must sign every key any of them may sign. Keys starting
// with x-oss- are signed too (checked separately). Sorted, for binary_search.
constexpr std::string_view kV1SubResources[] = {
    "acl", "append", "asyncFetch", "bucketInfo", "callback", "callback-var", "cloudboxes", "cname", "comp",
    "continuation-token", "cors", "delete", "encryption", "endTime", "group", "img", "inventory", "inventoryId",
    "lifecycle", "link", "live", "location", "logging", "metaQuery", "objectInfo", "objectMeta", "partNumber",
    "policy", "position", "qos", "qosInfo", "referer", "regionList", "replication", "replicationLocation",
    "replicationProgress", "requestPayment", "resourceGroup", "response-cache-control",
    "response-content-disposition", "response-content-encoding", "response-content-language",
    "response-content-type", "response-expires", "restore", "security-token", "sequential", "startTime", "stat",
    "status", "style", "styleName", "symlink", "tagging", "transferAcceleration", "udf", "udfApplication",
    "udfApplicationLog", "udfId", "udfImage", "udfImageDesc", "udfName", "uploadId", "uploads", "versionId",
    "versioning", "versions", "vod", "website", "withHashContext", "worm", "wormExtend", "wormId",
};
static_assert(std::is_sorted(std::begin(kV1SubResources), std::end(kV1SubResources)));

constexpr std::string_view kOssPrefix = "x-oss-";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Header name -> values (trimmed, joined by ',' when the name repeats), sorted by name.
using CanonicalHeaders = std::map<std::string, std::string>;

template <typename Pred>
CanonicalHeaders collect_headers(const Headers& headers, Pred wanted) {
  CanonicalHeaders out;
  for (const auto& [name, value] : headers.fields()) {
    if (!wanted(name)) continue;
    auto [it, inserted] = out.try_emplace(name, std::string(trim(value)));
    if (!inserted) it->second.append(",").append(trim(value));
  }
  return out;
}

void append_headers(std::string& out, const CanonicalHeaders& headers) {
  for (const auto& [name, value] : headers) out.append(name).append(":").append(value).append("\n");
}

std::string header_or_empty(const Headers& headers, std::string_view name) {
  return std::string(headers.get(name).value_or(std::string_view{}));
}

// VERB, Content-MD5, Content-Type and the date slot: the head V1 and V2 share.
std::string v1_head(const SignableRequest& request, std::string_view date_slot) {
  std::string out;
  out.append(request.method).append("\n");
  out.append(header_or_empty(request.headers, "content-md5")).append("\n");
  out.append(header_or_empty(request.headers, "content-type")).append("\n");
  out.append(date_slot).append("\n");
  return out;
}

// Every query parameter but the signature, RFC 3986-encoded, sorted by encoded key; an empty
// value signs as a bare key (`uploads=` and `uploads` are the same resource to the SDKs).
std::string encoded_query(const Query& query, EmptyValue empty = EmptyValue::Bare) {
  struct Encoded {
    std::string key;
    std::string value;
    bool equals;
    bool operator<(const Encoded& other) const {
      return std::tie(key, value, equals) < std::tie(other.key, other.value, other.equals);
    }
  };
  std::vector<Encoded> params;
  for (const auto& param : query.params()) {
    if (param.key == "x-oss-signature") continue;
    bool equals = !param.value.empty() || (empty == EmptyValue::AsSent && param.has_value);
    params.push_back({uri_encode(param.key), uri_encode(param.value), equals});
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& param : params) {
    if (!out.empty()) out.push_back('&');
    out.append(param.key);
    if (param.equals) out.append("=").append(param.value);
  }
  return out;
}

std::string bucket_key_path(const SignableRequest& request) {
  std::string path = "/";
  if (!request.bucket.empty()) path.append(request.bucket).append("/").append(request.key);
  return path;
}

}  // namespace

bool is_v1_subresource(std::string_view query_key) {
  return starts_with(query_key, kOssPrefix) ||
         std::binary_search(std::begin(kV1SubResources), std::end(kV1SubResources), query_key);
}

std::optional<std::string_view> v1_date_slot(const Headers& headers) {
  if (auto oss_date = headers.get("x-oss-date")) return oss_date;
  return headers.get("date");
}

std::string v1_string_to_sign(const SignableRequest& request, std::string_view date_slot) {
  std::string out = v1_head(request, date_slot);
  append_headers(out, collect_headers(request.headers, [](std::string_view name) {
                   return starts_with(name, kOssPrefix);
                 }));
  out.append(bucket_key_path(request));

  // Raw decoded values, as every SDK signs them; sorted by key, the value breaking ties.
  std::vector<std::pair<std::string_view, std::string_view>> subresources;
  for (const auto& param : request.query.params())
    if (is_v1_subresource(param.key)) subresources.emplace_back(param.key, param.value);
  std::sort(subresources.begin(), subresources.end());
  char separator = '?';
  for (const auto& [key, value] : subresources) {
    out.push_back(separator);
    separator = '&';
    out.append(key);
    if (!value.empty()) out.append("=").append(value);
  }
  return out;
}

std::string v1_signature(std::string_view secret, std::string_view string_to_sign) {
  return base64_encode(hmac_sha1(secret, string_to_sign));
}

std::string v2_string_to_sign(const SignableRequest& request, std::string_view date_slot,
                              const std::vector<std::string>& additional_headers) {
  std::vector<std::string> additional = additional_headers;
  std::sort(additional.begin(), additional.end());
  additional.erase(std::unique(additional.begin(), additional.end()), additional.end());

  std::string out = v1_head(request, date_slot);
  append_headers(out, collect_headers(request.headers, [&](std::string_view name) {
                   return starts_with(name, kOssPrefix) ||
                          std::binary_search(additional.begin(), additional.end(), name);
                 }));
  for (std::size_t i = 0; i < additional.size(); ++i) out.append(i ? ";" : "").append(additional[i]);
  out.append("\n");
  out.append(uri_encode(bucket_key_path(request)));
  std::string query = encoded_query(request.query);
  if (!query.empty()) out.append("?").append(query);
  return out;
}

std::string v2_signature(std::string_view secret, std::string_view string_to_sign) {
  return base64_encode(hmac_sha256(secret, string_to_sign));
}

std::string v4_canonical_request(const SignableRequest& request, const std::vector<std::string>& additional_headers,
                                 std::string_view payload_hash, EmptyValue empty) {
  std::string out;
  out.append(request.method).append("\n");
  out.append(uri_encode(bucket_key_path(request), /*keep_slash=*/true)).append("\n");
  out.append(encoded_query(request.query, empty)).append("\n");
  append_headers(out, collect_headers(request.headers, [&](std::string_view name) {
                   return starts_with(name, kOssPrefix) || name == "content-type" || name == "content-md5" ||
                          std::find(additional_headers.begin(), additional_headers.end(), name) !=
                              additional_headers.end();
                 }));
  out.append("\n");
  for (std::size_t i = 0; i < additional_headers.size(); ++i)
    out.append(i ? ";" : "").append(additional_headers[i]);
  out.append("\n");
  out.append(payload_hash);
  return out;
}

std::string_view v4_payload_hash(const Headers& headers) {
  return headers.get("x-oss-content-sha256").value_or(kUnsignedPayload);
}

std::string v4_scope(std::string_view date, std::string_view region) {
  std::string out(date);
  out.append("/").append(region).append("/").append(kV4Product).append("/").append(kV4Terminator);
  return out;
}

std::string v4_string_to_sign(std::string_view datetime, std::string_view scope, std::string_view canonical_request) {
  std::string out(kV4Algorithm);
  out.append("\n").append(datetime).append("\n").append(scope).append("\n");
  out.append(hex_lower(sha256(canonical_request)));
  return out;
}

std::string v4_signature(std::string_view secret, std::string_view date, std::string_view region,
                         std::string_view string_to_sign) {
  std::string key = hmac_sha256(std::string("aliyun_v4").append(secret), date);
  key = hmac_sha256(key, region);
  key = hmac_sha256(key, kV4Product);
  key = hmac_sha256(key, kV4Terminator);
  return hex_lower(hmac_sha256(key, string_to_sign));
}

std::string_view v4_standard_region(std::string_view region) {
  return starts_with(region, "oss-") ? region.substr(4) : region;
}

}  // namespace osslive::auth
