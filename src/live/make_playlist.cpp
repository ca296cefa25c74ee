// POST <source>?x-oss-process=hls/m3u8,...|sys/saveas,o_..,b_..: probe, resolve, plan, write the
// playlist with its manifest, start the initd pre-transcode, answer the playlist JSON.
#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/response.hpp"
#include "osslive/hls/token.hpp"
#include "osslive/process/canonical.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

// sys/saveas o_ names an output prefix: "outobjprefix/media" is the playlist
// "outobjprefix/media.m3u8" (segments "media-<token>-<n>.ts" beside it); a name that already ends
// in .m3u8 is the playlist itself.
std::string playlist_key_for(const std::string& output) {
  constexpr std::string_view kSuffix = ".m3u8";
  return output.ends_with(kSuffix) ? output : output + std::string(kSuffix);
}

}  // namespace

Result<Response> make_playlist(LiveCall& call) {
  LiveService::Parts& live = call.live;
  store::BucketStore& store = live.deps.store;
  const auto& job = std::get<process::M3u8AndSave>(*call.operation);

  const std::string& source_bucket = call.bucket();
  const std::string& source_key = call.key();
  std::string target_bucket = job.save.bucket.value_or(source_bucket);
  const std::string playlist_key = playlist_key_for(job.save.object);
  OSSLIVE_TRY(store::validate_object_key(playlist_key));
  if (playlist_key == source_key && target_bucket == source_bucket)
    return Error(Errc::InvalidArgument, "sys/saveas would overwrite the source with its own playlist")
        .with("ArgumentName", "o");
  if (target_bucket != source_bucket) OSSLIVE_TRY(store.bucket_info(target_bucket));

  OSSLIVE_ASSIGN(store::OpenObject source, store.open_object(source_bucket, source_key));
  auto probed = live.deps.media.probe(source.file);
  if (!probed.ok()) return std::move(probed).error().context("source " + source_key);
  OSSLIVE_ASSIGN(hls::ResolvedParams params, hls::resolve(job.m3u8, *probed));
  OSSLIVE_ASSIGN(hls::SegmentPlan plan, hls::make_plan(params));

  hls::Manifest manifest;
  manifest.source = {source_bucket, source_key, source.info.etag, source.info.size};
  manifest.token = hls::make_token(source_bucket, source_key, source.info.etag, process::canonical_m3u8(job.m3u8));
  manifest.params = std::move(params);

  std::string text = hls::render_playlist(manifest, plan, playlist_key);
  store::PutBody body;
  body.size = text.size();
  body.data = std::move(text);
  store::ObjectMeta meta;
  meta.content_type = "application/vnd.apple.mpegurl";
  OSSLIVE_ASSIGN(store::ObjectInfo stored, store.put_object(target_bucket, playlist_key, std::move(body), meta));
  ++live.stats.playlists;

  auto playlist = std::make_shared<PlaylistObject>();
  playlist->bucket = target_bucket;
  playlist->key = playlist_key;
  playlist->etag = stored.etag;
  playlist->kind = MediaPlaylist{manifest, plan};
  live.playlists.remember(playlist);
  live.prefetch.initial(playlist);
  spdlog::info("{} playlist {}/{} for {}/{}: {} segments, token {}", call.request().request_id, target_bucket,
               playlist_key, source_bucket, source_key, plan.segments.size(), manifest.token);

  Response response;
  response.headers.set("Content-Type", "application/json;charset=utf-8");
  response.body = hls::m3u8_response_json(manifest, plan, call.request().request_id, target_bucket, playlist_key);
  return response;
}

}  // namespace osslive::live
