#include "osslive/auth/redaction.hpp"

#include <array>

#include "osslive/core/strings.hpp"

namespace osslive::auth {
namespace {

constexpr std::array<std::string_view, 4> kSecretParameters{"signature", "x-oss-signature", "security-token",
                                                            "x-oss-security-token"};
constexpr std::string_view kRedacted = "REDACTED";

// A parameter name as a client may send it: any case, percent-encoded or not.
bool is_secret(std::string_view raw_name) {
  const auto decoded = percent_decode(raw_name);
  const std::string name = to_lower(decoded ? *decoded : std::string(raw_name));
  for (std::string_view secret : kSecretParameters)
    if (name == secret) return true;
  return false;
}

}  // namespace

std::string redact_credentials(std::string_view target) {
  const std::size_t query = target.find('?');
  if (query == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, query + 1));
  std::string_view rest = target.substr(query + 1);
  bool first = true;
  while (true) {
    const std::size_t amp = rest.find('&');
    const std::string_view field = rest.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const std::size_t eq = field.find('=');
    if (eq != std::string_view::npos && is_secret(field.substr(0, eq))) {
      out.append(field.substr(0, eq + 1)).append(kRedacted);
    } else {
      out.append(field);
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return out;
}

}  // namespace osslive::auth
