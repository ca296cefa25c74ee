#pragma once
// The token in segment names (docs/api.md, "hls/m3u8"): a digest of the source and the normalised parameters, so a
// repeated request reuses its segments and any change of either gets new names.
#include <string>
#include <string_view>

namespace osslive::hls {

// 32 lower-case hex: the first 16 bytes of SHA-256 over the length-prefixed fields.
// canonical_params is process::canonical_m3u8's text.
std::string make_token(std::string_view source_bucket, std::string_view source_key, std::string_view source_etag,
                       std::string_view canonical_params);

bool is_token(std::string_view text);

}  // namespace osslive::hls
