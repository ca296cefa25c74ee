#pragma once
// Bucket CORS as OSS does it: rules stored with PutBucketCors, matched on origin, method and
// requested headers, for OPTIONS preflights and for the headers of actual responses.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/http_message.hpp"
#include "osslive/core/result.hpp"

namespace osslive::oss {

struct CorsRule {
  std::vector<std::string> allowed_origins;  // at most one '*' each
  std::vector<std::string> allowed_methods;  // GET PUT DELETE POST HEAD
  std::vector<std::string> allowed_headers;  // lower-case, '*' wildcard
  std::vector<std::string> expose_headers;
  int max_age_seconds = -1;                  // -1: not sent
};

struct CorsConfiguration {
  std::vector<CorsRule> rules;  // 1..10
  bool response_vary = false;
};

// Parses and validates a PutBucketCors body (MalformedXML / InvalidArgument).
Result<CorsConfiguration> parse_cors_configuration(std::string_view xml);

// The first rule allowing origin + method + every requested header, or nullopt.
const CorsRule* match_cors(const CorsConfiguration& config, std::string_view origin, std::string_view method,
                           const std::vector<std::string>& request_headers);

// Response headers for an allowed request (preflight adds methods, headers and max-age).
void add_cors_headers(Response& response, const CorsConfiguration& config, const CorsRule& rule,
                      std::string_view origin, bool preflight, std::string_view requested_headers);

}  // namespace osslive::oss
