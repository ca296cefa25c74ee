#include "segment_service.hpp"

#include "osslive/hls/playlist.hpp"
#include "osslive/oss/object_reads.hpp"
#include "segment_lease.hpp"

namespace osslive::live {
namespace {

// What a segment of either kind is made from.
struct SegmentOrigin {
  SegmentKind kind;
  const hls::SourceRef& source;
  const std::string& token;
  const hls::SegmentPlan& plan;
};

std::optional<SegmentOrigin> origin_of(const PlaylistObject& playlist) {
  if (const MediaPlaylist* media = playlist.media())
    return SegmentOrigin{SegmentKind::Ts, media->manifest.source, media->manifest.token, media->plan};
  if (const SubtitlePlaylist* subtitles = playlist.subtitles())
    return SegmentOrigin{SegmentKind::Vtt, subtitles->manifest.source, subtitles->manifest.token, subtitles->plan};
  return std::nullopt;
}

std::string_view content_type(SegmentKind kind) { return kind == SegmentKind::Ts ? "video/MP2T" : "text/vtt"; }

// The source is gone or is not the one the playlist was made from: never mix segments of two.
Error source_changed(SegmentKind kind, const hls::SourceRef& source, const std::optional<std::string>& now_etag) {
  const std::string what = kind == SegmentKind::Vtt ? "the subtitle source " : "the source ";
  if (!now_etag) return Error(Errc::SourceChanged, what + source.key + " of this playlist no longer exists; generate the playlist again");
  return Error(Errc::SourceChanged, what + source.key + " changed after the playlist was generated (ETag " + *now_etag +
                                        ", playlist made from " + source.etag + "); generate the playlist again");
}

// Another request made the segment while this job waited in the queue: hand out those bytes.
Status copy_stored(const store::OpenObject& object, jobs::SegmentBuffer& out) {
  std::uint64_t offset = 0;
  while (offset < object.info.size) {
    std::string chunk(std::min<std::uint64_t>(object.info.size - offset, 256 * 1024), '\0');
    OSSLIVE_ASSIGN(std::size_t got, object.file->pread(chunk.data(), chunk.size(), offset));
    if (got == 0) return Error(Errc::InternalError, "stored segment ended early");
    chunk.resize(got);
    offset += got;
    out.append(std::move(chunk));
  }
  return {};
}

// Why `playlist` cannot make a segment of `kind`.
Error wrong_playlist(const PlaylistObject& playlist, SegmentKind kind) {
  if (kind == SegmentKind::Ts && playlist.not_media) return *playlist.not_media;
  return Error(Errc::InvalidArgument, "playlist " + playlist.key + " is not an osslive " +
                                          (kind == SegmentKind::Ts ? "media" : "subtitle") + " playlist");
}

}  // namespace

std::string job_key(const std::string& bucket, const std::string& key) { return bucket + "/" + key; }

std::string segment_key_of(const PlaylistObject& playlist, std::int64_t index) {
  if (const MediaPlaylist* media = playlist.media()) return hls::segment_key(playlist.key, media->manifest.token, index);
  if (const SubtitlePlaylist* subtitles = playlist.subtitles())
    return hls::subtitle_segment_key(playlist.key, subtitles->manifest.token, index);
  return {};
}

SegmentService::SegmentService(LiveDeps& deps, PlaylistCache& playlists, LiveStats& stats)
    : deps_(deps), playlists_(playlists), stats_(stats) {}

Result<ServedSegment> SegmentService::serve(oss::RequestContext& context, const hls::SegmentName& name,
                                            const std::optional<std::string>& from) {
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;
  const SegmentKind kind = name.subtitle ? SegmentKind::Vtt : SegmentKind::Ts;
  const std::string playlist_key = from.value_or(name.playlist_key);
  auto loaded = playlists_.load(bucket, playlist_key);

  // A stored segment is served like any object, even when its playlist is gone.
  auto stored = oss::serve_object(deps_.store, context.request, bucket, key, true);
  if (stored.ok()) {
    ++stats_.segment_hits;
    return ServedSegment{std::move(stored).value(), loaded.ok() ? *loaded : nullptr};
  }
  if (stored.error().code() != Errc::NoSuchKey) return std::move(stored).error();
  if (!loaded.ok()) {
    if (loaded.error().code() == Errc::NoSuchKey)
      return Error(Errc::NoSuchKey, "the playlist " + playlist_key + " of this segment does not exist");
    return std::move(loaded).error();
  }
  const PlaylistRef& playlist = *loaded;
  const auto origin = origin_of(*playlist);
  if (!origin || origin->kind != kind) return wrong_playlist(*playlist, kind);
  if (name.token != origin->token) return Error(Errc::NoSuchKey, "the segment token does not match playlist " + playlist_key);
  const auto count = static_cast<std::int64_t>(origin->plan.segments.size());
  if (name.index < 0 || name.index >= count)
    return Error(Errc::NoSuchKey, "segment " + std::to_string(name.index) + " is past the end of the playlist (" +
                                      std::to_string(count) + " segments)");
  if (segment_key_of(*playlist, name.index) != key)
    return Error(Errc::NoSuchKey, "the segment does not belong to playlist " + playlist_key);
  // An anonymous player may only make segments from a source it could read itself.
  if (context.identity.scheme == auth::Scheme::Anonymous && origin->source.bucket != bucket) {
    auto source_bucket = deps_.store.bucket_info(origin->source.bucket);
    if (!source_bucket.ok() || source_bucket->acl != "public-read")
      return Error(Errc::AccessDenied, "the playlist's source is not readable anonymously");
  }
  auto source_info = deps_.store.stat_object(origin->source.bucket, origin->source.key);
  if (!source_info.ok()) return source_changed(kind, origin->source, std::nullopt);
  if (source_info->etag != origin->source.etag) return source_changed(kind, origin->source, source_info->etag);

  ++stats_.segment_misses;
  OSSLIVE_ASSIGN(auto buffer, submit(playlist, name.index, jobs::Priority::Player));
  Response response;
  response.headers.set("Content-Type", std::string(content_type(kind)));
  response.headers.set("Cache-Control", "no-cache");  // the stored object will carry its own ETag
  response.body = std::shared_ptr<ByteStream>(buffer);
  return ServedSegment{std::move(response), playlist};
}

Result<std::shared_ptr<jobs::SegmentBuffer>> SegmentService::submit(const PlaylistRef& playlist, std::int64_t index,
                                                                     jobs::Priority priority) {
  const std::string key = segment_key_of(*playlist, index);
  if (key.empty()) return wrong_playlist(*playlist, SegmentKind::Ts);
  auto job = [this, playlist, index, key](jobs::SegmentBuffer& out, const jobs::PausePoint& pause) -> Status {
    const store::BucketStore& store = deps_.store;
    if (auto stored = store.open_object(playlist->bucket, key); stored.ok()) return copy_stored(*stored, out);
    const SegmentOrigin origin = *origin_of(*playlist);
    auto opened = store.open_object(origin.source.bucket, origin.source.key);
    if (!opened.ok()) {
      if (opened.error().code() == Errc::NoSuchKey) return source_changed(origin.kind, origin.source, std::nullopt);
      return std::move(opened).error();
    }
    if (opened->info.etag != origin.source.etag) return source_changed(origin.kind, origin.source, opened->info.etag);
    const auto deadline = deps_.clock.steady() + std::chrono::milliseconds(deps_.config.segment_timeout_ms);
    // Made once cluster-wide: another node's segment is handed out, or this job holds the lease.
    OSSLIVE_ASSIGN(SegmentLease lease, SegmentLease::claim(deps_.store, deps_.clock, playlist->bucket, key, deadline));
    if (lease.waited()) ++stats_.segment_lease_waits;
    if (lease.stored()) return copy_stored(*lease.stored(), out);
    ++stats_.transcodes_started;
    OSSLIVE_ASSIGN(auto writer, deps_.store.begin_write(playlist->bucket, key));
    const SegmentJobTiming timing{deadline, [&] {
                                    lease.keep_alive();
                                    pause();
                                  }};
    auto sink = [&](std::string_view bytes) -> Status {
      lease.keep_alive();
      out.append(std::string(bytes));
      return writer->write(bytes);
    };
    if (origin.kind == SegmentKind::Ts) {
      OSSLIVE_TRY(deps_.media.make_segment(playlist->media()->manifest, origin.plan, index, opened->file, timing, sink));
    } else {
      OSSLIVE_ASSIGN(std::string text, deps_.media.make_subtitle_segment(playlist->subtitles()->manifest, origin.plan,
                                                                         index, opened->file, timing));
      OSSLIVE_TRY(sink(text));
    }
    store::ObjectMeta meta;
    meta.content_type = std::string(content_type(origin.kind));
    OSSLIVE_TRY(writer->commit(meta));
    return {};
  };
  return deps_.jobs.submit(job_key(playlist->bucket, key), priority, job_key(playlist->bucket, playlist->key),
                           jobs::PausableJobFunction(std::move(job)));
}

}  // namespace osslive::live
