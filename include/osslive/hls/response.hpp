#pragma once
// The 200 JSON body of POST hls/m3u8 (docs/api.md, "hls/m3u8").
#include <string>
#include <string_view>

#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::hls {

// Seconds as the hosted service prints them: a whole number as a JSON integer ("Duration":1800),
// otherwise its milliseconds as the shortest decimal (1800.04), so typed clients (Go int, Java
// Integer) parse every response for a whole-second source.
template <typename Json>
Json seconds_json(media::Rational seconds) {
  if (seconds.den <= 0) return Json(0);
  const auto milli = static_cast<std::int64_t>(
      exact::round_div(static_cast<exact::Int128>(seconds.num) * 1000, static_cast<exact::Int128>(seconds.den)));
  if (milli % 1000 == 0) return Json(milli / 1000);
  return Json(static_cast<double>(milli) / 1000.0);
}

// {"RequestId", "Duration" (output seconds), "VideoPlaylist": [{"FrameRate", "Resolution", "Token",
// "URI": "oss://bucket/key"}]} for a source with video, "AudioPlaylist": [{"Token", "URI",
// "SampleRate", "Channels"}] for an audio-only one.
std::string m3u8_response_json(const Manifest& manifest, const SegmentPlan& plan, std::string_view request_id,
                               std::string_view playlist_bucket, std::string_view playlist_key);

}  // namespace osslive::hls
