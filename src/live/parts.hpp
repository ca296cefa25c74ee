#pragma once
// Private to src/live: the pieces of the live layer that its handlers share.
#include "osslive/live/live_service.hpp"
#include "playlist_cache.hpp"
#include "prefetch.hpp"
#include "segment_service.hpp"

namespace osslive::live {

struct LiveService::Parts {
  explicit Parts(LiveDeps deps_in)
      : deps(std::move(deps_in)), playlists(deps.store), segments(deps, playlists, stats), prefetch(deps, segments, playlists, stats) {}

  LiveDeps deps;
  LiveStats stats;
  PlaylistCache playlists;
  SegmentService segments;
  Prefetcher prefetch;
};

}  // namespace osslive::live
