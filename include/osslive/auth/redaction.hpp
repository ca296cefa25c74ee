#pragma once
// What may be logged of a request line: the signature and security token of a presigned URL are
// credentials for as long as the URL lives, so their values never reach a log.
#include <string>
#include <string_view>

namespace osslive::auth {

// `target` (path and query, as received) with the value of every Signature, x-oss-signature,
// security-token and x-oss-security-token parameter (any case, encoded or not) replaced by
// "REDACTED"; everything else as it was.
std::string redact_credentials(std::string_view target);

}  // namespace osslive::auth
