// WebVTT segments of GenerateVideoPlaylist subtitle renditions, through the same
// if_status_eq_404{hls/ts,...} requests as TS segments: a stored .vtt is served as it is;
// otherwise the cues of the segment's time range are cut from the source, stored and served.
#include <nlohmann/json.hpp>

#include "handlers.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/subtitle_manifest.hpp"
#include "osslive/oss/live_transcoding.hpp"
#include "osslive/transcode/subtitle_segment.hpp"

namespace osslive::oss {
namespace {

constexpr std::uint64_t kMaxPlaylistBytes = 32u << 20;
constexpr std::string_view kVttType = "text/vtt";

struct SubtitlePlaylist {
  hls::SubtitleManifest manifest;
  hls::SegmentPlan plan;
};

Result<SubtitlePlaylist> load(store::BucketStore& store, const std::string& bucket, const std::string& key) {
  auto object = read_small_object(store, bucket, key, kMaxPlaylistBytes, "playlist");
  if (!object.ok()) {
    if (object.error().code() == Errc::NoSuchKey)
      return Error(Errc::NoSuchKey, "the playlist " + key + " of this segment does not exist");
    return std::move(object).error();
  }
  SubtitlePlaylist playlist;
  OSSLIVE_ASSIGN(playlist.manifest, hls::parse_subtitle_manifest(object->text));
  OSSLIVE_ASSIGN(playlist.plan, hls::make_plan(playlist.manifest.timing.params));
  return playlist;
}

Error source_changed(const hls::SourceRef& source, bool exists) {
  return Error(Errc::SourceChanged, "the subtitle source " + source.key +
                                        (exists ? " changed after the playlist was generated" : " of this playlist no longer exists") +
                                        "; generate the playlist again");
}

}  // namespace

Result<Response> LiveTranscoding::serve_subtitle_segment(RequestContext& context, const std::optional<std::string>& from,
                                                         const hls::SegmentName& name) {
  Request& request = context.request;
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;
  auto stored = serve_object(store_, request, bucket, key, true);
  if (stored.ok()) {
    ++stats_.segment_hits;
    return stored;
  }
  if (stored.error().code() != Errc::NoSuchKey) return stored;

  const std::string playlist_key = from ? *from : name.playlist_key;
  OSSLIVE_ASSIGN(SubtitlePlaylist playlist, load(store_, bucket, playlist_key));
  const hls::SubtitleManifest& manifest = playlist.manifest;
  if (name.token != manifest.token)
    return Error(Errc::NoSuchKey, "the segment token does not match playlist " + playlist_key);
  if (name.index < 0 || name.index >= static_cast<std::int64_t>(playlist.plan.segments.size()))
    return Error(Errc::NoSuchKey, "segment " + std::to_string(name.index) + " is past the end of the playlist (" +
                                      std::to_string(playlist.plan.segments.size()) + " segments)");
  if (hls::subtitle_segment_key(playlist_key, manifest.token, name.index) != key)
    return Error(Errc::NoSuchKey, "the segment does not belong to playlist " + playlist_key);
  if (context.identity.scheme == auth::Scheme::Anonymous && manifest.source.bucket != bucket) {
    auto source_bucket = store_.bucket_info(manifest.source.bucket);
    if (!source_bucket.ok() || source_bucket->acl != "public-read")
      return Error(Errc::AccessDenied, "the playlist's subtitle source is not readable anonymously");
  }
  auto source_info = store_.stat_object(manifest.source.bucket, manifest.source.key);
  if (!source_info.ok() || source_info->etag != manifest.source.etag) return source_changed(manifest.source, source_info.ok());

  ++stats_.segment_misses;
  const std::int64_t index = name.index;
  auto shared = std::make_shared<const SubtitlePlaylist>(std::move(playlist));
  auto job = [this, shared, index, bucket, key](jobs::SegmentBuffer& out) -> Status {
    if (auto made = store_.open_object(bucket, key); made.ok()) {
      std::string text(made->info.size, '\0');
      OSSLIVE_ASSIGN(std::size_t got, made->file->pread(text.data(), text.size(), 0));
      text.resize(got);
      out.append(std::move(text));
      return {};
    }
    const hls::SourceRef& source = shared->manifest.source;
    auto opened = store_.open_object(source.bucket, source.key);
    if (!opened.ok() || opened->info.etag != source.etag) return source_changed(source, opened.ok());
    const auto deadline = std::chrono::steady_clock::now() + transcode_options_.timeout;
    OSSLIVE_ASSIGN(std::string text,
                   transcode::make_subtitle_segment(shared->manifest, shared->plan, index, opened->file, deadline));
    OSSLIVE_ASSIGN(auto writer, store_.begin_write(bucket, key));
    OSSLIVE_TRY(writer->write(text));
    out.append(std::string(text));
    store::ObjectMeta meta;
    meta.content_type = std::string(kVttType);
    OSSLIVE_TRY(writer->commit(meta));
    return {};
  };
  OSSLIVE_ASSIGN(auto buffer, scheduler_.submit(bucket + "/" + key, jobs::Priority::Player, bucket + "/" + playlist_key,
                                                std::move(job)));
  Response response;
  response.headers.set("Content-Type", std::string(kVttType));
  response.headers.set("Cache-Control", "no-cache");
  response.body = std::shared_ptr<ByteStream>(buffer);
  return response;
}

// hls/status on a subtitle playlist: its .vtt segments and their state.
Result<Response> LiveTranscoding::subtitle_status(RequestContext& context) {
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;
  OSSLIVE_ASSIGN(SubtitlePlaylist playlist, load(store_, bucket, key));
  nlohmann::json segments = nlohmann::json::array();
  for (const hls::Segment& segment : playlist.plan.segments) {
    const std::string segment_key = hls::subtitle_segment_key(key, playlist.manifest.token, segment.index);
    nlohmann::json entry{{"Index", segment.index}, {"Name", segment_key}, {"Duration", segment.duration.to_double()}};
    if (scheduler_.pending(bucket + "/" + segment_key)) {
      entry["State"] = "queued";
    } else if (auto stored = store_.stat_object(bucket, segment_key); stored.ok()) {
      entry["State"] = "stored";
      entry["Size"] = stored->size;
    } else {
      entry["State"] = "missing";
    }
    segments.push_back(std::move(entry));
  }
  return playlist_status_response(context.request, playlist.manifest.token, playlist.plan.duration.to_double(),
                                  playlist.manifest.source, std::move(segments));
}

}  // namespace osslive::oss
