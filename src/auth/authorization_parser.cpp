#include "osslive/auth/authorization_parser.hpp"

#include "osslive/core/strings.hpp"

namespace osslive::auth {

namespace {

constexpr std::string_view kAuthorization = "Authorization";

Error bad_header(std::string_view rule, std::string_view value) {
  return invalid_argument(kAuthorization, rule, value);
}

Error missing_part(std::string_view name) {
  return Error(Errc::AccessDenied, "Presigned URL is missing the " + std::string(name) + " parameter.");
}

// Splits "k<sep>v, k<sep>v" into trimmed pairs; V2 uses ':' and V4 '=' between name and value.
struct Param {
  std::string_view name;
  std::string_view value;
};

Result<std::vector<Param>> split_params(std::string_view text, char name_sep, std::string_view whole) {
  std::vector<Param> params;
  for (std::string_view item : split(text, ',')) {
    item = trim(item);
    auto pos = item.find(name_sep);
    if (pos == std::string_view::npos || pos == 0) return bad_header("has a parameter without a name", whole);
    Param param{trim(item.substr(0, pos)), trim(item.substr(pos + 1))};
    if (param.value.empty()) return bad_header("has an empty parameter", whole);
    for (const Param& seen : params)
      if (iequals(seen.name, param.name)) return bad_header("repeats a parameter", whole);
    params.push_back(param);
  }
  return params;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Result<SignatureParts> parse_v1_header(std::string_view rest, std::string_view whole) {
  auto colon = rest.find(':');
  if (colon == std::string_view::npos) return bad_header("must be OSS AccessKeyId:Signature", whole);
  SignatureParts parts;
  parts.scheme = Scheme::V1Header;
  parts.access_key_id = std::string(trim(rest.substr(0, colon)));
  parts.signature = std::string(trim(rest.substr(colon + 1)));
  if (parts.access_key_id.empty() || parts.signature.empty())
    return bad_header("must be OSS AccessKeyId:Signature", whole);
  return parts;
}

// OSS2 and OSS4-HMAC-SHA256 headers: named parameters, each once, of which the scheme's key
// parameter (AccessKeyId or Credential) and Signature are required.
struct NamedHeader {
  Scheme scheme;
  char name_sep;
  std::string_view algorithm;
  std::string_view key_param;
  Status (*read_key)(std::string_view value, SignatureParts& parts);  // the key parameter's value into parts
};

Status read_access_key_id(std::string_view value, SignatureParts& parts) {
  parts.access_key_id = std::string(value);
  return {};
}

constexpr NamedHeader kV2Header{Scheme::V2Header, ':', "OSS2", "AccessKeyId", read_access_key_id};
constexpr NamedHeader kV4Header{Scheme::V4Header, '=', kV4Algorithm, "Credential", parse_v4_credential};

Result<SignatureParts> parse_named_header(const NamedHeader& form, std::string_view rest, std::string_view whole) {
  OSSLIVE_ASSIGN(auto params, split_params(rest, form.name_sep, whole));
  SignatureParts parts;
  parts.scheme = form.scheme;
  bool has_key = false;
  for (const Param& param : params) {
    if (iequals(param.name, form.key_param)) {
      OSSLIVE_TRY(form.read_key(param.value, parts));
      has_key = true;
    } else if (iequals(param.name, "Signature")) {
      parts.signature = std::string(param.value);
    } else if (iequals(param.name, "AdditionalHeaders")) {
      parts.additional_headers = parse_additional_headers(param.value);
    } else {
      return bad_header("has an unknown " + std::string(form.algorithm) + " parameter", whole);
    }
  }
  if (!has_key || parts.signature.empty())
    return bad_header(std::string(form.algorithm) + " needs " + std::string(form.key_param) + " and Signature", whole);
  return parts;
}

Result<std::int64_t> epoch_param(std::string_view name, std::string_view value) {
  auto parsed = parse_int(value);
  if (!parsed) return invalid_argument(name, "must be epoch seconds", value);
  return *parsed;
}

// The parameters a V1 or V2 presigned URL carries, by scheme; both are read the same way.
struct PresignedNames {
  Scheme scheme;
  std::string_view access_key_id;
  std::string_view expires;
  std::string_view signature;
};
constexpr PresignedNames kV1Names{Scheme::V1Query, "OSSAccessKeyId", "Expires", "Signature"};
constexpr PresignedNames kV2Names{Scheme::V2Query, "x-oss-access-key-id", "x-oss-expires", "x-oss-signature"};

Result<SignatureParts> parse_presigned(const Query& query, const PresignedNames& names) {
  SignatureParts parts;
  parts.scheme = names.scheme;
  auto access_key_id = query.get(names.access_key_id);
  auto expires = query.get(names.expires);
  auto signature = query.get(names.signature);
  if (!access_key_id || access_key_id->empty()) return missing_part(names.access_key_id);
  if (!expires || expires->empty()) return missing_part(names.expires);
  if (!signature || signature->empty()) return missing_part(names.signature);
  OSSLIVE_ASSIGN(parts.expires, epoch_param(names.expires, *expires));
  parts.access_key_id = std::string(*access_key_id);
  parts.expires_text = std::string(*expires);
  parts.signature = std::string(*signature);
  if (names.scheme == Scheme::V2Query) {
    parts.additional_headers = parse_additional_headers(query.get("x-oss-additional-headers").value_or(""));
  }
  parts.security_token = std::string(query.get("security-token").value_or(""));
  return parts;
}

Result<SignatureParts> parse_v1_query(const Query& query) { return parse_presigned(query, kV1Names); }
Result<SignatureParts> parse_v2_query(const Query& query) { return parse_presigned(query, kV2Names); }

Result<SignatureParts> parse_v4_query(const Query& query) {
  SignatureParts parts;
  parts.scheme = Scheme::V4Query;
  auto credential = query.get("x-oss-credential");
  auto datetime = query.get("x-oss-date");
  auto expires = query.get("x-oss-expires");
  auto signature = query.get("x-oss-signature");
  if (!credential || credential->empty()) return missing_part("x-oss-credential");
  if (!datetime || datetime->empty()) return missing_part("x-oss-date");
  if (!expires || expires->empty()) return missing_part("x-oss-expires");
  if (!signature || signature->empty()) return missing_part("x-oss-signature");
  OSSLIVE_TRY(parse_v4_credential(*credential, parts));
  if (!parse_iso8601_basic(*datetime)) return invalid_argument("x-oss-date", "must be yyyymmddTHHMMSSZ", *datetime);
  auto seconds = parse_int(*expires);
  if (!seconds || *seconds < 1 || *seconds > kV4MaxExpiresSeconds)
    return invalid_argument("x-oss-expires", "must be in [1, 604800]", *expires);
  parts.v4_datetime = std::string(*datetime);
  parts.v4_expires = *seconds;
  parts.signature = std::string(*signature);
  parts.additional_headers = parse_additional_headers(query.get("x-oss-additional-headers").value_or(""));
  parts.security_token = std::string(query.get("x-oss-security-token").value_or(""));
  return parts;
}

Result<std::optional<SignatureParts>> present(Result<SignatureParts> parts) {
  if (!parts.ok()) return std::move(parts).error();
  return std::optional<SignatureParts>(std::move(parts).value());
}

}  // namespace

Result<SignatureParts> parse_authorization_header(std::string_view value) {
  std::string_view text = trim(value);
  auto space = text.find_first_of(" \t");
  if (space == std::string_view::npos) return bad_header("must be <scheme> <credentials>", value);
  std::string_view scheme = text.substr(0, space);
  std::string_view rest = trim(text.substr(space + 1));
  if (scheme == "OSS") return parse_v1_header(rest, value);
  if (scheme == kV2Header.algorithm) return parse_named_header(kV2Header, rest, value);
  if (scheme == kV4Header.algorithm) return parse_named_header(kV4Header, rest, value);
  return bad_header("scheme must be OSS, OSS2 or OSS4-HMAC-SHA256", value);
}

Result<std::optional<SignatureParts>> parse_presigned_query(const Query& query) {
  if (auto version = query.get("x-oss-signature-version")) {
    if (*version == "OSS2") return present(parse_v2_query(query));
    if (*version == kV4Algorithm) return present(parse_v4_query(query));
    return invalid_argument("x-oss-signature-version", "must be OSS2 or OSS4-HMAC-SHA256", *version);
  }
  if (query.has("OSSAccessKeyId") || query.has("Signature") || query.has("Expires")) return present(parse_v1_query(query));
  if (query.has("x-oss-signature") || query.has("x-oss-credential") || query.has("x-oss-access-key-id"))
    return missing_part("x-oss-signature-version");
  return std::optional<SignatureParts>{};
}

Status parse_v4_credential(std::string_view credential, SignatureParts& parts) {
  constexpr std::string_view kRule = "must be AccessKeyId/yyyymmdd/region/oss/aliyun_v4_request";
  auto items = split(credential, '/');
  if (items.size() != 5) return invalid_argument("Credential", kRule, credential);
  std::string_view access_key_id = trim(items[0]);
  std::string_view date = items[1];
  std::string_view region = items[2];
  if (access_key_id.empty() || date.size() != 8 || !is_digits(date) || region.empty() || items[3] != kV4Product ||
      items[4] != kV4Terminator)
    return invalid_argument("Credential", kRule, credential);
  parts.access_key_id = std::string(access_key_id);
  parts.v4_date = std::string(date);
  parts.v4_region = std::string(region);
  return {};
}

std::vector<std::string> parse_additional_headers(std::string_view list) {
  std::vector<std::string> out;
  for (std::string_view item : split(list, ';')) {
    item = trim(item);
    if (!item.empty()) out.push_back(to_lower(item));
  }
  return out;
}

}  // namespace osslive::auth
