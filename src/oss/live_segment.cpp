// GET <segment>.ts?x-oss-process=if_status_eq_404{hls/ts,from_...} (SPEC §8): the stored segment
// if it exists, else the one job that makes it, streamed while it is encoded and stored at the end.
#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/oss/live_transcoding.hpp"

namespace osslive::oss {
namespace {

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

}  // namespace

Result<std::shared_ptr<jobs::SegmentBuffer>> LiveTranscoding::submit_segment(
    const std::shared_ptr<const Playlist>& playlist, std::int64_t index, jobs::Priority priority) {
  std::string key = hls::segment_key(playlist->key, playlist->manifest.token, index);
  std::string job_key = playlist->bucket + "/" + key;
  auto job = [this, playlist, index, key](jobs::SegmentBuffer& out, const jobs::PausePoint& pause) -> Status {
    if (auto stored = store_.open_object(playlist->bucket, key); stored.ok()) return copy_stored(*stored, out);
    const hls::SourceRef& source = playlist->manifest.source;
    auto opened = store_.open_object(source.bucket, source.key);
    if (!opened.ok()) {
      if (opened.error().code() == Errc::NoSuchKey)
        return Error(Errc::SourceChanged, "the source " + source.key + " of this playlist no longer exists");
      return std::move(opened).error();
    }
    if (opened->info.etag != source.etag)
      return Error(Errc::SourceChanged, "the source " + source.key + " changed after the playlist was generated (ETag " +
                                            opened->info.etag + ", playlist made from " + source.etag +
                                            "); generate the playlist again");
    OSSLIVE_ASSIGN(auto writer, store_.begin_write(playlist->bucket, key));
    transcode::TranscodeOptions options = transcode_options_;
    options.pause = pause;
    Status made = transcode::transcode_segment(
        playlist->manifest, playlist->plan, index, opened->file, options,
        [&](std::string_view bytes) -> Status {
          out.append(std::string(bytes));
          return writer->write(bytes);
        });
    if (!made.ok()) return made;
    store::ObjectMeta meta;
    meta.content_type = "video/MP2T";
    OSSLIVE_TRY(writer->commit(meta));
    return {};
  };
  return scheduler_.submit(job_key, priority, playlist->bucket + "/" + playlist->key,
                           jobs::PausableJobFunction(std::move(job)));
}

Result<Response> LiveTranscoding::serve_segment(RequestContext& context, const std::optional<std::string>& from) {
  Request& request = context.request;
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;

  auto name = hls::parse_segment_name(key);
  if (name && name->subtitle) return serve_subtitle_segment(context, from, *name);
  std::shared_ptr<const Playlist> playlist;
  // Prefetch follows every request, hits included: a player going through stored segments
  // still needs the ones after them.
  if (name) {
    std::string playlist_key = from ? *from : name->playlist_key;
    auto loaded = load_playlist(bucket, playlist_key);
    if (loaded.ok()) playlist = *loaded;
    else if (store_.stat_object(bucket, key).ok()) playlist = nullptr;  // serve what exists anyway
    else if (loaded.error().code() == Errc::NoSuchKey)
      return Error(Errc::NoSuchKey, "the playlist " + playlist_key + " of this segment does not exist");
    else return std::move(loaded).error();
  }

  auto stored = serve_object(store_, request, bucket, key, true);
  if (stored.ok()) {
    ++stats_.segment_hits;
    if (playlist) prefetch_after(playlist, name->index);
    return stored;
  }
  if (stored.error().code() != Errc::NoSuchKey) return stored;
  if (!name) return Error(Errc::NoSuchKey, "not a segment of an osslive playlist (expected P-<token>-<n>.ts)");
  if (!playlist) return Error(Errc::NoSuchKey, "the playlist of this segment does not exist");
  if (name->token != playlist->manifest.token)
    return Error(Errc::NoSuchKey, "the segment token does not match playlist " + playlist->key);
  if (name->index < 0 || name->index >= static_cast<std::int64_t>(playlist->plan.segments.size()))
    return Error(Errc::NoSuchKey, "segment " + std::to_string(name->index) + " is past the end of the playlist (" +
                                      std::to_string(playlist->plan.segments.size()) + " segments)");
  if (hls::segment_key(playlist->key, playlist->manifest.token, name->index) != key)
    return Error(Errc::NoSuchKey, "the segment does not belong to playlist " + playlist->key);
  // An anonymous player may only make segments from a source it could read itself.
  const auto& source = playlist->manifest.source;
  if (context.identity.scheme == auth::Scheme::Anonymous && source.bucket != bucket) {
    auto source_bucket = store_.bucket_info(source.bucket);
    if (!source_bucket.ok() || source_bucket->acl != "public-read")
      return Error(Errc::AccessDenied, "the playlist's source is not readable anonymously");
  }
  auto source_info = store_.stat_object(source.bucket, source.key);
  if (!source_info.ok() || source_info->etag != source.etag)
    return Error(Errc::SourceChanged, "the source " + source.key +
                                          (source_info.ok() ? " changed after the playlist was generated"
                                                            : " of this playlist no longer exists") +
                                          "; generate the playlist again");

  ++stats_.segment_misses;
  OSSLIVE_ASSIGN(auto buffer, submit_segment(playlist, name->index, jobs::Priority::Player));
  prefetch_after(playlist, name->index);
  Response response;
  response.headers.set("Content-Type", "video/MP2T");
  response.headers.set("Cache-Control", "no-cache");  // the stored object will carry its own ETag
  response.body = std::shared_ptr<ByteStream>(buffer);
  return response;
}

}  // namespace osslive::oss
