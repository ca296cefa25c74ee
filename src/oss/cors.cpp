#include "osslive/oss/cors.hpp"

#include "osslive/core/strings.hpp"
#include "osslive/oss/xml.hpp"

namespace osslive::oss {
namespace {

constexpr std::size_t kMaxRules = 10;
constexpr std::string_view kMethods[] = {"GET", "PUT", "DELETE", "POST", "HEAD"};

// One '*' matches any run of characters, as OSS allows in AllowedOrigin and AllowedHeader.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto equal = [&](std::string_view a, std::string_view b) { return ignore_case ? iequals(a, b) : a == b; };
  auto star = pattern.find('*');
  if (star == std::string_view::npos) return equal(pattern, text);
  std::string_view head = pattern.substr(0, star), tail = pattern.substr(star + 1);
  return text.size() >= head.size() + tail.size() && equal(text.substr(0, head.size()), head) &&
         equal(text.substr(text.size() - tail.size()), tail);
}

std::vector<std::string> texts(const XmlNode& rule, std::string_view name) {
  std::vector<std::string> out;
  for (const XmlNode* node : rule.children_named(name)) out.push_back(std::string(trim(node->text)));
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Result<CorsConfiguration> parse_cors_configuration(std::string_view xml) {
  OSSLIVE_ASSIGN(XmlNode root, parse_xml(xml));
  if (root.name != "CORSConfiguration") return Error(Errc::MalformedXML, "the root element must be <CORSConfiguration>");
  CorsConfiguration config;
  config.response_vary = root.child_text("ResponseVary") == "true";
  auto rules = root.children_named("CORSRule");
  if (rules.empty() || rules.size() > kMaxRules)
    return Error(Errc::InvalidArgument, "a CORS configuration needs 1 to 10 <CORSRule> elements")
        .with("ArgumentName", "CORSRule");
  for (const XmlNode* node : rules) {
    CorsRule rule;
    rule.allowed_origins = texts(*node, "AllowedOrigin");
    rule.allowed_methods = texts(*node, "AllowedMethod");
    for (auto& header : texts(*node, "AllowedHeader")) rule.allowed_headers.push_back(to_lower(header));
    rule.expose_headers = texts(*node, "ExposeHeader");
    if (rule.allowed_origins.empty() || rule.allowed_methods.empty())
      return Error(Errc::InvalidArgument, "each CORSRule needs AllowedOrigin and AllowedMethod")
          .with("ArgumentName", "CORSRule");
    for (const auto& origin : rule.allowed_origins)
      if (std::count(origin.begin(), origin.end(), '*') > 1)
        return invalid_argument("AllowedOrigin", "may hold at most one '*'", origin);
    for (const auto& header : rule.allowed_headers)
      if (std::count(header.begin(), header.end(), '*') > 1)
        return invalid_argument("AllowedHeader", "may hold at most one '*'", header);
    for (const auto& method : rule.allowed_methods)
      if (std::find(std::begin(kMethods), std::end(kMethods), method) == std::end(kMethods))
        return invalid_argument("AllowedMethod", "must be GET, PUT, DELETE, POST or HEAD", method);
    if (auto age = node->child("MaxAgeSeconds")) {
      auto value = parse_int(trim(age->text));
      if (!value || *value > 999999999) return invalid_argument("MaxAgeSeconds", "must be a number of seconds", age->text);
      rule.max_age_seconds = static_cast<int>(*value);
    }
    config.rules.push_back(std::move(rule));
  }
  return config;
}

const CorsRule* match_cors(const CorsConfiguration& config, std::string_view origin, std::string_view method,
                           const std::vector<std::string>& request_headers) {
  for (const CorsRule& rule : config.rules) {
    bool origin_ok = std::any_of(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                 [&](const std::string& pattern) { return wildcard_match(pattern, origin, false); });
    bool method_ok = std::find(rule.allowed_methods.begin(), rule.allowed_methods.end(), method) !=
                     rule.allowed_methods.end();
    bool headers_ok = std::all_of(request_headers.begin(), request_headers.end(), [&](const std::string& header) {
      return std::any_of(rule.allowed_headers.begin(), rule.allowed_headers.end(),
                         [&](const std::string& pattern) { return wildcard_match(pattern, header, true); });
    });
    if (origin_ok && method_ok && headers_ok) return &rule;
  }
  return nullptr;
}

void add_cors_headers(Response& response, const CorsConfiguration& config, const CorsRule& rule,
                      std::string_view origin, bool preflight, std::string_view requested_headers) {
  auto& h = response.headers;
  bool any_origin = rule.allowed_origins.size() == 1 && rule.allowed_origins[0] == "*";
  h.set("Access-Control-Allow-Origin", any_origin ? std::string_view("*") : origin);
  h.set("Access-Control-Allow-Methods", join(rule.allowed_methods));
  if (!rule.expose_headers.empty()) h.set("Access-Control-Expose-Headers", join(rule.expose_headers));
  if (preflight) {
    if (!requested_headers.empty()) h.set("Access-Control-Allow-Headers", requested_headers);
    if (rule.max_age_seconds >= 0) h.set("Access-Control-Max-Age", std::to_string(rule.max_age_seconds));
  }
  if (config.response_vary || !any_origin) h.set("Vary", "Origin");
}

}  // namespace osslive::oss
