#pragma once
// The 200 JSON body of POST hls/m3u8 (docs/api.md, "hls/m3u8").
#include <string>
#include <string_view>

#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::hls {

// {"RequestId", "Duration" (output seconds), "VideoPlaylist": [{"FrameRate", "Resolution", "Token",
// "URI": "oss://bucket/key"}]} for a source with video, "AudioPlaylist": [{"Token", "URI",
// "SampleRate", "Channels"}] for an audio-only one.
std::string m3u8_response_json(const Manifest& manifest, const SegmentPlan& plan, std::string_view request_id,
                               std::string_view playlist_bucket, std::string_view playlist_key);

}  // namespace osslive::hls
