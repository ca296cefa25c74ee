#pragma once
// The checks every accepted playlist manifest must pass, shared by fuzz_hls and fuzz_hls_json.
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"

namespace osslive::fuzz {

// Planning a 7-day output at st 1000 makes 600k segments; that is legitimate but would turn
// every such input into a slow unit, so only shorter outputs are planned here.
constexpr std::int64_t kMaxPlannedUs = 2ll * 3600 * 1'000'000;

inline void check_manifest(const hls::Manifest& m) {
  using namespace osslive::hls;
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

}  // namespace osslive::fuzz
