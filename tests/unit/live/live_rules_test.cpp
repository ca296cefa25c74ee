// The hosted service's documented behaviour and the rules that bound what a request may cost: the
// documentation's example verbatim, whole-video initd that survives a restart, segments made again
// when the playlist is asked for, no anonymous path to a private source, failures remembered, a byte cap.
#include <nlohmann/json.hpp>

#include "live_fixture.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"

namespace osslive::live::testing {
namespace {

using nlohmann::json;

constexpr const char* kLiveTs = "if_status_eq_404{hls/ts}";

std::size_t initial_jobs(const ManualJobs& jobs) {
  std::size_t n = 0;
  for (const auto& [key, queued] : jobs.queued) n += queued.priority == jobs::Priority::Initial;
  return n;
}

TEST_F(LiveTest, TheDocumentedRequestGivesTheDocumentedResponse) {
  ASSERT_TRUE(store_.create_bucket("video-demo", "private").ok());
  ASSERT_TRUE(store_.create_bucket("outbucket", "private").ok());
  media_.info.duration_us = 1'815'000'000;  // 15 s + 1800 s
  media_.info.video->width = 1920;
  media_.info.video->height = 1080;
  media_.info.video->avg_frame_rate = media_.info.video->r_frame_rate = {30, 1};
  put("video-demo", "example.avi", "an avi");
  // Verbatim from the documentation, body and all.
  Response r = signed_request(
      "POST", "/video-demo/example.avi?x-oss-process",
      "x-oss-process=hls/m3u8,ss_15000,t_1800000,vcodec_h264,fps_25,fpsopt_1,s_1280x720,sopt_1,scaletype_fit,arotate_1,"
      "vb_2000000,vbopt_1,acodec_aac,ar_44100,ac_2,ab_128000,abopt_1,st_10000,initd_30000|sys/saveas,"
      "o_b3V0b2JqcHJlZml4L21lZGlh,b_b3V0YnVja2V0");
  ASSERT_EQ(r.status, 200) << body_of(r);
  EXPECT_EQ(header(r, "Content-Type"), "application/json;charset=utf-8");
  EXPECT_FALSE(header(r, "x-oss-server-time").empty());
  const std::string text = body_of(r);
  // Field by field, types included: the order and the integer Duration are the documentation's.
  const json body = json::parse(text);
  ASSERT_EQ(body.size(), 3u) << text;
  EXPECT_EQ(text.rfind("{\"Duration\":1800,\"RequestId\":", 0), 0u) << text;
  EXPECT_TRUE(body["Duration"].is_number_integer());
  EXPECT_TRUE(body["RequestId"].is_string());
  ASSERT_EQ(body["VideoPlaylist"].size(), 1u);
  const json& playlist = body["VideoPlaylist"][0];
  EXPECT_EQ(playlist.size(), 4u);
  EXPECT_EQ(playlist["FrameRate"], "25");
  EXPECT_EQ(playlist["Resolution"], "1280x720");
  EXPECT_TRUE(hls::is_token(playlist["Token"].get<std::string>()));
  EXPECT_EQ(playlist["URI"], "oss://outbucket/outobjprefix/media.m3u8");

  // The object is the .m3u8 the URI names; its segments are media-<token>-<n>.ts beside it.
  auto stored = store_.open_object("outbucket", "outobjprefix/media.m3u8");
  ASSERT_TRUE(stored.ok());
  std::string playlist_text(stored->info.size, '\0');
  ASSERT_TRUE(stored->file->pread(playlist_text.data(), playlist_text.size(), 0).ok());
  EXPECT_NE(playlist_text.find("#EXT-X-TARGETDURATION:10\n"), std::string::npos);
  const auto entries = hls::parse_playlist_segments(playlist_text);
  ASSERT_EQ(entries.size(), 180u);
  EXPECT_EQ(entries[3].uri, "media-" + playlist["Token"].get<std::string>() + "-3.ts");
  EXPECT_EQ(entries[3].extinf, "10.000");
  EXPECT_FALSE(store_.stat_object("outbucket", "outobjprefix/media").ok());
  EXPECT_EQ(initial_jobs(jobs_), 2u) << "initd_30000: three segments, two queued at a time";
}

TEST_F(LiveTest, CrfIsAFloat) {
  put("media", "in/clip.mp4", "source");
  ASSERT_EQ(make_playlist("in/clip.mp4", "out/crf.m3u8", "crf_23.5").status, 200);
  auto stored = store_.open_object("media", "out/crf.m3u8");
  ASSERT_TRUE(stored.ok());
  std::string text(stored->info.size, '\0');
  ASSERT_TRUE(stored->file->pread(text.data(), text.size(), 0).ok());
  auto manifest = hls::parse_playlist_manifest(text);
  ASSERT_TRUE(manifest.ok()) << manifest.error().to_string();
  EXPECT_EQ(manifest->params.video->crf, 23.5);
}

TEST_F(LiveTest, WholeVideoInitdMakesEverySegmentFewAtATimeAndSurvivesARestart) {
  media_.info.duration_us = 7'200'000'000;  // two hours: 720 segments of 10 s
  put("media", "in/long.mp4", "source");
  ASSERT_EQ(make_playlist("in/long.mp4", "out/long.m3u8", "initd_-1").status, 200);
  std::size_t most_queued = 0;
  for (int i = 0; i < 300; ++i) {
    most_queued = std::max(most_queued, initial_jobs(jobs_));
    ASSERT_FALSE(jobs_.queued.empty()) << "the run stopped after " << i << " segments";
    ASSERT_TRUE(jobs_.run(jobs_.queued.begin()->first).ok());
  }
  EXPECT_EQ(media_.made.size(), 300u);
  EXPECT_LE(most_queued, 2u) << "a long video never fills the background queue";

  restart(config());  // the queued jobs die with the process
  EXPECT_TRUE(jobs_.queued.empty());
  live_->resume();
  while (!jobs_.queued.empty()) ASSERT_TRUE(jobs_.run(jobs_.queued.begin()->first).ok());
  std::set<std::int64_t> made(media_.made.begin(), media_.made.end());
  EXPECT_EQ(made.size(), 720u) << "every segment, the first 300 once";
  EXPECT_EQ(media_.made.size(), 720u);
  auto notes = notes_.all();
  ASSERT_TRUE(notes.ok());
  EXPECT_TRUE(notes->empty()) << "a finished run is forgotten";
}

TEST_F(LiveTest, APlayerGoesAheadOfAWholeVideoRun) {
  media_.info.duration_us = 600'000'000;
  put("media", "in/long.mp4", "source");
  const Response made = make_playlist("in/long.mp4", "out/long.m3u8", "initd_-1");
  const std::string token = json::parse(body_of(made))["VideoPlaylist"][0]["Token"];
  ASSERT_EQ(presigned_get(hls::segment_key("out/long.m3u8", token, 40), auth::Scheme::V1Query, kLiveTs).status, 200);
  const std::string player_job = "media/" + hls::segment_key("out/long.m3u8", token, 40);
  ASSERT_TRUE(jobs_.queued.count(player_job));
  EXPECT_EQ(jobs_.queued.at(player_job).priority, jobs::Priority::Player);
}

TEST_F(LiveTest, AskingForThePlaylistAgainMakesDeletedInitdSegmentsAgain) {
  put("media", "in/clip.mp4", "source");
  const Response made = make_playlist("in/clip.mp4", "out/clip.m3u8", "initd_30000");
  const std::string token = json::parse(body_of(made))["VideoPlaylist"][0]["Token"];
  jobs_.run_all();
  jobs_.run_all();
  ASSERT_EQ(media_.made.size(), 3u);
  ASSERT_TRUE(store_.delete_object("media", hls::segment_key("out/clip.m3u8", token, 1)).ok());
  ASSERT_EQ(presigned_get("out/clip.m3u8", auth::Scheme::V1Query, "hls/sign,live_1").status, 200);
  ASSERT_EQ(jobs_.queued.size(), 1u);
  EXPECT_EQ(jobs_.queued.begin()->first, "media/" + hls::segment_key("out/clip.m3u8", token, 1));
  EXPECT_EQ(jobs_.queued.begin()->second.priority, jobs::Priority::Initial);
}

// A playlist in a public-read bucket whose source is in a private one.
class PublicPlaylistOfAPrivateSource : public LiveTest {
 protected:
  void SetUp() override {
    put("media", "in/private.mp4", "private source");
    Response made = signed_request("POST", "/media/in/private.mp4?x-oss-process",
                                   "x-oss-process=hls/m3u8,initd_0|sys/saveas,o_" + base64_encode("pub/P.m3u8") +
                                       ",b_" + base64_encode("open"));
    ASSERT_EQ(made.status, 200) << body_of(made);
    token_ = json::parse(body_of(made))["VideoPlaylist"][0]["Token"];
    // A key holder made segment 0.
    ASSERT_EQ(presigned_get_open(0, true).status, 200);
    jobs_.run_all();
    jobs_.submitted.clear();
  }
  Response presigned_get_open(int index, bool signed_by_key) {
    const std::string key = hls::segment_key("pub/P.m3u8", token_, index);
    if (!signed_by_key) return get("/open/" + key + "?x-oss-process=" + uri_encode(kLiveTs));
    auto query = auth::presign_like(presigned_as(auth::Scheme::V1Query), kSk, "GET", "open", key,
                                    {{"x-oss-process", kLiveTs, true}});
    return get("/open/" + key + "?" + *query);
  }
  std::string token_;
};

TEST_F(PublicPlaylistOfAPrivateSource, AnAnonymousHitStartsNoJob) {
  Response hit = presigned_get_open(0, false);
  EXPECT_EQ(hit.status, 200) << "the stored segment is public";
  EXPECT_TRUE(jobs_.submitted.empty()) << "no prefetch from a private source for an anonymous player";
  ASSERT_TRUE(store_.delete_object("open", hls::segment_key("pub/P.m3u8", token_, 1)).ok());
  Response miss = presigned_get_open(1, false);
  EXPECT_EQ(miss.status, 403);
  Response sign = get("/open/pub/P.m3u8?x-oss-process=hls%2Fsign%2Clive_1");
  EXPECT_EQ(sign.status, 200);
  EXPECT_TRUE(jobs_.submitted.empty()) << "nor an initd run from hls/sign";
}

TEST_F(PublicPlaylistOfAPrivateSource, AForgedFromOnAStoredSegmentStartsNoJob) {
  // Another playlist of the same bucket, named in from_ of an unrelated stored segment.
  put("open", "in/other.mp4", "public source");
  ASSERT_EQ(signed_request("POST", "/open/in/other.mp4?x-oss-process",
                           "x-oss-process=hls/m3u8,initd_0|sys/saveas,o_" + base64_encode("pub/Other.m3u8"))
                .status,
            200);
  jobs_.submitted.clear();
  const std::string key = hls::segment_key("pub/P.m3u8", token_, 0);
  Response hit = get("/open/" + key + "?x-oss-process=" +
                     uri_encode("if_status_eq_404{hls/ts,from_" + base64_encode("pub/Other.m3u8") + "}"));
  EXPECT_EQ(hit.status, 200);
  EXPECT_TRUE(jobs_.submitted.empty()) << "the segment is not Other's: nothing of Other is made";
}

TEST_F(LiveTest, AFailedSegmentIsNotMadeAgainForAWhile) {
  put("media", "in/clip.mp4", "source");
  const Response made = make_playlist("in/clip.mp4", "out/clip.m3u8", "initd_0");
  const std::string key = hls::segment_key("out/clip.m3u8", json::parse(body_of(made))["VideoPlaylist"][0]["Token"].get<std::string>(), 0);
  media_.fail = Error(Errc::InternalError, "the job ran out of time");
  ASSERT_EQ(presigned_get(key, auth::Scheme::V1Query, kLiveTs).status, 200);
  EXPECT_FALSE(jobs_.run("media/" + key).ok());
  jobs_.queued.clear();
  Response again = presigned_get(key, auth::Scheme::V1Query, kLiveTs);
  EXPECT_EQ(again.status, 503);
  EXPECT_EQ(header(again, "Retry-After"), "60");
  EXPECT_FALSE(jobs_.pending("media/" + key));
  clock_.advance(std::chrono::seconds(45));
  EXPECT_EQ(header(presigned_get(key, auth::Scheme::V1Query, kLiveTs), "Retry-After"), "15");
  clock_.advance(std::chrono::seconds(16));
  media_.fail.reset();
  ASSERT_EQ(presigned_get(key, auth::Scheme::V1Query, kLiveTs).status, 200);
  EXPECT_TRUE(jobs_.run("media/" + key).ok()) << "tried again once the failure is forgotten";

  // A damaged source is the same 4xx for a while.
  put("media", "in/bad.mp4", "source");
  const Response bad = make_playlist("in/bad.mp4", "out/bad.m3u8", "initd_0");
  const std::string bad_key = hls::segment_key("out/bad.m3u8", json::parse(body_of(bad))["VideoPlaylist"][0]["Token"].get<std::string>(), 1);
  media_.fail = Error(Errc::InvalidArgument, "the source's video ends at 3 s");
  ASSERT_EQ(presigned_get(bad_key, auth::Scheme::V1Query, kLiveTs).status, 200);
  EXPECT_FALSE(jobs_.run("media/" + bad_key).ok());
  jobs_.queued.clear();
  Response refused = presigned_get(bad_key, auth::Scheme::V1Query, kLiveTs);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(body_of(refused).find("ends at 3 s"), std::string::npos);
}

TEST_F(LiveTest, ASegmentOverTheByteCapFailsItsJob) {
  TranscodeConfig small = config();
  small.max_segment_bytes = 4096;
  restart(small);
  media_.repeat = 2000;  // about 6 KB
  put("media", "in/clip.mp4", "source");
  const Response made = make_playlist("in/clip.mp4", "out/clip.m3u8", "initd_0");
  const std::string key = hls::segment_key("out/clip.m3u8", json::parse(body_of(made))["VideoPlaylist"][0]["Token"].get<std::string>(), 0);
  ASSERT_EQ(presigned_get(key, auth::Scheme::V1Query, kLiveTs).status, 200);
  Status status = jobs_.run("media/" + key);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("max_segment_bytes"), std::string::npos);
  EXPECT_FALSE(store_.object_exists("media", key)) << "nothing partial is stored";
}

TEST_F(LiveTest, HlsSignRefusesWhatIsNotAPlaylistAndStreamsWhatIs) {
  put("media", "notes.txt", "hello\nworld\n");
  Response refused = presigned_get("notes.txt", auth::Scheme::V1Query, "hls/sign");
  EXPECT_EQ(refused.status, 400);
  std::string many = "#EXTM3U\n";
  for (int i = 0; i < 200'001; ++i) many += "a\n";
  put("media", "many.m3u8", many);
  EXPECT_EQ(presigned_get("many.m3u8", auth::Scheme::V1Query, "hls/sign").status, 400);
  // A large valid playlist comes out a chunk at a time.
  std::string large = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n";
  for (int i = 0; i < 5000; ++i) large += "#EXTINF:10.000,\nseg-" + std::to_string(i) + ".ts\n";
  large += "#EXT-X-ENDLIST\n";
  put("media", "large.m3u8", large);
  Response streamed = presigned_get("large.m3u8", auth::Scheme::V4Query, "hls/sign");
  ASSERT_EQ(streamed.status, 200);
  ASSERT_TRUE(std::holds_alternative<std::shared_ptr<ByteStream>>(streamed.body));
  const auto entries = hls::parse_playlist_segments(body_of(streamed));
  ASSERT_EQ(entries.size(), 5000u);
  EXPECT_EQ(entries[4999].uri.rfind("seg-4999.ts?x-oss-", 0), 0u) << entries[4999].uri;
}

}  // namespace
}  // namespace osslive::live::testing
