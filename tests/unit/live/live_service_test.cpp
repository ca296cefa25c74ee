// The live handlers as request -> response functions: every row of the process route table, with
// a fake media backend, a job queue run by hand and a fixed clock.
#include <nlohmann/json.hpp>

#include "live_fixture.hpp"
#include "osslive/hls/playlist.hpp"

namespace osslive::live::testing {
namespace {

using nlohmann::json;

constexpr const char* kLiveTs = "if_status_eq_404{hls/ts}";

class LiveServiceTest : public LiveTest {
 protected:
  void SetUp() override {
    put("media", "in/clip.mp4", "source bytes v1");
    Response made = make_playlist("in/clip.mp4", "out/clip.m3u8", "st_10000,initd_0");
    ASSERT_EQ(made.status, 200) << body_of(made);
    token_ = json::parse(body_of(made))["VideoPlaylist"][0]["Token"].get<std::string>();
  }

  std::string segment(int index) const { return hls::segment_key("out/clip.m3u8", token_, index); }
  std::string job(int index) const { return "media/" + segment(index); }

  std::string token_;
};

TEST_F(LiveServiceTest, HlsM3u8WritesThePlaylistAndAnswersItsJson) {
  EXPECT_EQ(last_operation_, "HlsM3u8");
  auto stored = store_.stat_object("media", "out/clip.m3u8");
  ASSERT_TRUE(stored.ok());
  Response again = make_playlist("in/clip.mp4", "out/clip.m3u8", "st_10000,initd_0");
  json body = json::parse(body_of(again));
  EXPECT_EQ(header(again, "Content-Type").rfind("application/json", 0), 0u);
  EXPECT_EQ(body["VideoPlaylist"][0]["URI"], "oss://media/out/clip.m3u8");
  EXPECT_EQ(body["VideoPlaylist"][0]["Resolution"], "640x360");
  EXPECT_EQ(body["VideoPlaylist"][0]["Token"], token_);
  EXPECT_TRUE(jobs_.submitted.empty()) << "initd_0 queues nothing";
}

TEST_F(LiveServiceTest, InitdQueuesItsSegmentsAtInitialPriority) {
  ASSERT_EQ(make_playlist("in/clip.mp4", "out/warm.m3u8", "st_10000,initd_15000").status, 200);
  ASSERT_EQ(jobs_.submitted.size(), 2u);  // segments starting before 15 s: 0 and 1
  for (const auto& [key, priority] : jobs_.submitted) EXPECT_EQ(priority, jobs::Priority::Initial) << key;
}

TEST_F(LiveServiceTest, AMissingSegmentIsMadeOnceStreamedAndStored) {
  Response first = presigned_get(segment(1), auth::Scheme::V1Query, kLiveTs);
  Response second = presigned_get(segment(1), auth::Scheme::V4Query, kLiveTs);
  EXPECT_EQ(last_operation_, "HlsTs");
  ASSERT_EQ(first.status, 200) << body_of(first);
  EXPECT_EQ(header(first, "Content-Type"), "video/MP2T");
  EXPECT_EQ(jobs_.joined, 1) << "the second request joins the first one's job";
  ASSERT_TRUE(jobs_.run(job(1)).ok());
  EXPECT_EQ(body_of(first), FakeMedia::bytes_of(1));
  EXPECT_EQ(body_of(second), FakeMedia::bytes_of(1));
  EXPECT_EQ(media_.made, std::vector<std::int64_t>{1});

  // Stored now: served as an object, nothing made again.
  Response hit = presigned_get(segment(1), auth::Scheme::V2Query, kLiveTs);
  ASSERT_EQ(hit.status, 200);
  EXPECT_TRUE(std::holds_alternative<FileSlice>(hit.body));
  EXPECT_EQ(body_of(hit), FakeMedia::bytes_of(1));
  EXPECT_EQ(live_->stats().segment_hits, 1u);
  EXPECT_EQ(live_->stats().segment_misses, 2u);
}

TEST_F(LiveServiceTest, ARequestQueuesTheSegmentsAheadAtPrefetchPriority) {
  ASSERT_EQ(presigned_get(segment(0), auth::Scheme::V1Query, kLiveTs).status, 200);
  ASSERT_EQ(jobs_.submitted.size(), 3u);  // the player's segment and the two after it (30 s source)
  EXPECT_EQ(jobs_.submitted[0], std::make_pair(job(0), jobs::Priority::Player));
  EXPECT_EQ(jobs_.submitted[1], std::make_pair(job(1), jobs::Priority::Prefetch));
  EXPECT_EQ(jobs_.submitted[2], std::make_pair(job(2), jobs::Priority::Prefetch));
}

TEST_F(LiveServiceTest, TheJobDeadlineIsReadFromTheInjectedClock) {
  ASSERT_EQ(presigned_get(segment(2), auth::Scheme::V1Query, kLiveTs).status, 200);
  clock_.advance(std::chrono::seconds(3));
  ASSERT_TRUE(jobs_.run(job(2)).ok());
  ASSERT_EQ(media_.timings.size(), 1u);
  EXPECT_EQ(media_.timings[0].deadline, clock_.steady() + std::chrono::milliseconds(TranscodeConfig{}.segment_timeout_ms));
}

TEST_F(LiveServiceTest, AFullQueueAnswersSlowDownWithRetryAfter) {
  jobs_.refuse_players = true;
  Response refused = presigned_get(segment(0), auth::Scheme::V1Query, kLiveTs);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(xml_code(refused), "SlowDown");
  EXPECT_EQ(header(refused, "Retry-After"), "7");
}

TEST_F(LiveServiceTest, AChangedSourceIsRefusedBeforeAndInsideTheJob) {
  ASSERT_EQ(presigned_get(segment(0), auth::Scheme::V1Query, kLiveTs).status, 200);
  put("media", "in/clip.mp4", "source bytes v2");
  // Queued before the change: the job itself refuses to mix sources.
  Status inside = jobs_.run(job(0));
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(inside.error().code(), Errc::SourceChanged);
  EXPECT_TRUE(media_.made.empty());
  Response after = presigned_get(segment(1), auth::Scheme::V1Query, kLiveTs);
  EXPECT_EQ(after.status, 409);
  EXPECT_EQ(xml_code(after), "SourceChanged");
}

TEST_F(LiveServiceTest, SegmentAddressingErrorsAreNoSuchKey) {
  const std::string wrong_token = hls::segment_key("out/clip.m3u8", std::string(32, '0'), 0);
  EXPECT_EQ(xml_code(presigned_get(wrong_token, auth::Scheme::V1Query, kLiveTs)), "NoSuchKey");
  EXPECT_EQ(xml_code(presigned_get(segment(3), auth::Scheme::V1Query, kLiveTs)), "NoSuchKey");  // 3 segments
  EXPECT_EQ(xml_code(presigned_get("out/other.mp4", auth::Scheme::V1Query, kLiveTs)), "NoSuchKey");
  EXPECT_TRUE(jobs_.submitted.empty());
}

TEST_F(LiveServiceTest, HlsSignSignsEverySegmentLineWithThePlaylistsScheme) {
  for (auth::Scheme scheme : {auth::Scheme::V1Query, auth::Scheme::V2Query, auth::Scheme::V4Query}) {
    Response signed_playlist = presigned_get("out/clip.m3u8", scheme, "hls/sign,live_1");
    ASSERT_EQ(signed_playlist.status, 200) << body_of(signed_playlist);
    EXPECT_EQ(last_operation_, "HlsSign");
    const std::string text = body_of(signed_playlist);
    EXPECT_EQ(text.find("#OSSLIVE-MANIFEST"), std::string::npos);
    auto entries = hls::parse_playlist_segments(text);
    ASSERT_EQ(entries.size(), 3u);
    // Each line is a URL the verifier accepts, and it names the hls/ts process of this playlist.
    const std::string line = entries[1].uri;
    EXPECT_NE(line.find("x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_"), std::string::npos) << line;
    Response ts = get("/media/out/" + line);
    EXPECT_EQ(ts.status, 200) << body_of(ts);
    jobs_.run_all();
  }
}

TEST_F(LiveServiceTest, HeaderSignedHlsSignIsRefused) {
  Response refused = signed_request("GET", "/media/out/clip.m3u8?x-oss-process=hls%2Fsign%2Clive_1");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(xml_code(refused), "InvalidRequest");
}

TEST_F(LiveServiceTest, HlsStatusFollowsEachSegmentFromMissingToStored) {
  auto states = [&] {
    Response status = presigned_get("out/clip.m3u8", auth::Scheme::V1Query, "hls/status");
    EXPECT_EQ(last_operation_, "HlsStatus");
    const json body = json::parse(body_of(status));
    std::vector<std::string> out;
    for (const auto& s : body["Segments"]) out.push_back(s["State"]);
    return out;
  };
  EXPECT_EQ(states(), (std::vector<std::string>{"missing", "missing", "missing"}));
  ASSERT_EQ(presigned_get(segment(1), auth::Scheme::V1Query, kLiveTs).status, 200);
  jobs_.running = {job(1)};
  EXPECT_EQ(states(), (std::vector<std::string>{"missing", "transcoding", "queued"}));
  jobs_.running.clear();
  jobs_.run_all();
  EXPECT_EQ(states(), (std::vector<std::string>{"missing", "stored", "stored"}));
}

TEST_F(LiveServiceTest, OperationsWithTheWrongMethodOrObjectAreRefused) {
  // hls/m3u8 by GET, hls/sign by POST, hls/status on something osslive did not write.
  Response get_m3u8 = presigned_get("in/clip.mp4", auth::Scheme::V1Query,
                                    "hls/m3u8|sys/saveas,o_" + base64_encode("x.m3u8"));
  EXPECT_EQ(get_m3u8.status, 405);
  Response post_sign = signed_request("POST", "/media/out/clip.m3u8?x-oss-process", "x-oss-process=hls/sign,live_1");
  EXPECT_EQ(post_sign.status, 400);
  put("media", "out/hand.m3u8", "#EXTM3U\n#EXTINF:5,\na.ts\n#EXT-X-ENDLIST\n");
  Response status = presigned_get("out/hand.m3u8", auth::Scheme::V1Query, "hls/status");
  EXPECT_EQ(status.status, 400);
  EXPECT_EQ(xml_code(status), "InvalidArgument");
}

TEST_F(LiveServiceTest, APlaylistRewrittenByAnotherWriterIsSeenAtOnce) {
  // Same key, new parameters: the next segment request must use the new playlist, not a cached one.
  ASSERT_EQ(make_playlist("in/clip.mp4", "out/clip.m3u8", "st_5000,initd_0").status, 200);
  Response status = presigned_get("out/clip.m3u8", auth::Scheme::V1Query, "hls/status");
  EXPECT_EQ(json::parse(body_of(status))["Segments"].size(), 6u);
}

TEST_F(LiveServiceTest, GenerateVideoPlaylistValidatesItsBody) {
  Response bad = signed_request("POST", "/?GenerateVideoPlaylist", "{not json");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(last_operation_, "GenerateVideoPlaylist");
  Response missing = signed_request(
      "POST", "/?GenerateVideoPlaylist",
      R"({"SourceURI":"oss://media/in/none.mp4","MasterURI":"oss://media/out/master.m3u8","Targets":[{"Video":{"Resolution":"640x360"}}]})");
  EXPECT_EQ(missing.status, 404) << body_of(missing);
}

}  // namespace
}  // namespace osslive::live::testing
