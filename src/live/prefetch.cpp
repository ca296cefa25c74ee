#include "prefetch.hpp"

#include <algorithm>

#include "osslive/hls/playlist.hpp"

namespace osslive::live {

Prefetcher::Prefetcher(LiveDeps& deps, SegmentService& segments, LiveStats& stats)
    : deps_(deps), segments_(segments), stats_(stats) {}

void Prefetcher::initial(const PlaylistRef& playlist) {
  const MediaPlaylist* media = playlist->media();
  if (!media) return;
  const std::size_t count = hls::initd_segments(media->plan, media->manifest.params.initd_ms);
  for (std::size_t i = 0; i < count; ++i) {
    const auto index = static_cast<std::int64_t>(i);
    if (deps_.store.object_exists(playlist->bucket, segment_key_of(*playlist, index))) continue;
    auto submitted = segments_.submit(playlist, index, jobs::Priority::Initial);
    if (!submitted.ok() || !*submitted) break;  // queue full: the rest is made on demand
  }
}

void Prefetcher::after(const PlaylistRef& playlist, std::int64_t index) {
  const MediaPlaylist* media = playlist->media();
  if (!media) return;
  const std::int64_t ahead = media->manifest.params.ta;
  const std::int64_t last = std::min<std::int64_t>(index + ahead, static_cast<std::int64_t>(media->plan.segments.size()) - 1);
  const std::string group = job_key(playlist->bucket, playlist->key);
  // A seek far away: queued prefetch outside the window of every recent viewer helps nobody.
  // (Another viewer of the same playlist keeps the segments ahead of it.)
  const std::vector<std::int64_t> viewers = playheads_.request(group, index, ahead, deps_.clock.steady());
  const std::string prefix = playlist->bucket + "/";
  deps_.jobs.abandon(group, [&](const std::string& queued) {
    auto name = hls::parse_segment_name(queued.substr(prefix.size()));
    return name && std::any_of(viewers.begin(), viewers.end(), [&](std::int64_t at) {
             return name->index > at && name->index <= at + ahead;
           });
  });
  for (std::int64_t i = index + 1; i <= last; ++i) {
    const std::string key = segment_key_of(*playlist, i);
    if (deps_.jobs.pending(job_key(playlist->bucket, key)) || deps_.store.object_exists(playlist->bucket, key)) continue;
    auto submitted = segments_.submit(playlist, i, jobs::Priority::Prefetch);
    if (!submitted.ok() || !*submitted) break;
    ++stats_.prefetch_queued;
  }
}

}  // namespace osslive::live
