#pragma once
// Request authentication: OSS V1 (HMAC-SHA1), V2 (OSS2, HMAC-SHA256) and V4 (OSS4-HMAC-SHA256),
// each as an Authorization header or a presigned URL. Pure functions plus an injected clock.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/auth/types.hpp"
#include "osslive/core/clock.hpp"
#include "osslive/core/config.hpp"
#include "osslive/core/http_message.hpp"
#include "osslive/core/result.hpp"

namespace osslive::auth {

// Who signed a verified request, and how: hls/sign re-signs TS lines the same way.
struct Identity {
  Scheme scheme = Scheme::Anonymous;
  std::string access_key_id;
  std::string security_token;  // carried over to re-signed URLs; may be empty
  std::int64_t expires = 0;    // V1/V2 presigned: absolute expiry, epoch seconds
  std::string v4_date;         // V4: x-oss-date, "20231203T121212Z"
  std::int64_t v4_expires = 0; // V4 presigned: x-oss-expires, seconds
  std::string v4_region;       // V4: region of the credential scope
  std::vector<std::string> additional_headers;  // V2/V4, lower-case
};

class CredentialStore {
 public:
  virtual ~CredentialStore() = default;
  virtual std::optional<std::string> secret_for(std::string_view access_key_id) const = 0;
};

class StaticCredentials final : public CredentialStore {
 public:
  explicit StaticCredentials(std::vector<Credential> credentials) : credentials_(std::move(credentials)) {}
  std::optional<std::string> secret_for(std::string_view access_key_id) const override;

 private:
  std::vector<Credential> credentials_;
};

struct VerifierOptions {
  int max_clock_skew_s = 15 * 60;
  std::string region;  // expected V4 scope region, "cn-hangzhou" or "oss-cn-hangzhou" (both accepted); empty: any
};

class Verifier {
 public:
  Verifier(const CredentialStore& credentials, const Clock& clock, VerifierOptions options);

  // A request with neither an Authorization header nor signature query parameters is
  // Identity{Anonymous}; the caller decides (bucket ACL) whether that is enough. An
  // Authorization header wins over query parameters.
  // Failures: AccessDenied (expired "Request has expired.", incomplete presigned URL, missing or
  // unreadable Date / x-oss-date, V4 scope naming another region), InvalidAccessKeyId,
  // SignatureDoesNotMatch (with OSSAccessKeyId, SignatureProvided, StringToSign fields, and
  // CanonicalRequest for V4), RequestTimeTooSkewed (header forms: Date slot or x-oss-date
  // further than max_clock_skew_s from now; V4 presigned: x-oss-date that far in the future),
  // InvalidArgument (malformed header or parameter, V4 scope date not the day of x-oss-date).
  Result<Identity> verify(const SignableRequest& request) const;

 private:
  const CredentialStore& credentials_;
  const Clock& clock_;
  VerifierOptions options_;
};

// Builds the query string (encoded, '&'-joined) that presigns `method /bucket/key` with the
// extra parameters first (e.g. x-oss-process), using the scheme, expiry, date, region and
// security token of `like` (a verified presigned request). Anonymous `like`: the extra
// parameters only. Header schemes: InvalidRequest (only URL signatures can be carried).
Result<std::string> presign_like(const Identity& like, std::string_view secret, std::string_view method,
                                 std::string_view bucket, std::string_view key,
                                 const std::vector<QueryParam>& extra);

}  // namespace osslive::auth
