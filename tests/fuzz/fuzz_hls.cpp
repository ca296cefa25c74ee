// The playlist manifest reader (playlists are objects anyone with write access can edit) and the
// other playlist/segment-name parsers, all on the same bytes:
//   parse_playlist_manifest, manifest_from_json, parse_playlist_segments, parse_segment_name.
// A manifest that is accepted must validate, survive a JSON round trip, and drive make_plan()
// to a plan whose rendered playlist carries the same manifest again.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"

namespace {

using namespace osslive;
using namespace osslive::hls;

// Planning a 7-day output at st 1000 makes 600k segments; that is legitimate but would turn
// every such input into a slow unit, so only shorter outputs are planned here.
constexpr std::int64_t kMaxPlannedUs = 2ll * 3600 * 1'000'000;

void check_manifest(const Manifest& m) {
  OSSLIVE_FUZZ_CHECK(m.version == kManifestVersion && is_token(m.token));
  OSSLIVE_FUZZ_CHECK(!m.source.bucket.empty() && !m.source.key.empty());
  OSSLIVE_FUZZ_CHECK(validate(m.params).ok());

  auto again = manifest_from_json(manifest_to_json(m));
  OSSLIVE_FUZZ_CHECK(again.ok());
  OSSLIVE_FUZZ_CHECK(again->params == m.params && again->token == m.token);
  OSSLIVE_FUZZ_CHECK(again->source.bucket == m.source.bucket && again->source.key == m.source.key &&
                     again->source.etag == m.source.etag && again->source.size == m.source.size);

  if (m.params.duration_us > kMaxPlannedUs) return;
  auto plan = make_plan(m.params);  // documented to fail only on what validate() rejects
  OSSLIVE_FUZZ_CHECK(plan.ok() && !plan->segments.empty() && plan->target_duration >= 1);
  for (std::size_t i = 0; i < plan->segments.size(); ++i) {
    OSSLIVE_FUZZ_CHECK(plan->segments[i].index == static_cast<std::int64_t>(i));
    OSSLIVE_FUZZ_CHECK(plan->segments[i].duration.positive());
  }
  const std::string playlist_key = "fuzz/play.m3u8";
  const std::string text = render_playlist(m, *plan, playlist_key);
  auto read_back = parse_playlist_manifest(text);
  OSSLIVE_FUZZ_CHECK(read_back.ok() && read_back->params == m.params && read_back->token == m.token);
  OSSLIVE_FUZZ_CHECK(parse_playlist_segments(text).size() == plan->segments.size());
  auto name = parse_segment_name(segment_key(playlist_key, m.token, 0));
  OSSLIVE_FUZZ_CHECK(name && name->playlist_key == playlist_key && name->token == m.token && name->index == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);

  if (auto manifest = parse_playlist_manifest(input); manifest.ok()) check_manifest(*manifest);
  if (auto manifest = manifest_from_json(input); manifest.ok()) check_manifest(*manifest);

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
