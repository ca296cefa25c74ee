#include "osslive/hls/token.hpp"

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::hls {

std::string make_token(std::string_view source_bucket, std::string_view source_key, std::string_view source_etag,
                       std::string_view canonical_params) {
  // Length prefixes keep the fields apart whatever bytes they hold; the version tag lets a future
  // change of the plan rules move every token.
  std::string input = "osslive-hls-token-v1\n";
  for (std::string_view field : {source_bucket, source_key, source_etag, canonical_params}) {
    input += std::to_string(field.size());
    input += ':';
    input += field;
    input += '\n';
  }
  return hex_lower(sha256(input).substr(0, 16));
}

bool is_token(std::string_view text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace osslive::hls
