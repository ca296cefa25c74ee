#pragma once
// Private to src/live: one path for every segment request, TS or WebVTT — validate (the playlist,
// token, index, key, who may make it, the source's ETag, a recent failure), submit (join the job
// making it, or queue one), stream (the job's bytes as they come, stored atomically at the end).
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "osslive/hls/playlist.hpp"
#include "osslive/jobs/segment_buffer.hpp"
#include "osslive/live/live_service.hpp"
#include "osslive/oss/service.hpp"
#include "playlist_cache.hpp"

namespace osslive::live {

enum class SegmentKind { Ts, Vtt };

struct ServedSegment {
  Response response;
  // The playlist the segment belongs to (its token, index and key checked), when it could be read.
  PlaylistRef playlist;
};

class SegmentService {
 public:
  SegmentService(LiveDeps& deps, PlaylistCache& playlists, LiveStats& stats);

  // GET <segment>?x-oss-process=if_status_eq_404{hls/ts[,from_...]}: the stored segment, or the
  // job that makes it. `from` is the playlist key from the request (else derived from the name).
  Result<ServedSegment> serve(oss::RequestContext& context, const hls::SegmentName& name,
                              const std::optional<std::string>& from);

  // The job for segment `index` of `playlist` (a TS of a media playlist, a WebVTT segment of a
  // subtitle playlist). Background work the queue cannot take: nullptr. `done` runs when the job
  // has ended, whatever its outcome (not when it is never run).
  Result<std::shared_ptr<jobs::SegmentBuffer>> submit(const PlaylistRef& playlist, std::int64_t index,
                                                      jobs::Priority priority, std::function<void()> done = {});

  // Whether `who` may start jobs for `playlist`: a job runs only if the requester could read the
  // source itself (key holders read every bucket; anonymous callers only public-read ones).
  bool may_make(const auth::Identity& who, const PlaylistObject& playlist) const;
  // A failure of this segment's job that is still remembered (failed_segment_retry_s).
  std::optional<Error> recent_failure(const PlaylistObject& playlist, std::int64_t index) const;

 private:
  void remember_failure(const std::string& job, const Error& error);

  LiveDeps& deps_;
  PlaylistCache& playlists_;
  LiveStats& stats_;
  struct Failure {
    Error error;
    std::chrono::steady_clock::time_point until;
  };
  mutable std::mutex failures_mutex_;
  mutable std::map<std::string, Failure> failures_;  // by job key
};

// "bucket/key": the scheduler key of an object, and the group of a playlist's jobs.
std::string job_key(const std::string& bucket, const std::string& key);
// The object key of segment `index` of `playlist` (".ts" or ".vtt" by its kind).
std::string segment_key_of(const PlaylistObject& playlist, std::int64_t index);

}  // namespace osslive::live
