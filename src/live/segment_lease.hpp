#pragma once
// Private to src/live: each segment is made once however many nodes share the store. A job takes
// the store's lease on its segment before making it and renews it while it works. A job that
// finds another node's lease waits for that node's segment and hands out those very bytes; when
// the lease is given up without a segment, or its holder is gone (the lease expired, or the
// holder's process is known to have exited), the job takes the lease and makes the segment
// itself. Segments are deterministic, so a segment made again after a node died is the same bytes.
#include <chrono>
#include <optional>
#include <string>

#include "osslive/core/clock.hpp"
#include "osslive/core/result.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::live {

// A holder renews every third of this; a dead holder on another machine blocks its segment for at
// most this long (one on the same machine not at all: its exit is seen at once).
inline constexpr std::chrono::milliseconds kSegmentLeaseTtl{15'000};
// How often a job waiting for another node's segment looks again.
inline constexpr std::chrono::milliseconds kSegmentLeasePoll{50};

class SegmentLease {
 public:
  // Waits until this job holds the lease on bucket/key, or the segment is stored (made by the
  // holder meanwhile), or `deadline` passes (ServiceUnavailable naming the holder).
  static Result<SegmentLease> claim(store::BucketStore& store, const Clock& clock, std::string bucket, std::string key,
                                    std::chrono::steady_clock::time_point deadline);
  SegmentLease(SegmentLease&& other) noexcept;
  SegmentLease& operator=(SegmentLease&&) = delete;
  ~SegmentLease();  // gives the lease up

  // The segment another node made; empty when this job holds the lease and makes it.
  const std::optional<store::OpenObject>& stored() const { return stored_; }
  // Whether this job waited for another node's lease before it got the lease or the segment.
  bool waited() const { return waited_; }
  // Renews the lease once a third of its time has passed: cheap, call it between pieces of work.
  void keep_alive();

 private:
  SegmentLease(store::BucketStore& store, const Clock& clock, std::string bucket, std::string key);

  store::BucketStore* store_;
  const Clock* clock_;
  std::string bucket_;
  std::string key_;
  store::Lease lease_;
  std::chrono::steady_clock::time_point renewed_;
  std::optional<store::OpenObject> stored_;
  bool waited_ = false;
};

}  // namespace osslive::live
