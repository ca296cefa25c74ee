#pragma once
// Private to src/live: the work queued ahead of players. `initd` segments right after a
// playlist is written; `ta` segments ahead of every segment a player asks for; and, after a seek,
// queued prefetch that no recent viewer of the playlist will reach is abandoned.
#include <cstdint>

#include "osslive/jobs/playheads.hpp"
#include "osslive/live/live_service.hpp"
#include "playlist_cache.hpp"
#include "segment_service.hpp"

namespace osslive::live {

class Prefetcher {
 public:
  Prefetcher(LiveDeps& deps, SegmentService& segments, LiveStats& stats);

  // The playlist's initd segments that are not stored yet, at initial priority.
  void initial(const PlaylistRef& playlist);
  // Segment `index` was requested: queue the `ta` after it, drop prefetch nobody will reach.
  void after(const PlaylistRef& playlist, std::int64_t index);

 private:
  LiveDeps& deps_;
  SegmentService& segments_;
  LiveStats& stats_;
  jobs::Playheads playheads_;
};

}  // namespace osslive::live
