#pragma once
// Private to src/live: the work queued ahead of players.
// - initd: a playlist's first segments (all of them for a negative initd or one past the end) are
//   made in order at initial priority, a few queued at a time, each finished job queuing the next,
//   so a whole two-hour video goes through without filling the queue or passing a player. The run
//   is written down (store::Notes) until it ends, so a restart picks it up again. In a cluster the
//   notes are shared: a node asked for a segment of a playlist whose run is written down but not
//   running here (its node died, or another node took the hls/m3u8 request) runs it too.
// - Work queued ahead of players skips a segment another node holds the lease on: it is being
//   made there, and a player that wants it joins that node's work through the lease.
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
  // Segment `index` was requested: queue the `ta` after it, drop prefetch nobody will reach, and
  // take up the playlist's initd run if it is written down but not running here.
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
  // Whether background work should leave segment `key` of `playlist` alone: stored, queued or
  // running here, made by another node now, or failed a moment ago.
  bool needs_no_work(const PlaylistObject& playlist, std::int64_t index, const std::string& key, const std::string& job) const;
  // The run of `group` is written down (by this node before a restart, or by another) and not
  // running here.
  bool noted_elsewhere(const std::string& group);

  LiveDeps& deps_;
  SegmentService& segments_;
  PlaylistCache& playlists_;
  LiveStats& stats_;
  jobs::Playheads playheads_;
  std::mutex mutex_;
  std::map<std::string, Run> runs_;  // by group (bucket/playlist key)
};

}  // namespace osslive::live
