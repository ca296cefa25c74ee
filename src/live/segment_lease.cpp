#include "segment_lease.hpp"

#include <spdlog/spdlog.h>

#include <thread>
#include <utility>

namespace osslive::live {

SegmentLease::SegmentLease(store::BucketStore& store, const Clock& clock, std::string bucket, std::string key)
    : store_(&store), clock_(&clock), bucket_(std::move(bucket)), key_(std::move(key)) {}

SegmentLease::SegmentLease(SegmentLease&& other) noexcept
    : store_(other.store_),
      clock_(other.clock_),
      bucket_(std::move(other.bucket_)),
      key_(std::move(other.key_)),
      lease_(std::exchange(other.lease_, store::Lease{})),
      renewed_(other.renewed_),
      stored_(std::move(other.stored_)),
      waited_(other.waited_) {}

SegmentLease::~SegmentLease() {
  if (lease_.held) store_->release_lease(bucket_, key_, lease_);
}

Result<SegmentLease> SegmentLease::claim(store::BucketStore& store, const Clock& clock, std::string bucket,
                                         std::string key, std::chrono::steady_clock::time_point deadline) {
  SegmentLease claim(store, clock, std::move(bucket), std::move(key));
  std::string holder;  // the last other holder seen
  for (;;) {
    OSSLIVE_ASSIGN(claim.lease_, store.try_lease(claim.bucket_, claim.key_, kSegmentLeaseTtl));
    claim.renewed_ = clock.steady();
    // Looked for after the lease too: a holder stores the segment, then gives the lease up.
    if (auto stored = store.open_object(claim.bucket_, claim.key_); stored.ok()) {
      if (claim.lease_.held) store.release_lease(claim.bucket_, claim.key_, claim.lease_);
      claim.lease_ = store::Lease{};
      claim.stored_ = std::move(stored).value();
      return claim;
    }
    if (claim.lease_.held) {
      if (claim.waited_)
        spdlog::info("segment {}/{}: node {} gave it up or is gone, making it here", claim.bucket_, claim.key_,
                     holder);
      return claim;
    }
    if (!claim.waited_)
      spdlog::info("segment {}/{} is being made by node {}: waiting for it", claim.bucket_, claim.key_,
                   claim.lease_.holder_node());
    holder = claim.lease_.holder_node();
    claim.waited_ = true;
    if (clock.steady() >= deadline)
      return Error(Errc::ServiceUnavailable, "segment " + claim.key_ + " is being made by node " +
                                                 std::string(claim.lease_.holder_node()) +
                                                 ", which did not finish it in time; try again");
    std::this_thread::sleep_for(kSegmentLeasePoll);
  }
}

void SegmentLease::keep_alive() {
  if (!lease_.held) return;
  const auto now = clock_->steady();
  if (now - renewed_ < kSegmentLeaseTtl / 3) return;
  renewed_ = now;
  if (Status renewed = store_->renew_lease(bucket_, key_, lease_, kSegmentLeaseTtl); !renewed.ok())
    spdlog::warn("segment {}/{}: {} (another node may make it too; the bytes are the same)", bucket_, key_,
                 renewed.error().message());
}

}  // namespace osslive::live
