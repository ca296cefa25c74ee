#pragma once
// The live-transcoding layer: every x-oss-process request (hls/m3u8, hls/sign, hls/ts,
// hls/status) and GenerateVideoPlaylist, routed by one table (src/live/process_routes.cpp) to
// small handlers. It reaches the disk through the BucketStore, libav through a MediaBackend and
// the workers through a JobQueue, and reads time from the injected Clock, so its handlers are
// tested without sockets, libav or sleeping.
#include <atomic>
#include <cstdint>
#include <memory>

#include "osslive/auth/verifier.hpp"
#include "osslive/core/clock.hpp"
#include "osslive/core/config.hpp"
#include "osslive/jobs/job_queue.hpp"
#include "osslive/live/media_backend.hpp"
#include "osslive/oss/service.hpp"
#include "osslive/store/bucket_store.hpp"
#include "osslive/store/notes.hpp"

namespace osslive::live {

struct LiveDeps {
  store::BucketStore& store;
  const auth::CredentialStore& credentials;
  jobs::JobQueue& jobs;
  MediaBackend& media;
  store::Notes& notes;  // initd runs not finished, resumed after a restart
  const Clock& clock;
  TranscodeConfig config;
};

// Counters the metrics endpoint reads.
struct LiveStats {
  std::atomic<std::uint64_t> playlists{0};
  std::atomic<std::uint64_t> segment_hits{0};    // hls/ts found the stored segment
  std::atomic<std::uint64_t> segment_misses{0};  // hls/ts had to make it (or join the job making it)
  std::atomic<std::uint64_t> prefetch_queued{0};
};

class LiveService final : public oss::ProcessApi {
 public:
  explicit LiveService(LiveDeps deps);
  ~LiveService() override;
  LiveService(const LiveService&) = delete;
  LiveService& operator=(const LiveService&) = delete;

  Result<Response> handle(oss::RequestContext& context) override;
  // Picks up the initd runs a previous process did not finish (call once the server is ready).
  void resume();
  const LiveStats& stats() const;

  struct Parts;  // the layer's pieces, shared by its handlers (src/live/live_parts.hpp)

 private:
  std::unique_ptr<Parts> parts_;
};

}  // namespace osslive::live
