#include "segment_service.hpp"

#include "osslive/hls/playlist.hpp"
#include "osslive/oss/object_reads.hpp"

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

constexpr std::size_t kMaxRememberedFailures = 4096;

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

// Whether `name` (the segment asked for, at `key`) is a segment of `playlist`: the kind, the token,
// the index and the very key.
Status check_belongs(const PlaylistObject& playlist, const hls::SegmentName& name, const std::string& key) {
  const SegmentKind kind = name.subtitle ? SegmentKind::Vtt : SegmentKind::Ts;
  const auto origin = origin_of(playlist);
  if (!origin || origin->kind != kind) return wrong_playlist(playlist, kind);
  if (name.token != origin->token) return Error(Errc::NoSuchKey, "the segment token does not match playlist " + playlist.key);
  const auto count = static_cast<std::int64_t>(origin->plan.segments.size());
  if (name.index < 0 || name.index >= count)
    return Error(Errc::NoSuchKey, "segment " + std::to_string(name.index) + " is past the end of the playlist (" +
                                      std::to_string(count) + " segments)");
  if (segment_key_of(playlist, name.index) != key)
    return Error(Errc::NoSuchKey, "the segment does not belong to playlist " + playlist.key);
  return {};
}

SegmentService::SegmentService(LiveDeps& deps, PlaylistCache& playlists, LiveStats& stats)
    : deps_(deps), playlists_(playlists), stats_(stats) {}

bool SegmentService::may_make(const auth::Identity& who, const PlaylistObject& playlist) const {
  if (who.scheme != auth::Scheme::Anonymous) return true;
  const auto origin = origin_of(playlist);
  if (!origin) return false;
  auto bucket = deps_.store.bucket_info(origin->source.bucket);
  return bucket.ok() && bucket->acl == "public-read";
}

std::optional<Error> SegmentService::recent_failure(const PlaylistObject& playlist, std::int64_t index) const {
  const std::string job = job_key(playlist.bucket, segment_key_of(playlist, index));
  std::lock_guard lock(failures_mutex_);
  auto found = failures_.find(job);
  if (found == failures_.end()) return std::nullopt;
  const auto now = deps_.clock.steady();
  if (now >= found->second.until) {
    failures_.erase(found);
    return std::nullopt;
  }
  const Error& failed = found->second.error;
  if (failed.http_status() < 500) return failed;  // the source itself is bad: the same answer
  const auto left = std::chrono::ceil<std::chrono::seconds>(found->second.until - now).count();
  return Error(Errc::ServiceUnavailable, "making this segment failed a moment ago (" + failed.message() +
                                             "); it is tried again in " + std::to_string(left) + " s")
      .with("RetryAfter", std::to_string(left));
}

void SegmentService::remember_failure(const std::string& job, const Error& error) {
  // The source moved on or the segment appeared meanwhile: nothing to remember about this segment.
  if (deps_.config.failed_segment_retry_s <= 0 || error.code() == Errc::SourceChanged || error.code() == Errc::NoSuchKey)
    return;
  std::lock_guard lock(failures_mutex_);
  if (failures_.size() >= kMaxRememberedFailures) failures_.erase(failures_.begin());
  failures_.insert_or_assign(job, Failure{error, deps_.clock.steady() + std::chrono::seconds(deps_.config.failed_segment_retry_s)});
}

Result<ServedSegment> SegmentService::serve(oss::RequestContext& context, const hls::SegmentName& name,
                                            const std::optional<std::string>& from) {
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;
  const SegmentKind kind = name.subtitle ? SegmentKind::Vtt : SegmentKind::Ts;
  const std::string playlist_key = from.value_or(name.playlist_key);
  auto loaded = playlists_.load(bucket, playlist_key);
  const Status belongs = loaded.ok() ? check_belongs(**loaded, name, key) : Status(loaded.error());

  // A stored segment is served like any object, even when its playlist is gone; it names its
  // playlist (for prefetch) only if it really is one of that playlist's segments.
  auto stored = oss::serve_object(deps_.store, context.request, bucket, key, true);
  if (stored.ok()) {
    ++stats_.segment_hits;
    return ServedSegment{std::move(stored).value(), belongs.ok() ? *loaded : nullptr};
  }
  if (stored.error().code() != Errc::NoSuchKey) return std::move(stored).error();
  if (!loaded.ok()) {
    if (loaded.error().code() == Errc::NoSuchKey)
      return Error(Errc::NoSuchKey, "the playlist " + playlist_key + " of this segment does not exist");
    return std::move(loaded).error();
  }
  OSSLIVE_TRY(belongs);
  const PlaylistRef& playlist = *loaded;
  const SegmentOrigin origin = *origin_of(*playlist);
  if (!may_make(context.identity, *playlist))
    return Error(Errc::AccessDenied, "the playlist's source is not readable anonymously");
  auto source_info = deps_.store.stat_object(origin.source.bucket, origin.source.key);
  if (!source_info.ok()) return source_changed(kind, origin.source, std::nullopt);
  if (source_info->etag != origin.source.etag) return source_changed(kind, origin.source, source_info->etag);
  if (auto failed = recent_failure(*playlist, name.index)) return *failed;

  ++stats_.segment_misses;
  OSSLIVE_ASSIGN(auto buffer, submit(playlist, name.index, jobs::Priority::Player));
  Response response;
  response.headers.set("Content-Type", std::string(content_type(kind)));
  response.headers.set("Cache-Control", "no-cache");  // the stored object will carry its own ETag
  response.body = std::shared_ptr<ByteStream>(buffer);
  return ServedSegment{std::move(response), playlist};
}

Result<std::shared_ptr<jobs::SegmentBuffer>> SegmentService::submit(const PlaylistRef& playlist, std::int64_t index,
                                                                     jobs::Priority priority, std::function<void()> done) {
  const std::string key = segment_key_of(*playlist, index);
  if (key.empty()) return wrong_playlist(*playlist, SegmentKind::Ts);
  auto make = [this, playlist, index, key](jobs::SegmentBuffer& out, const jobs::PausePoint& pause) -> Status {
    const store::BucketStore& store = deps_.store;
    if (auto stored = store.open_object(playlist->bucket, key); stored.ok()) return copy_stored(*stored, out);
    const SegmentOrigin origin = *origin_of(*playlist);
    auto opened = store.open_object(origin.source.bucket, origin.source.key);
    if (!opened.ok()) {
      if (opened.error().code() == Errc::NoSuchKey) return source_changed(origin.kind, origin.source, std::nullopt);
      return std::move(opened).error();
    }
    if (opened->info.etag != origin.source.etag) return source_changed(origin.kind, origin.source, opened->info.etag);
    OSSLIVE_ASSIGN(auto writer, deps_.store.begin_write(playlist->bucket, key));
    const SegmentJobTiming timing{deps_.clock.steady() + std::chrono::milliseconds(deps_.config.segment_timeout_ms), pause};
    // Every reader holds the segment's bytes in memory until it has them: a job may make only so many.
    std::uint64_t made = 0;
    auto sink = [&](std::string_view bytes) -> Status {
      made += bytes.size();
      if (made > static_cast<std::uint64_t>(deps_.config.max_segment_bytes))
        return Error(Errc::InvalidArgument, "segment " + std::to_string(index) + " would be larger than " +
                                                std::to_string(deps_.config.max_segment_bytes) +
                                                " bytes (transcode.max_segment_bytes)");
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
  const std::string job = job_key(playlist->bucket, key);
  auto run = [this, make = std::move(make), job, done = std::move(done)](jobs::SegmentBuffer& out,
                                                                         const jobs::PausePoint& pause) -> Status {
    Status status = make(out, pause);
    if (!status.ok()) remember_failure(job, status.error());
    if (done) done();
    return status;
  };
  return deps_.jobs.submit(job, priority, job_key(playlist->bucket, playlist->key), jobs::PausableJobFunction(std::move(run)));
}

}  // namespace osslive::live
