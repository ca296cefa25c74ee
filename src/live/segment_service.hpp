#pragma once
// Private to src/live: one path for every segment request, TS or WebVTT — validate (the playlist,
// token, index, key, who may make it, the source's ETag), submit (join the job making it, or queue
// one), stream (the job's bytes as they come, stored atomically at the end).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "osslive/live/live_service.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/jobs/segment_buffer.hpp"
#include "osslive/oss/service.hpp"
#include "playlist_cache.hpp"

namespace osslive::live {

enum class SegmentKind { Ts, Vtt };

struct ServedSegment {
  Response response;
  PlaylistRef playlist;  // the playlist the segment belongs to, when it could be read
};

class SegmentService {
 public:
  SegmentService(LiveDeps& deps, PlaylistCache& playlists, LiveStats& stats);

  // GET <segment>?x-oss-process=if_status_eq_404{hls/ts[,from_...]}: the stored segment, or the
  // job that makes it. `from` is the playlist key from the request (else derived from the name).
  Result<ServedSegment> serve(oss::RequestContext& context, const hls::SegmentName& name,
                              const std::optional<std::string>& from);

  // The job for segment `index` of `playlist` (a TS of a media playlist, a WebVTT segment of a
  // subtitle playlist). Background work the queue cannot take: nullptr.
  Result<std::shared_ptr<jobs::SegmentBuffer>> submit(const PlaylistRef& playlist, std::int64_t index,
                                                      jobs::Priority priority);

 private:
  LiveDeps& deps_;
  PlaylistCache& playlists_;
  LiveStats& stats_;
};

// "bucket/key": the scheduler key of an object, and the group of a playlist's jobs.
std::string job_key(const std::string& bucket, const std::string& key);
// The object key of segment `index` of `playlist` (".ts" or ".vtt" by its kind).
std::string segment_key_of(const PlaylistObject& playlist, std::int64_t index);

}  // namespace osslive::live
