// The playlist readers (playlists are objects anyone with write access can edit), all on the same
// bytes: parse_playlist_manifest, parse_playlist_segments, parse_segment_name. An accepted
// manifest must pass check_manifest(); the JSON inside it has its own target, fuzz_hls_json,
// because behind base64url the mutator rarely produces JSON that still parses.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "hls_manifest_check.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"

using namespace osslive;
using namespace osslive::hls;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);

  if (auto manifest = parse_playlist_manifest(input); manifest.ok()) fuzz::check_manifest(*manifest);

  for (const PlaylistEntry& entry : parse_playlist_segments(input)) {
    OSSLIVE_FUZZ_CHECK(!entry.uri.empty() && entry.uri[0] != '#');
    OSSLIVE_FUZZ_CHECK(entry.uri.find('\n') == std::string::npos && entry.extinf.find('\n') == std::string::npos);
    // Segment URIs are what hls/sign turns back into keys.
    if (auto name = parse_segment_name(entry.uri)) {
      OSSLIVE_FUZZ_CHECK(is_token(name->token) && name->index >= 0);
      OSSLIVE_FUZZ_CHECK(segment_key(name->playlist_key, name->token, name->index) == entry.uri);
    }
  }
  if (auto name = parse_segment_name(input)) {
    OSSLIVE_FUZZ_CHECK(is_token(name->token) && name->index >= 0 && name->playlist_key.ends_with(".m3u8"));
    OSSLIVE_FUZZ_CHECK(segment_key(name->playlist_key, name->token, name->index) == input);
  }
  return 0;
}
