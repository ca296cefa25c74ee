// POST /?GenerateVideoPlaylist (osslive extension): a master playlist over several renditions of
// one source. Each video and audio rendition is a media playlist exactly like hls/m3u8 writes (so
// hls/ts, hls/sign and hls/status serve it unchanged); subtitle renditions are WebVTT playlists cut
// on demand by hls/ts.
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/renditions.hpp"
#include "osslive/hls/response.hpp"
#include "osslive/oss/object_reads.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

constexpr std::string_view kPlaylistType = "application/vnd.apple.mpegurl";

std::string oss_uri(std::string_view bucket, std::string_view key) {
  return "oss://" + std::string(bucket) + "/" + std::string(key);
}

Status check_address(const hls::OssUri& uri, std::string_view field) {
  if (!store::is_valid_bucket_name(uri.bucket))
    return invalid_argument(field, "names a bucket that is not a valid bucket name", oss_uri(uri.bucket, uri.key));
  if (Status key = store::validate_object_key(uri.key); !key.ok())
    return invalid_argument(field, "names a key that is not allowed: " + key.error().message(), uri.key);
  return {};
}

std::string response_json(const hls::RenditionPlan& plan, std::string_view request_id) {
  using Json = nlohmann::ordered_json;
  Json body;
  body["RequestId"] = request_id;
  body["MasterURI"] = oss_uri(plan.bucket, plan.master_key);
  body["Token"] = plan.token;
  body["Duration"] = hls::seconds_json<Json>(plan.video.front().plan.duration);
  Json videos = Json::array(), audios = Json::array(), subtitles = Json::array();
  for (const hls::PlannedMedia& v : plan.video) {
    const hls::VideoParams& p = *v.manifest.params.video;
    videos.push_back(Json{{"FrameRate", hls::format_frame_rate(p.frame_rate)},
                          {"Resolution", std::to_string(p.width) + "x" + std::to_string(p.height)},
                          {"Token", v.manifest.token},
                          {"URI", oss_uri(plan.bucket, v.key)}});
  }
  for (const hls::PlannedMedia& a : plan.audio) {
    const hls::AudioParams& p = *a.manifest.params.audio;
    audios.push_back(Json{{"Channel", p.channels}, {"SampleRate", p.sample_rate}, {"Language", a.language},
                          {"Token", a.manifest.token}, {"URI", oss_uri(plan.bucket, a.key)}});
  }
  for (const hls::PlannedSubtitles& s : plan.subtitles) {
    subtitles.push_back(Json{{"Index", s.manifest.stream_index}, {"Language", s.language}, {"Token", s.manifest.token},
                             {"URI", oss_uri(plan.bucket, s.key)}});
  }
  body["VideoPlaylist"] = std::move(videos);
  body["AudioPlaylist"] = std::move(audios);
  body["SubtitlePlaylist"] = std::move(subtitles);
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Result<Response> generate_video_playlist(LiveCall& call) {
  LiveService::Parts& live = call.live;
  store::BucketStore& store = live.deps.store;
  MediaBackend& media = live.deps.media;
  Request& request = call.request();
  OSSLIVE_ASSIGN(std::string body, oss::body_text(request, hls::kMaxRequestBytes));
  OSSLIVE_ASSIGN(hls::VideoPlaylistRequest job, hls::parse_video_playlist_request(body));
  OSSLIVE_TRY(check_address(job.source, "SourceURI"));
  OSSLIVE_TRY(check_address(job.master, "MasterURI"));
  for (const hls::Target& target : job.targets) {
    if (target.uri) OSSLIVE_TRY(check_address(*target.uri, target.field + ".URI"));
    if (const auto* s = std::get_if<hls::SubtitleTarget>(&target.media); s && s->source)
      OSSLIVE_TRY(check_address(*s->source, target.field + ".Subtitle.SourceURI"));
  }
  auto master_bucket = store.bucket_info(job.master.bucket);
  if (!master_bucket.ok()) return std::move(master_bucket).error().with("BucketName", job.master.bucket);

  auto opened = store.open_object(job.source.bucket, job.source.key);
  if (!opened.ok()) return std::move(opened).error().with("Key", job.source.key).with("BucketName", job.source.bucket);
  const store::OpenObject& source = *opened;
  hls::SourceDescription described;
  described.ref = {job.source.bucket, job.source.key, source.info.etag, source.info.size};
  auto probed = media.probe(source.file);
  if (!probed.ok()) return std::move(probed).error().context("source " + job.source.key);
  described.info = std::move(probed).value();
  OSSLIVE_ASSIGN(described.tracks, media.probe_tracks(source.file));

  std::map<std::size_t, hls::ExternalSubtitles> externals;
  for (std::size_t i = 0; i < job.targets.size(); ++i) {
    const auto* s = std::get_if<hls::SubtitleTarget>(&job.targets[i].media);
    if (!s || !s->source) continue;
    auto file = store.open_object(s->source->bucket, s->source->key);
    if (!file.ok()) return std::move(file).error().with("Key", s->source->key).with("BucketName", s->source->bucket);
    auto tracks = media.probe_tracks(file->file);
    if (!tracks.ok())
      return invalid_argument(job.targets[i].field + ".Subtitle.SourceURI", "is not a subtitle file libavformat reads",
                              s->source->key);
    externals[i] = hls::ExternalSubtitles{{s->source->bucket, s->source->key, file->info.etag, file->info.size},
                                          std::move(tracks).value()};
  }
  OSSLIVE_ASSIGN(hls::RenditionPlan plan, hls::plan_renditions(job, described, externals));

  std::vector<std::string> codecs;
  for (const hls::PlannedMedia& v : plan.video) {
    auto found = media.video_codecs(*v.manifest.params.video);
    if (!found.ok()) return std::move(found).error().context(job.targets[v.target].field + ".Video");
    codecs.push_back(std::move(found).value());
  }
  const std::string master_text = hls::render_master(hls::compose_master(plan, codecs));

  // Media playlists first: a player that finds the master finds every playlist it names.
  auto put_text = [&](const std::string& key, std::string text) -> Result<store::ObjectInfo> {
    store::PutBody put;
    put.size = text.size();
    put.data = std::move(text);
    store::ObjectMeta meta;
    meta.content_type = std::string(kPlaylistType);
    return store.put_object(plan.bucket, key, std::move(put), meta);
  };
  std::vector<PlaylistRef> made;
  for (const auto* list : {&plan.video, &plan.audio}) {
    for (const hls::PlannedMedia& m : *list) {
      OSSLIVE_ASSIGN(store::ObjectInfo stored, put_text(m.key, hls::render_playlist(m.manifest, m.plan, m.key)));
      auto playlist = std::make_shared<PlaylistObject>();
      playlist->bucket = plan.bucket;
      playlist->key = m.key;
      playlist->etag = stored.etag;
      playlist->kind = MediaPlaylist{m.manifest, m.plan};
      made.push_back(std::move(playlist));
    }
  }
  for (const hls::PlannedSubtitles& s : plan.subtitles)
    OSSLIVE_TRY(put_text(s.key, hls::render_subtitle_playlist(s.manifest, s.plan, s.key)));
  OSSLIVE_TRY(put_text(plan.master_key, master_text));
  live.stats.playlists += made.size() + plan.subtitles.size();

  for (const PlaylistRef& playlist : made) {
    live.playlists.remember(playlist);
    live.prefetch.initial(playlist);
  }
  spdlog::info("{} master {}/{} for {}/{}: {} video, {} audio, {} subtitle renditions, token {}", request.request_id,
               plan.bucket, plan.master_key, job.source.bucket, job.source.key, plan.video.size(), plan.audio.size(),
               plan.subtitles.size(), plan.token);

  Response response;
  response.headers.set("Content-Type", "application/json;charset=utf-8");
  response.body = response_json(plan, request.request_id);
  return response;
}

}  // namespace osslive::live
