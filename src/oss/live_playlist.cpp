// POST <source>?x-oss-process=hls/m3u8,...|sys/saveas,o_..,b_..: probe, resolve, plan, write the
// playlist with its manifest, start the initd pre-transcode, answer SPEC §6's JSON.
#include <spdlog/spdlog.h>

#include "osslive/hls/params.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/response.hpp"
#include "osslive/hls/token.hpp"
#include "osslive/media/probe.hpp"
#include "osslive/oss/live_transcoding.hpp"
#include "osslive/process/canonical.hpp"
#include "osslive/process/parser.hpp"

namespace osslive::oss {

Result<Response> LiveTranscoding::make_playlist(RequestContext& context, const std::string& process_text) {
  OSSLIVE_ASSIGN(process::Chain chain, process::parse_chain(process_text));
  OSSLIVE_ASSIGN(process::Request shape, process::classify(chain));
  auto* job = std::get_if<process::M3u8AndSave>(&shape);
  if (!job) return Error(Errc::InvalidArgument, "POST x-oss-process expects hls/m3u8,...|sys/saveas,o_...");

  const std::string& source_bucket = context.address.bucket;
  const std::string& source_key = context.address.key;
  std::string target_bucket = job->save.bucket.value_or(source_bucket);
  const std::string& playlist_key = job->save.object;
  OSSLIVE_TRY(store::validate_object_key(playlist_key));
  if (playlist_key == source_key && target_bucket == source_bucket)
    return Error(Errc::InvalidArgument, "sys/saveas would overwrite the source with its own playlist")
        .with("ArgumentName", "o");
  if (target_bucket != source_bucket) OSSLIVE_TRY(store_.bucket_info(target_bucket));

  OSSLIVE_ASSIGN(store::OpenObject source, store_.open_object(source_bucket, source_key));
  media::ProbeLimits limits;
  limits.max_width = config_.max_source_width;
  limits.max_height = config_.max_source_height;
  limits.max_duration_us = config_.max_source_duration_ms * 1000;
  limits.max_streams = config_.max_source_streams;
  auto probed = media::probe(source.file, limits);
  if (!probed.ok()) return std::move(probed).error().context("source " + source_key);
  OSSLIVE_ASSIGN(hls::ResolvedParams params, hls::resolve(job->m3u8, *probed));
  OSSLIVE_ASSIGN(hls::SegmentPlan plan, hls::make_plan(params));

  hls::Manifest manifest;
  manifest.source = {source_bucket, source_key, source.info.etag, source.info.size};
  manifest.token = hls::make_token(source_bucket, source_key, source.info.etag, process::canonical_m3u8(job->m3u8));
  manifest.params = std::move(params);

  std::string text = hls::render_playlist(manifest, plan, playlist_key);
  store::PutBody body;
  body.size = text.size();
  body.data = std::move(text);
  store::ObjectMeta meta;
  meta.content_type = "application/vnd.apple.mpegurl";
  OSSLIVE_ASSIGN(store::ObjectInfo stored, store_.put_object(target_bucket, playlist_key, std::move(body), meta));
  ++stats_.playlists;

  auto playlist = std::make_shared<const Playlist>(Playlist{target_bucket, playlist_key, stored.etag, manifest, plan});
  {
    std::lock_guard lock(cache_mutex_);
    cache_.push_front(playlist);
  }
  pretranscode(playlist);
  spdlog::info("{} playlist {}/{} for {}/{}: {} segments, token {}", context.request.request_id, target_bucket,
               playlist_key, source_bucket, source_key, plan.segments.size(), manifest.token);

  Response response;
  response.headers.set("Content-Type", "application/json");
  response.body = hls::m3u8_response_json(manifest, plan, context.request.request_id, target_bucket, playlist_key);
  return response;
}

}  // namespace osslive::oss
