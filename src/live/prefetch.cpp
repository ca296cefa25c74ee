#include "prefetch.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/playlist.hpp"

namespace osslive::live {
namespace {

// Segments of one initd run queued at once: enough to keep a worker busy between players, few
// enough that a long video never fills the background queue.
constexpr std::size_t kRunInFlight = 2;

std::string note_id(const std::string& group) { return hex_lower(sha256(group)).substr(0, 32); }

std::string note_text(const PlaylistObject& playlist) {
  return nlohmann::json{{"bucket", playlist.bucket}, {"key", playlist.key}}.dump();
}

}  // namespace

Prefetcher::Prefetcher(LiveDeps& deps, SegmentService& segments, PlaylistCache& playlists, LiveStats& stats)
    : deps_(deps), segments_(segments), playlists_(playlists), stats_(stats) {}

void Prefetcher::initial(const PlaylistRef& playlist) {
  const MediaPlaylist* media = playlist->media();
  if (!media) return;
  const auto count = static_cast<std::int64_t>(hls::initd_segments(media->plan, media->manifest.params.initd_ms));
  if (count == 0) return;
  const std::string group = job_key(playlist->bucket, playlist->key);
  std::lock_guard lock(mutex_);
  auto found = runs_.find(group);
  if (found != runs_.end() && found->second.playlist->etag == playlist->etag) {
    // Already running: look again from the start for segments deleted since.
    found->second.next = 0;
    pump(group);
    return;
  }
  if (auto noted = deps_.notes.put(note_id(group), note_text(*playlist)); !noted.ok())
    spdlog::warn("initd of {}: cannot write it down, a restart will not resume it: {}", group, noted.error().to_string());
  Run& run = runs_[group];
  run.playlist = playlist;  // a rewritten playlist replaces the old run; its queued jobs finish alone
  run.next = 0;
  run.end = count;
  pump(group);
}

void Prefetcher::pump(const std::string& group) {
  auto found = runs_.find(group);
  if (found == runs_.end()) return;
  Run& run = found->second;
  while (run.in_flight.size() < kRunInFlight && run.next < run.end) {
    const std::int64_t index = run.next;
    const std::string key = segment_key_of(*run.playlist, index);
    const std::string job = job_key(run.playlist->bucket, key);
    if (deps_.store.object_exists(run.playlist->bucket, key) || deps_.jobs.pending(job) ||
        segments_.recent_failure(*run.playlist, index)) {
      ++run.next;
      continue;
    }
    auto submitted = segments_.submit(run.playlist, index, jobs::Priority::Initial,
                                      [this, group, job] { finished(group, job); });
    if (!submitted.ok() || !*submitted) return;  // the queue is full: the next finished job, or request, goes on
    ++run.next;
    run.in_flight.insert(job);
  }
  if (run.in_flight.empty() && run.next >= run.end) {
    if (auto removed = deps_.notes.remove(note_id(group)); !removed.ok())
      spdlog::warn("initd of {}: {}", group, removed.error().to_string());
    runs_.erase(found);
  }
}

void Prefetcher::finished(const std::string& group, const std::string& job) {
  std::lock_guard lock(mutex_);
  auto found = runs_.find(group);
  if (found == runs_.end()) return;
  found->second.in_flight.erase(job);
  pump(group);
}

std::set<std::string> Prefetcher::initial_jobs(const std::string& group) {
  std::lock_guard lock(mutex_);
  auto found = runs_.find(group);
  return found == runs_.end() ? std::set<std::string>() : found->second.in_flight;
}

void Prefetcher::resume() {
  auto notes = deps_.notes.all();
  if (!notes.ok()) {
    spdlog::warn("initd runs to resume: {}", notes.error().to_string());
    return;
  }
  for (const std::string& text : *notes) {
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || !json.contains("bucket") || !json.contains("key") || !json["bucket"].is_string() ||
        !json["key"].is_string())
      continue;
    const std::string bucket = json["bucket"], key = json["key"];
    auto playlist = playlists_.load(bucket, key);
    if (playlist.ok() && (*playlist)->media()) {
      spdlog::info("resuming the initd run of {}/{}", bucket, key);
      initial(*playlist);
    } else {
      (void)deps_.notes.remove(note_id(job_key(bucket, key)));  // the playlist is gone or no longer ours
    }
  }
}

void Prefetcher::after(const PlaylistRef& playlist, std::int64_t index) {
  const MediaPlaylist* media = playlist->media();
  if (!media) return;
  const std::int64_t ahead = media->manifest.params.ta;
  const std::int64_t last = std::min<std::int64_t>(index + ahead, static_cast<std::int64_t>(media->plan.segments.size()) - 1);
  const std::string group = job_key(playlist->bucket, playlist->key);
  // A seek far away: queued prefetch outside the window of every recent viewer helps nobody.
  // (Another viewer of the same playlist keeps the segments ahead of it; an initd run keeps its own.)
  const std::vector<std::int64_t> viewers = playheads_.request(group, index, ahead, deps_.clock.steady());
  const std::string prefix = playlist->bucket + "/";
  const std::set<std::string> run_jobs = initial_jobs(group);  // copied: abandon holds the queue's lock
  deps_.jobs.abandon(group, [&](const std::string& queued) {
    if (run_jobs.count(queued)) return true;
    auto name = hls::parse_segment_name(queued.substr(prefix.size()));
    return name && std::any_of(viewers.begin(), viewers.end(), [&](std::int64_t at) {
             return name->index > at && name->index <= at + ahead;
           });
  });
  for (std::int64_t i = index + 1; i <= last; ++i) {
    const std::string key = segment_key_of(*playlist, i);
    if (deps_.jobs.pending(job_key(playlist->bucket, key)) || deps_.store.object_exists(playlist->bucket, key) ||
        segments_.recent_failure(*playlist, i))
      continue;
    auto submitted = segments_.submit(playlist, i, jobs::Priority::Prefetch);
    if (!submitted.ok() || !*submitted) break;
    ++stats_.prefetch_queued;
  }
  // A run stalled on a full queue goes on now.
  std::lock_guard lock(mutex_);
  pump(group);
}

}  // namespace osslive::live
