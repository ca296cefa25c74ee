#include "osslive/hls/response.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

namespace osslive::hls {

std::string m3u8_response_json(const Manifest& manifest, const SegmentPlan& plan, std::string_view request_id,
                               std::string_view playlist_bucket, std::string_view playlist_key) {
  using Json = nlohmann::ordered_json;
  const std::string uri = "oss://" + std::string(playlist_bucket) + "/" + std::string(playlist_key);
  Json body;
  // In the order of the hosted service's documented response.
  body["Duration"] = seconds_json<Json>(plan.duration);
  body["RequestId"] = request_id;
  if (const auto& video = manifest.params.video) {
    body["VideoPlaylist"] = Json::array({Json{{"FrameRate", format_frame_rate(video->frame_rate)},
                                              {"Resolution", std::to_string(video->width) + "x" + std::to_string(video->height)},
                                              {"Token", manifest.token},
                                              {"URI", uri}}});
  } else {
    Json entry{{"Token", manifest.token}, {"URI", uri}};
    if (const auto& audio = manifest.params.audio) {
      entry["SampleRate"] = audio->sample_rate;
      entry["Channels"] = audio->channels;
    }
    body["AudioPlaylist"] = Json::array({std::move(entry)});
  }
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace osslive::hls
