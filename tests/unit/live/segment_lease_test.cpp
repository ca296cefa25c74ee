// A segment is made once however many nodes share the store: a job that finds another node's
// lease on its segment waits and hands out that node's bytes, and takes over when the lease is
// given up without a segment or expired. osslive_transcodes_started_total counts segments made.
#include <nlohmann/json.hpp>

#include <thread>

#include "live_fixture.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/playlist.hpp"

namespace osslive::live::testing {
namespace {

constexpr const char* kLiveTs = "if_status_eq_404{hls/ts}";

class SegmentLeaseTest : public ClipPlaylistTest {
 protected:
  void store_segment(store::BucketStore& store, int index, std::string bytes) {
    store::PutBody body;
    body.size = bytes.size();
    body.data = std::move(bytes);
    ASSERT_TRUE(store.put_object("media", segment(index), std::move(body), {}).ok());
  }

  // Another node on the same folder.
  store::FsBucketStore other_{dir_, clock_};
};

TEST_F(SegmentLeaseTest, AJobWaitsForTheSegmentAnotherNodeIsMakingAndHandsOutThoseBytes) {
  auto theirs = other_.try_lease("media", segment(1), std::chrono::seconds(15));
  ASSERT_TRUE(theirs.ok() && theirs->held);
  Response response = presigned_get(segment(1), auth::Scheme::V1Query, kLiveTs);
  ASSERT_EQ(response.status, 200) << body_of(response);

  Status status = Error(Errc::InternalError, "not run");
  std::thread worker([&] { status = jobs_.run(job(1)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The other node finishes: stores the segment, then gives its lease up.
  store_segment(other_, 1, "made by the other node");
  other_.release_lease("media", segment(1), *theirs);
  worker.join();

  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(body_of(response), "made by the other node");
  EXPECT_TRUE(media_.made.empty());
  EXPECT_EQ(live_->stats().transcodes_started, 0u);
  EXPECT_EQ(live_->stats().segment_lease_waits, 1u);
}

TEST_F(SegmentLeaseTest, ALeaseGivenUpWithoutASegmentOrExpiredIsTakenOver) {
  // Given up without a segment (its job failed there).
  auto theirs = other_.try_lease("media", segment(0), std::chrono::seconds(15));
  ASSERT_TRUE(theirs.ok() && theirs->held);
  Response first = presigned_get(segment(0), auth::Scheme::V1Query, kLiveTs);
  Status status = Error(Errc::InternalError, "not run");
  std::thread worker([&] { status = jobs_.run(job(0)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  other_.release_lease("media", segment(0), *theirs);
  worker.join();
  ASSERT_TRUE(status.ok()) << status.error().to_string();
  EXPECT_EQ(body_of(first), FakeMedia::bytes_of(0));

  // Expired (its holder stopped renewing it): made here without waiting.
  ASSERT_TRUE(other_.try_lease("media", segment(2), std::chrono::milliseconds(-1))->held);
  Response second = presigned_get(segment(2), auth::Scheme::V1Query, kLiveTs);
  ASSERT_TRUE(jobs_.run(job(2)).ok());
  EXPECT_EQ(body_of(second), FakeMedia::bytes_of(2));

  EXPECT_EQ(media_.made, (std::vector<std::int64_t>{0, 2}));
  EXPECT_EQ(live_->stats().transcodes_started, 2u);
  // Each job gave its lease up when it ended.
  EXPECT_TRUE(other_.try_lease("media", segment(0), std::chrono::seconds(15))->held);
  EXPECT_TRUE(other_.try_lease("media", segment(2), std::chrono::seconds(15))->held);
}

TEST_F(SegmentLeaseTest, TranscodesStartedCountsSegmentsMadeNotJobsThatFoundThemStored) {
  Response queued = presigned_get(segment(1), auth::Scheme::V1Query, kLiveTs);
  // Stored by another node while this job waited in the queue: the job only hands it out.
  store_segment(other_, 1, "stored meanwhile");
  ASSERT_TRUE(jobs_.run(job(1)).ok());
  EXPECT_EQ(body_of(queued), "stored meanwhile");
  EXPECT_EQ(live_->stats().transcodes_started, 0u);

  Response made = presigned_get(segment(2), auth::Scheme::V1Query, kLiveTs);
  ASSERT_TRUE(jobs_.run(job(2)).ok());
  EXPECT_EQ(body_of(made), FakeMedia::bytes_of(2));
  EXPECT_EQ(live_->stats().transcodes_started, 1u);
  EXPECT_EQ(live_->stats().segment_lease_waits, 0u);
}

// Background work of a playlist whose segments the test names, st_10000 with `params`.
class LeasedBackgroundWork : public SegmentLeaseTest {
 protected:
  std::string warm_segment(const std::string& token, int index) const {
    return hls::segment_key("out/warm.m3u8", token, index);
  }
  std::string make_warm(const std::string& params) {
    Response made = make_playlist("in/clip.mp4", "out/warm.m3u8", params);
    EXPECT_EQ(made.status, 200) << body_of(made);
    return nlohmann::json::parse(body_of(made))["VideoPlaylist"][0]["Token"].get<std::string>();
  }
  std::optional<jobs::Priority> queued_as(const std::string& key) const {
    auto found = jobs_.queued.find("media/" + key);
    if (found == jobs_.queued.end()) return std::nullopt;
    return found->second.priority;
  }
};

TEST_F(LeasedBackgroundWork, AnInitdRunLeavesASegmentAnotherNodeIsMakingToIt) {
  const std::string token = make_warm("st_10000,initd_30000");  // segments 0..2, two queued at a time
  ASSERT_TRUE(queued_as(warm_segment(token, 0)) && queued_as(warm_segment(token, 1)));
  auto theirs = other_.try_lease("media", warm_segment(token, 2), std::chrono::seconds(15));
  ASSERT_TRUE(theirs.ok() && theirs->held);
  ASSERT_TRUE(jobs_.run("media/" + warm_segment(token, 0)).ok());
  EXPECT_FALSE(queued_as(warm_segment(token, 2))) << "being made by the other node: no job waits for it here";
  ASSERT_TRUE(jobs_.run("media/" + warm_segment(token, 1)).ok());
  EXPECT_TRUE(jobs_.queued.empty());
  EXPECT_EQ(media_.made, (std::vector<std::int64_t>{0, 1}));
  other_.release_lease("media", warm_segment(token, 2), *theirs);
}

TEST_F(LeasedBackgroundWork, PrefetchLeavesASegmentAnotherNodeIsMakingToIt) {
  const std::string token = make_warm("st_10000,initd_0,ta_10");
  auto theirs = other_.try_lease("media", warm_segment(token, 1), std::chrono::seconds(15));
  ASSERT_TRUE(theirs.ok() && theirs->held);
  const std::string key = warm_segment(token, 0);
  ASSERT_EQ(presigned_get(key, auth::Scheme::V1Query, std::string("if_status_eq_404{hls/ts,from_") +
                                                         base64url_encode("out/warm.m3u8") + "}")
                .status,
            200);
  EXPECT_EQ(queued_as(warm_segment(token, 0)), jobs::Priority::Player);
  EXPECT_FALSE(queued_as(warm_segment(token, 1))) << "being made by the other node";
  EXPECT_EQ(queued_as(warm_segment(token, 2)), jobs::Priority::Prefetch);
  other_.release_lease("media", warm_segment(token, 1), *theirs);
}

TEST_F(LeasedBackgroundWork, APlayerTakesUpAnInitdRunWrittenDownButNotRunningHere) {
  // Written down by the node that took the hls/m3u8 request, which then died (here: a restart
  // that does not resume, as a node that never ran the run would not).
  const std::string token = make_warm("st_10000,initd_30000");
  restart(config());
  ASSERT_TRUE(jobs_.queued.empty());
  ASSERT_EQ(presigned_get(warm_segment(token, 0), auth::Scheme::V1Query,
                          std::string("if_status_eq_404{hls/ts,from_") + base64url_encode("out/warm.m3u8") + "}")
                .status,
            200);
  EXPECT_EQ(queued_as(warm_segment(token, 0)), jobs::Priority::Player);
  EXPECT_EQ(queued_as(warm_segment(token, 1)), jobs::Priority::Initial) << "the run goes on here";
  EXPECT_EQ(queued_as(warm_segment(token, 2)), jobs::Priority::Initial);
  jobs_.run_all();
  jobs_.run_all();
  auto notes = notes_.all();
  ASSERT_TRUE(notes.ok());
  EXPECT_TRUE(notes->empty()) << "the run ended here and is forgotten";
}

}  // namespace
}  // namespace osslive::live::testing
