#pragma once
// Test fixtures shared by the auth tests: the credentials the vectors were made with and a
// request built from a URL exactly as an SDK printed it.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "osslive/auth/types.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::auth::testing {

// The vectors in these tests were produced by ali-oss 6.23.0 (lib/common/signUtils.js,
// signatureUrl, signatureUrlV4 and the request path with authorizationV4 on and off), with
// these credentials, region oss-cn-hangzhou, bucket examplebucket and the clock fixed at
// 2023-12-03T12:12:12Z.
inline constexpr std::string_view kAk = "LTAI5tExampleAccessKey";
inline constexpr std::string_view kSk = "ExampleAccessKeySecret0123456789";
inline constexpr std::string_view kToken = "CAIS+token/with=chars&more";
inline constexpr std::int64_t kNow = 1701605532;  // Sun, 03 Dec 2023 12:12:12 GMT
inline constexpr std::string_view kEndpoint = "oss-cn-hangzhou.aliyuncs.com";

struct TestRequest {
  std::string method;
  std::string bucket;
  std::string key;
  Query query;
  Headers headers;

  SignableRequest view() const { return {method, bucket, key, query, headers}; }
};

using HeaderList = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// "http://<bucket>.<endpoint>/<encoded key>?<query>" (or the bare endpoint for service-level
// requests) into the decoded, path-style parts the signer covers.
inline TestRequest from_url(std::string_view method, std::string_view url, HeaderList headers = {}) {
  TestRequest request;
  request.method = std::string(method);
  if (url.substr(0, 7) == "http://") url.remove_prefix(7);
  auto slash = url.find('/');
  std::string_view host = url.substr(0, slash);
  std::string_view target = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  if (host.size() > kEndpoint.size()) request.bucket = std::string(host.substr(0, host.size() - kEndpoint.size() - 1));
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);
  request.key = percent_decode(path.substr(1)).value_or("<bad escape>");
  if (question != std::string_view::npos) request.query = Query::parse(target.substr(question + 1)).value_or(Query{});
  for (const auto& [name, value] : headers) request.headers.add(name, value);
  return request;
}

// The raw query of a URL, or the whole string when it has no '?'.
inline std::string_view query_of(std::string_view url) {
  auto question = url.find('?');
  return question == std::string_view::npos ? url : url.substr(question + 1);
}

}  // namespace osslive::auth::testing
