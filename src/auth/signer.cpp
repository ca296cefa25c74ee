#include "osslive/auth/signer.hpp"

#include "osslive/auth/canonical.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::auth {

namespace {

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out.push_back(sep);
    out.append(item);
  }
  return out;
}

std::vector<std::string> lower_all(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const auto& name : names) out.push_back(to_lower(name));
  return out;
}

}  // namespace

Result<std::string> authorization_v1(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret) {
  auto date = v1_date_slot(request.headers);
  if (!date) return invalid_argument("Date", "V1 signing needs a Date or x-oss-date header", "");
  std::string signature = v1_signature(secret, v1_string_to_sign(request, *date));
  return "OSS " + std::string(access_key_id) + ":" + signature;
}

Result<std::string> authorization_v2(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret, const std::vector<std::string>& additional_headers) {
  auto date = v1_date_slot(request.headers);
  if (!date) return invalid_argument("Date", "V2 signing needs a Date or x-oss-date header", "");
  std::vector<std::string> additional = lower_all(additional_headers);
  std::string signature = v2_signature(secret, v2_string_to_sign(request, *date, additional));
  std::string out = "OSS2 AccessKeyId:" + std::string(access_key_id);
  if (!additional.empty()) out += ",AdditionalHeaders:" + join(additional, ';');
  return out + ",Signature:" + signature;
}

Result<std::string> authorization_v4(const SignableRequest& request, std::string_view access_key_id,
                                     std::string_view secret, std::string_view region,
                                     const std::vector<std::string>& additional_headers) {
  auto datetime = request.headers.get("x-oss-date");
  if (!datetime || !parse_iso8601_basic(*datetime))
    return invalid_argument("x-oss-date", "V4 signing needs x-oss-date as yyyymmddTHHMMSSZ",
                            datetime.value_or(""));
  std::string_view date = datetime->substr(0, 8);
  std::string_view scope_region = v4_standard_region(region);
  std::vector<std::string> additional = lower_all(additional_headers);
  std::string canonical = v4_canonical_request(request, additional, v4_payload_hash(request.headers));
  std::string scope = v4_scope(date, scope_region);
  std::string signature = v4_signature(secret, date, scope_region, v4_string_to_sign(*datetime, scope, canonical));
  std::string out = std::string(kV4Algorithm) + " Credential=" + std::string(access_key_id) + "/" + scope;
  if (!additional.empty()) out += ",AdditionalHeaders=" + join(additional, ';');
  return out + ",Signature=" + signature;
}

}  // namespace osslive::auth
