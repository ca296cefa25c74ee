// GET <playlist>?x-oss-process=hls/status (osslive extension): every segment of a media or
// subtitle playlist with its state (transcoding, queued, stored, missing), for the console and
// operators, as JSON that nobody caches.
#include <nlohmann/json.hpp>
#include <set>

#include "handlers.hpp"
#include "osslive/hls/response.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

Result<Response> status_of(LiveCall& call, const std::string& token, const hls::SegmentPlan& plan,
                           const hls::SourceRef& source) {
  const PlaylistObject& playlist = *call.object;
  const LiveDeps& deps = call.live.deps;
  const auto running = deps.jobs.running_keys();
  const std::set<std::string> running_set(running.begin(), running.end());
  nlohmann::json segments = nlohmann::json::array();
  for (const hls::Segment& segment : plan.segments) {
    const std::string key = segment_key_of(playlist, segment.index);
    const std::string job = job_key(playlist.bucket, key);
    nlohmann::json entry{{"Index", segment.index}, {"Name", key}, {"Duration", hls::seconds_json<nlohmann::json>(segment.duration)}};
    if (running_set.count(job)) {
      entry["State"] = "transcoding";
    } else if (deps.jobs.pending(job)) {
      entry["State"] = "queued";
    } else if (auto stored = deps.store.stat_object(playlist.bucket, key); stored.ok()) {
      entry["State"] = "stored";
      entry["Size"] = stored->size;
    } else {
      entry["State"] = "missing";
    }
    segments.push_back(std::move(entry));
  }
  nlohmann::json body{{"RequestId", call.request().request_id},
                      {"Token", token},
                      {"Duration", hls::seconds_json<nlohmann::json>(plan.duration)},
                      {"Source", {{"Bucket", source.bucket}, {"Key", source.key}}},
                      {"Segments", std::move(segments)}};
  Response response;
  response.headers.set("Content-Type", "application/json;charset=utf-8");
  response.headers.set("Cache-Control", "no-cache");
  response.body = body.dump();
  return response;
}

}  // namespace

Result<Response> media_playlist_status(LiveCall& call) {
  const MediaPlaylist& media = *call.object->media();
  return status_of(call, media.manifest.token, media.plan, media.manifest.source);
}

Result<Response> subtitle_playlist_status(LiveCall& call) {
  const SubtitlePlaylist& subtitles = *call.object->subtitles();
  return status_of(call, subtitles.manifest.token, subtitles.plan, subtitles.manifest.source);
}

}  // namespace osslive::live
