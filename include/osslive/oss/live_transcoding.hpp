#pragma once
// Live transcoding on top of the object API (SPEC §6-8): POST hls/m3u8|sys/saveas writes a
// playlist at once; GET hls/sign signs its segment lines; GET hls/ts serves a segment or makes
// it on demand, streaming the bytes while they are encoded, and keeps `ta` segments ahead.
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "osslive/auth/verifier.hpp"
#include "osslive/core/config.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/jobs/playheads.hpp"
#include "osslive/jobs/scheduler.hpp"
#include "osslive/oss/service.hpp"
#include "osslive/transcode/segment_transcoder.hpp"

namespace osslive::oss {

// Counters the metrics endpoint reads.
struct LiveStats {
  std::atomic<std::uint64_t> playlists{0};
  std::atomic<std::uint64_t> segment_hits{0};    // hls/ts found the stored segment
  std::atomic<std::uint64_t> segment_misses{0};  // hls/ts had to make it (or join the job making it)
  std::atomic<std::uint64_t> prefetch_queued{0};
};

class LiveTranscoding final : public ProcessApi {
 public:
  LiveTranscoding(store::BucketStore& store, const auth::CredentialStore& credentials, jobs::Scheduler& scheduler,
                  TranscodeConfig config);

  Response post(RequestContext& context) override;
  Response get(RequestContext& context) override;

  const LiveStats& stats() const { return stats_; }

  // One playlist's manifest and plan, shared by every job of that playlist.
  struct Playlist {
    std::string bucket;
    std::string key;
    std::string etag;  // of the playlist object this was read from
    hls::Manifest manifest;
    hls::SegmentPlan plan;
  };

 private:
  Result<Response> make_playlist(RequestContext& context, const std::string& process_text);
  Result<Response> sign_playlist(RequestContext& context, bool live);
  Result<Response> serve_segment(RequestContext& context, const std::optional<std::string>& from);
  Result<Response> playlist_status(RequestContext& context);
  // GenerateVideoPlaylist (osslive extension): master playlists over several renditions.
  Result<Response> generate_video_playlist(RequestContext& context);
  Result<Response> serve_subtitle_segment(RequestContext& context, const std::optional<std::string>& from,
                                          const hls::SegmentName& name);
  Result<Response> subtitle_status(RequestContext& context);

  Result<std::shared_ptr<const Playlist>> load_playlist(const std::string& bucket, const std::string& key);
  Result<std::shared_ptr<jobs::SegmentBuffer>> submit_segment(const std::shared_ptr<const Playlist>& playlist,
                                                              std::int64_t index, jobs::Priority priority);
  void prefetch_after(const std::shared_ptr<const Playlist>& playlist, std::int64_t index);
  void pretranscode(const std::shared_ptr<const Playlist>& playlist);

  store::BucketStore& store_;
  const auth::CredentialStore& credentials_;
  jobs::Scheduler& scheduler_;
  TranscodeConfig config_;
  transcode::TranscodeOptions transcode_options_;
  LiveStats stats_;
  jobs::Playheads playheads_;

  std::mutex cache_mutex_;
  std::list<std::shared_ptr<const Playlist>> cache_;  // most recently used first, bounded
};

}  // namespace osslive::oss
