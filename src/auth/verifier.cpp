#include "osslive/auth/verifier.hpp"

#include <cstdlib>

#include "osslive/auth/authorization_parser.hpp"
#include "osslive/auth/canonical.hpp"
#include "osslive/auth/unambiguous.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::auth {

namespace {

// What the server signs for a request: it depends on the request only, not on the secret.
struct Signed {
  std::string string_to_sign;
  std::string canonical_request;  // V4 only, returned with SignatureDoesNotMatch to help debugging
};

Error invalid_date(std::string_view what) {
  return Error(Errc::AccessDenied, "OSS authentication requires a valid " + std::string(what) + ".");
}

Error too_skewed(std::string_view request_time, std::int64_t now) {
  return Error(Errc::RequestTimeTooSkewed)
      .with("RequestTime", std::string(request_time))
      .with("ServerTime", iso8601_extended(now));
}

Error expired() { return Error(Errc::AccessDenied, "Request has expired."); }

bool region_matches(std::string_view configured, std::string_view scope_region) {
  if (configured.empty()) return true;
  std::string_view standard = v4_standard_region(configured);
  return scope_region == standard || v4_standard_region(scope_region) == standard;
}

// V1/V2 header forms: the Date slot must parse and sit within the allowed skew.
Result<std::string_view> checked_date_slot(const Headers& headers, std::int64_t now, int max_skew_s) {
  auto slot = v1_date_slot(headers);
  if (!slot) return invalid_date("Date");
  auto when = parse_http_date(*slot);
  if (!when) return invalid_date("Date");
  if (std::llabs(now - *when) > max_skew_s) return too_skewed(*slot, now);
  return *slot;
}

// V4: the scope date must be the day of the signing time, or the key would be derived from a
// date the client never claimed.
Status check_v4_date(const SignatureParts& parts) {
  if (parts.v4_datetime.substr(0, 8) != parts.v4_date)
    return invalid_argument("Credential", "date must be the day of x-oss-date", parts.v4_date);
  return {};
}

// Checks the time rules of the scheme and builds what the server signs. Fills
// parts.v4_datetime for the V4 header form.
Result<Signed> prepare(const SignableRequest& request, SignatureParts& parts, std::int64_t now, int max_skew_s) {
  Signed out;
  switch (parts.scheme) {
    case Scheme::V1Header: {
      OSSLIVE_ASSIGN(auto slot, checked_date_slot(request.headers, now, max_skew_s));
      out.string_to_sign = v1_string_to_sign(request, slot);
      return out;
    }
    case Scheme::V2Header: {
      OSSLIVE_ASSIGN(auto slot, checked_date_slot(request.headers, now, max_skew_s));
      out.string_to_sign = v2_string_to_sign(request, slot, parts.additional_headers);
      return out;
    }
    case Scheme::V1Query:
    case Scheme::V2Query:
      if (now > parts.expires) return expired();
      out.string_to_sign = parts.scheme == Scheme::V1Query
                               ? v1_string_to_sign(request, parts.expires_text)
                               : v2_string_to_sign(request, parts.expires_text, parts.additional_headers);
      return out;
    case Scheme::V4Header:
    case Scheme::V4Query: {
      if (parts.scheme == Scheme::V4Header) {
        auto header = request.headers.get("x-oss-date");
        if (!header) return invalid_date("x-oss-date header");
        parts.v4_datetime = std::string(*header);
      }
      auto when = parse_iso8601_basic(parts.v4_datetime);
      if (!when) return invalid_date("x-oss-date");
      OSSLIVE_TRY(check_v4_date(parts));
      if (parts.scheme == Scheme::V4Header) {
        if (std::llabs(now - *when) > max_skew_s) return too_skewed(parts.v4_datetime, now);
      } else {
        if (*when - now > max_skew_s) return too_skewed(parts.v4_datetime, now);
        if (now > *when + parts.v4_expires) return expired();
      }
      out.canonical_request =
          v4_canonical_request(request, parts.additional_headers, v4_payload_hash(request.headers));
      out.string_to_sign =
          v4_string_to_sign(parts.v4_datetime, v4_scope(parts.v4_date, parts.v4_region), out.canonical_request);
      return out;
    }
    case Scheme::Anonymous:
      break;
  }
  return Error(Errc::InternalError, "no signature to check");
}

// ali-oss V4 signs an ordinary parameter sent as `k=` with its '=' (see EmptyValue).
bool has_empty_equals(const Query& query) {
  for (const auto& param : query.params())
    if (param.has_value && param.value.empty() && param.key != "x-oss-signature") return true;
  return false;
}

std::string sign(Scheme scheme, std::string_view secret, const SignatureParts& parts, std::string_view sts) {
  switch (scheme) {
    case Scheme::V1Header:
    case Scheme::V1Query:
      return v1_signature(secret, sts);
    case Scheme::V2Header:
    case Scheme::V2Query:
      return v2_signature(secret, sts);
    case Scheme::V4Header:
    case Scheme::V4Query:
      return v4_signature(secret, parts.v4_date, parts.v4_region, sts);
    case Scheme::Anonymous:
      break;
  }
  return {};
}

std::string encode_params(const std::vector<QueryParam>& params) {
  std::string out;
  for (const auto& param : params) {
    if (!out.empty()) out.push_back('&');
    out.append(uri_encode(param.key));
    if (param.has_value || !param.value.empty()) out.append("=").append(uri_encode(param.value));
  }
  return out;
}

QueryParam param(std::string key, std::string value) { return QueryParam{std::move(key), std::move(value), true}; }

}  // namespace

bool is_presigned(Scheme scheme) {
  return scheme == Scheme::V1Query || scheme == Scheme::V2Query || scheme == Scheme::V4Query;
}

std::optional<std::string> StaticCredentials::secret_for(std::string_view access_key_id) const {
  for (const auto& credential : credentials_)
    if (credential.access_key_id == access_key_id) return credential.access_key_secret;
  return std::nullopt;
}

Verifier::Verifier(const CredentialStore& credentials, const Clock& clock, VerifierOptions options)
    : credentials_(credentials), clock_(clock), options_(std::move(options)) {}

Result<Identity> Verifier::verify(const SignableRequest& request) const {
  SignatureParts parts;
  if (auto header = request.headers.get("authorization")) {
    OSSLIVE_ASSIGN(parts, parse_authorization_header(*header));
  } else {
    OSSLIVE_ASSIGN(auto presigned, parse_presigned_query(request.query));
    if (!presigned) return Identity{};
    parts = std::move(*presigned);
  }
  OSSLIVE_TRY(check_unambiguous(parts.scheme, request));

  OSSLIVE_ASSIGN(Signed expected, prepare(request, parts, clock_.now_seconds(), options_.max_clock_skew_s));
  auto secret = credentials_.secret_for(parts.access_key_id);
  if (!secret) return Error(Errc::InvalidAccessKeyId).with("OSSAccessKeyId", parts.access_key_id);
  bool v4 = parts.scheme == Scheme::V4Header || parts.scheme == Scheme::V4Query;
  if (v4 && !region_matches(options_.region, parts.v4_region))
    return Error(Errc::AccessDenied, "Invalid signing region in the credential scope: expected " +
                                         std::string(v4_standard_region(options_.region)) + ", got " +
                                         parts.v4_region + ".");

  std::string computed = sign(parts.scheme, *secret, parts, expected.string_to_sign);
  // Hex is case-insensitive; base64 is not.
  std::string provided = v4 ? to_lower(parts.signature) : parts.signature;
  bool match = constant_time_equals(provided, computed);
  if (!match && v4 && has_empty_equals(request.query)) {
    std::string canonical = v4_canonical_request(request, parts.additional_headers, v4_payload_hash(request.headers),
                                                 EmptyValue::AsSent);
    std::string sts = v4_string_to_sign(parts.v4_datetime, v4_scope(parts.v4_date, parts.v4_region), canonical);
    match = constant_time_equals(provided, sign(parts.scheme, *secret, parts, sts));
  }
  if (!match) {
    Error error = Error(Errc::SignatureDoesNotMatch)
                      .with("OSSAccessKeyId", parts.access_key_id)
                      .with("SignatureProvided", parts.signature)
                      .with("StringToSign", expected.string_to_sign);
    if (v4) error.with("CanonicalRequest", expected.canonical_request);
    return error;
  }

  Identity identity;
  identity.scheme = parts.scheme;
  identity.access_key_id = std::move(parts.access_key_id);
  identity.security_token = is_presigned(parts.scheme)
                                ? std::move(parts.security_token)
                                : std::string(request.headers.get("x-oss-security-token").value_or(""));
  identity.expires = parts.expires;
  identity.v4_date = std::move(parts.v4_datetime);
  identity.v4_expires = parts.v4_expires;
  identity.v4_region = std::move(parts.v4_region);
  identity.additional_headers = std::move(parts.additional_headers);
  return identity;
}

Result<std::string> presign_like(const Identity& like, std::string_view secret, std::string_view method,
                                 std::string_view bucket, std::string_view key,
                                 const std::vector<QueryParam>& extra) {
  if (like.scheme == Scheme::Anonymous) return encode_params(extra);
  if (!is_presigned(like.scheme))
    return Error(Errc::InvalidRequest, "Only a URL signature can be carried over to other requests.");

  // The signature parameters go after the extra ones; both canonical forms sort, so the
  // order here is only what the URL shows.
  std::vector<QueryParam> params = extra;
  const Headers no_headers;
  std::string signature;
  switch (like.scheme) {
    case Scheme::V1Query: {
      std::string expires = std::to_string(like.expires);
      params.push_back(param("OSSAccessKeyId", like.access_key_id));
      params.push_back(param("Expires", expires));
      if (!like.security_token.empty()) params.push_back(param("security-token", like.security_token));
      Query query(params);
      signature = v1_signature(secret, v1_string_to_sign({method, bucket, key, query, no_headers}, expires));
      params.push_back(param("Signature", signature));
      break;
    }
    case Scheme::V2Query: {
      std::string expires = std::to_string(like.expires);
      // The order of the hosted service's signed lines (the signature does not depend on it).
      params.push_back(param("x-oss-expires", expires));
      params.push_back(param("x-oss-signature-version", "OSS2"));
      params.push_back(param("x-oss-access-key-id", like.access_key_id));
      if (!like.security_token.empty()) params.push_back(param("security-token", like.security_token));
      Query query(params);
      signature = v2_signature(secret, v2_string_to_sign({method, bucket, key, query, no_headers}, expires, {}));
      params.push_back(param("x-oss-signature", signature));
      break;
    }
    case Scheme::V4Query: {
      if (!parse_iso8601_basic(like.v4_date) || like.v4_region.empty())
        return Error(Errc::InvalidRequest, "The V4 identity has no valid date or region.");
      std::string date = like.v4_date.substr(0, 8);
      std::string scope = v4_scope(date, like.v4_region);
      params.push_back(param("x-oss-signature-version", std::string(kV4Algorithm)));
      params.push_back(param("x-oss-credential", like.access_key_id + "/" + scope));
      params.push_back(param("x-oss-date", like.v4_date));
      params.push_back(param("x-oss-expires", std::to_string(like.v4_expires)));
      if (!like.security_token.empty()) params.push_back(param("x-oss-security-token", like.security_token));
      Query query(params);
      std::string canonical = v4_canonical_request({method, bucket, key, query, no_headers}, {}, kUnsignedPayload);
      signature = v4_signature(secret, date, like.v4_region, v4_string_to_sign(like.v4_date, scope, canonical));
      params.push_back(param("x-oss-signature", signature));
      break;
    }
    default:
      break;
  }
  return encode_params(params);
}

}  // namespace osslive::auth
