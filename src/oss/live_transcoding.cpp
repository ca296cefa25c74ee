// Dispatch of x-oss-process requests, the playlist cache, and pre-transcoding / prefetch policy.
#include "osslive/oss/live_transcoding.hpp"

#include "handlers.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <spdlog/spdlog.h>
#include <thread>

#include "osslive/core/strings.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/process/parser.hpp"

namespace osslive::oss {
namespace {

constexpr std::size_t kPlaylistCacheSize = 256;
constexpr std::uint64_t kMaxPlaylistBytes = 32u << 20;

transcode::TranscodeOptions options_from(const TranscodeConfig& config) {
  transcode::TranscodeOptions options;
  options.threads = config.threads_per_job;
  options.x264_preset = config.x264_preset;
  options.x265_preset = config.x265_preset;
  options.timeout = std::chrono::milliseconds(config.segment_timeout_ms);
  return options;
}

}  // namespace

LiveTranscoding::LiveTranscoding(store::BucketStore& store, const auth::CredentialStore& credentials,
                                 jobs::Scheduler& scheduler, TranscodeConfig config)
    : store_(store),
      credentials_(credentials),
      scheduler_(scheduler),
      config_(std::move(config)),
      transcode_options_(options_from(config_)) {}

Response LiveTranscoding::post(RequestContext& context) {
  Request& request = context.request;
  if (context.address.bucket.empty()) {  // POST /?GenerateVideoPlaylist, the only service-level process
    request.operation = "GenerateVideoPlaylist";
    auto generated = generate_video_playlist(context);
    if (!generated.ok()) {
      if (generated.error().http_status() >= 500) spdlog::error("{} {}", request.request_id, generated.error().to_string());
      return error_response(request, generated.error());
    }
    return std::move(generated).value();
  }
  std::string process_text(request.query.get("x-oss-process").value_or(""));
  if (process_text.empty()) {
    std::string body = request.body.data;
    if (request.body.file) return error_response(request, Error(Errc::InvalidArgument, "x-oss-process body too large"));
    auto from_body = process::process_from_body(body);
    if (!from_body.ok()) return error_response(request, from_body.error());
    process_text = std::move(from_body).value();
  }
  request.operation = "HlsM3u8";
  auto response = make_playlist(context, process_text);
  if (!response.ok()) return error_response(request, response.error());
  return std::move(response).value();
}

Response LiveTranscoding::get(RequestContext& context) {
  Request& request = context.request;
  auto chain = process::parse_chain(request.query.get("x-oss-process").value_or(""));
  if (!chain.ok()) return error_response(request, chain.error());
  auto shape = process::classify(*chain);
  if (!shape.ok()) return error_response(request, shape.error());
  Result<Response> response = Error(Errc::InvalidArgument, "hls/m3u8 needs POST");
  if (auto* sign = std::get_if<process::SignPlaylist>(&*shape)) {
    request.operation = "HlsSign";
    response = sign_playlist(context, sign->sign.live);
  } else if (auto* ts = std::get_if<process::TsOnMissing>(&*shape)) {
    request.operation = "HlsTs";
    response = serve_segment(context, ts->ts.from);
  } else if (std::holds_alternative<process::PlaylistStatus>(*shape)) {
    request.operation = "HlsStatus";
    response = playlist_status(context);
    if (!response.ok() && response.error().code() == Errc::InvalidArgument) {
      if (auto subtitles = subtitle_status(context); subtitles.ok()) response = std::move(subtitles);
    }
  } else {
    response = Error(Errc::MethodNotAllowed, "hls/m3u8 with sys/saveas is a POST request");
  }
  if (!response.ok()) {
    Error error = std::move(response).error();
    if (error.code() == Errc::NoSuchKey) error.with("Key", context.address.key);
    return error_response(request, error);
  }
  return std::move(response).value();
}

Result<std::shared_ptr<const LiveTranscoding::Playlist>> LiveTranscoding::load_playlist(const std::string& bucket,
                                                                                        const std::string& key) {
  OSSLIVE_ASSIGN(store::ObjectInfo info, store_.stat_object(bucket, key));
  {
    std::lock_guard lock(cache_mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if ((*it)->bucket == bucket && (*it)->key == key && (*it)->etag == info.etag) {
        auto found = *it;
        cache_.splice(cache_.begin(), cache_, it);
        return found;
      }
    }
  }
  OSSLIVE_ASSIGN(SmallObject object, read_small_object(store_, bucket, key, kMaxPlaylistBytes, "playlist"));
  OSSLIVE_ASSIGN(hls::Manifest manifest, hls::parse_playlist_manifest(object.text));
  OSSLIVE_ASSIGN(hls::SegmentPlan plan, hls::make_plan(manifest.params));
  auto playlist = std::make_shared<const Playlist>(
      Playlist{bucket, key, object.info.etag, std::move(manifest), std::move(plan)});
  std::lock_guard lock(cache_mutex_);
  cache_.push_front(playlist);
  if (cache_.size() > kPlaylistCacheSize) cache_.pop_back();
  return std::shared_ptr<const Playlist>(playlist);
}

void LiveTranscoding::pretranscode(const std::shared_ptr<const Playlist>& playlist) {
  std::size_t count = hls::initd_segments(playlist->plan, playlist->manifest.params.initd_ms);
  for (std::size_t i = 0; i < count; ++i) {
    auto key = hls::segment_key(playlist->key, playlist->manifest.token, static_cast<std::int64_t>(i));
    if (store_.object_exists(playlist->bucket, key)) continue;
    auto submitted = submit_segment(playlist, static_cast<std::int64_t>(i), jobs::Priority::Initial);
    if (!submitted.ok() || !*submitted) break;  // queue full: the rest is made on demand
  }
}

void LiveTranscoding::prefetch_after(const std::shared_ptr<const Playlist>& playlist, std::int64_t index) {
  std::int64_t ahead = playlist->manifest.params.ta;
  std::int64_t last = std::min<std::int64_t>(index + ahead, static_cast<std::int64_t>(playlist->plan.segments.size()) - 1);
  std::string group = playlist->bucket + "/" + playlist->key;
  // A seek far away: queued prefetch outside the window of every recent viewer helps nobody.
  // (Another viewer of the same playlist keeps the segments ahead of it.)
  const std::vector<std::int64_t> viewers = playheads_.request(group, index, ahead, jobs::Playheads::Clock::now());
  std::string prefix = playlist->bucket + "/";
  scheduler_.abandon(group, [&](const std::string& job_key) {
    auto name = hls::parse_segment_name(job_key.substr(prefix.size()));
    return name && std::any_of(viewers.begin(), viewers.end(), [&](std::int64_t at) {
             return name->index > at && name->index <= at + ahead;
           });
  });
  for (std::int64_t i = index + 1; i <= last; ++i) {
    auto key = hls::segment_key(playlist->key, playlist->manifest.token, i);
    if (scheduler_.pending(playlist->bucket + "/" + key) || store_.object_exists(playlist->bucket, key)) continue;
    auto submitted = submit_segment(playlist, i, jobs::Priority::Prefetch);
    if (!submitted.ok() || !*submitted) break;
    ++stats_.prefetch_queued;
  }
}

// hls/status (osslive extension): every segment with its state, for the console and operators.
Result<Response> LiveTranscoding::playlist_status(RequestContext& context) {
  OSSLIVE_ASSIGN(auto playlist, load_playlist(context.address.bucket, context.address.key));
  auto running = scheduler_.running_keys();
  std::set<std::string> running_set(running.begin(), running.end());
  nlohmann::json segments = nlohmann::json::array();
  for (const hls::Segment& segment : playlist->plan.segments) {
    std::string key = hls::segment_key(playlist->key, playlist->manifest.token, segment.index);
    std::string job_key = playlist->bucket + "/" + key;
    nlohmann::json entry{{"Index", segment.index},
                         {"Name", key},
                         {"Duration", segment.duration.to_double()}};
    if (running_set.count(job_key)) {
      entry["State"] = "transcoding";
    } else if (scheduler_.pending(job_key)) {
      entry["State"] = "queued";
    } else if (auto stored = store_.stat_object(playlist->bucket, key); stored.ok()) {
      entry["State"] = "stored";
      entry["Size"] = stored->size;
    } else {
      entry["State"] = "missing";
    }
    segments.push_back(std::move(entry));
  }
  return playlist_status_response(context.request, playlist->manifest.token, playlist->plan.duration.to_double(),
                                  playlist->manifest.source, std::move(segments));
}

Response playlist_status_response(const Request& request, const std::string& token, double duration_s,
                                  const hls::SourceRef& source, nlohmann::json segments) {
  nlohmann::json body{{"RequestId", request.request_id},
                      {"Token", token},
                      {"Duration", duration_s},
                      {"Source", {{"Bucket", source.bucket}, {"Key", source.key}}},
                      {"Segments", std::move(segments)}};
  Response response;
  response.headers.set("Content-Type", "application/json");
  response.headers.set("Cache-Control", "no-cache");
  response.body = body.dump();
  return response;
}

}  // namespace osslive::oss
