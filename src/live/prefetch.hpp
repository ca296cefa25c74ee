#pragma once
// Private to src/live: the work queued ahead of players.
// - initd: a playlist's first segments (all of them for a negative initd or one past the end) are
//   made in order at initial priority, a few queued at a time, each finished job queuing the next,
//   so a whole two-hour video goes through without filling the queue or passing a player. The run
//   is written down (store::Notes) until it ends, so a restart picks it up again.
// - ta: the segments after every segment a player asks for, at prefetch priority; after a seek,
//   queued prefetch that no recent viewer of the playlist will reach is abandoned.
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "osslive/jobs/playheads.hpp"
#include "osslive/live/live_service.hpp"
#include "playlist_cache.hpp"
#include "segment_service.hpp"

namespace osslive::live {

class Prefetcher {
 public:
  Prefetcher(LiveDeps& deps, SegmentService& segments, PlaylistCache& playlists, LiveStats& stats);

  // Starts (or, for a rewritten playlist, restarts) the playlist's initd run; its segments
  // already stored are skipped, so asking again after segments were deleted makes them again.
  void initial(const PlaylistRef& playlist);
  // The runs a previous process wrote down and did not finish.
  void resume();
  // Segment `index` was requested: queue the `ta` after it, drop prefetch nobody will reach.
  void after(const PlaylistRef& playlist, std::int64_t index);

 private:
  struct Run {
    PlaylistRef playlist;
    std::int64_t next = 0;  // the next index to look at
    std::int64_t end = 0;   // one past the last initd segment
    std::set<std::string> in_flight;  // job keys queued or running
  };
  // Queues the run's next segments up to the in-flight bound; ends it when all were tried.
  void pump(const std::string& group);  // needs mutex_
  void finished(const std::string& group, const std::string& job);
  std::set<std::string> initial_jobs(const std::string& group);

  LiveDeps& deps_;
  SegmentService& segments_;
  PlaylistCache& playlists_;
  LiveStats& stats_;
  jobs::Playheads playheads_;
  std::mutex mutex_;
  std::map<std::string, Run> runs_;  // by group (bucket/playlist key)
};

}  // namespace osslive::live
