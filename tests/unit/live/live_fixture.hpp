#pragma once
// The live layer without sockets or libav: a real store in a temp folder, a fixed clock, a fake
// media backend that makes recognisable bytes, and a job queue the test runs by hand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>

#include "../probed_source.hpp"
#include "../service_requests.hpp"
#include "osslive/auth/signer.hpp"
#include "osslive/auth/verifier.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/live/live_service.hpp"
#include "osslive/oss/service.hpp"
#include "osslive/store/fs_bucket_store.hpp"
#include "osslive/store/notes.hpp"

namespace osslive::live::testing {

inline constexpr std::int64_t kNow = 1764000000;
inline constexpr const char* kAk = "LTAIlive";
inline constexpr const char* kSk = "live-secret";

// 30 s of 25 fps 640x360 video and 48 kHz stereo audio, from 0.
inline media::SourceInfo clip_info() {
  return test_media::probed_source(
      {.width = 640, .height = 360, .start_us = 0, .duration_us = 30'000'000, .video_bit_rate = 0, .audio_bit_rate = 0});
}

// Segment n is "TS<n>" repeated; every call is recorded with the timing it was given.
class FakeMedia final : public MediaBackend {
 public:
  media::SourceInfo info = clip_info();
  std::vector<std::int64_t> made;  // indexes, in order
  std::vector<SegmentJobTiming> timings;
  std::optional<Error> fail;
  int repeat = 100;  // of "TS<n>" per segment

  Result<media::SourceInfo> probe(std::shared_ptr<const FileHandle>) override { return info; }
  Result<media::SourceTracks> probe_tracks(std::shared_ptr<const FileHandle>) override { return media::SourceTracks{}; }
  Result<std::string> video_codecs(const hls::VideoParams&) override { return std::string("avc1.64001e"); }
  Status make_segment(const hls::Manifest&, const hls::SegmentPlan&, std::int64_t index, std::shared_ptr<const FileHandle>,
                      const SegmentJobTiming& timing, const std::function<Status(std::string_view)>& sink) override {
    made.push_back(index);
    timings.push_back(timing);
    if (fail) return *fail;
    return sink(bytes_of(index, repeat));
  }
  Result<std::string> make_subtitle_segment(const hls::SubtitleManifest&, const hls::SegmentPlan&, std::int64_t index,
                                            std::shared_ptr<const FileHandle>, const SegmentJobTiming& timing) override {
    made.push_back(index);
    timings.push_back(timing);
    return "WEBVTT\n\n" + std::to_string(index) + "\n";
  }
  static std::string bytes_of(std::int64_t index, int repeat = 100) {
    std::string out;
    for (int i = 0; i < repeat; ++i) out += "TS" + std::to_string(index);
    return out;
  }
};

// Jobs wait until the test runs them; one job per key however many ask (as the scheduler does).
class ManualJobs final : public jobs::JobQueue {
 public:
  struct Queued {
    jobs::Priority priority;
    std::string group;
    jobs::PausableJobFunction job;
    std::shared_ptr<jobs::SegmentBuffer> buffer;
  };
  std::map<std::string, Queued> queued;
  std::vector<std::pair<std::string, jobs::Priority>> submitted;  // every new job, in order
  int joined = 0;
  bool refuse_players = false;

  Result<std::shared_ptr<jobs::SegmentBuffer>> submit(const std::string& key, jobs::Priority priority,
                                                      const std::string& group, jobs::PausableJobFunction job) override {
    if (auto found = queued.find(key); found != queued.end()) {
      ++joined;
      found->second.priority = std::min(found->second.priority, priority);
      return found->second.buffer;
    }
    if (refuse_players && priority == jobs::Priority::Player)
      return Error(Errc::SlowDown, "too many segments are waiting").with("RetryAfter", "7");
    auto buffer = std::make_shared<jobs::SegmentBuffer>();
    queued.emplace(key, Queued{priority, group, std::move(job), buffer});
    submitted.emplace_back(key, priority);
    return buffer;
  }
  std::size_t abandon(const std::string& group, const std::function<bool(const std::string&)>& keep) override {
    std::size_t dropped = 0;
    for (auto it = queued.begin(); it != queued.end();) {
      if (it->second.group == group && it->second.priority != jobs::Priority::Player && !keep(it->first)) {
        it->second.buffer->fail(Error(Errc::ServiceUnavailable, "prefetch abandoned"));
        it = queued.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
    return dropped;
  }
  bool pending(const std::string& key) const override { return queued.count(key) > 0; }
  std::vector<std::string> running_keys() const override { return running; }
  std::vector<std::string> running;

  // Runs the job for `key` to its end; its status.
  Status run(const std::string& key) {
    auto found = queued.find(key);
    if (found == queued.end()) return Error(Errc::InternalError, "no job " + key);
    Queued job = std::move(found->second);
    queued.erase(found);
    Status status = job.job(*job.buffer, [] {});
    if (status.ok()) job.buffer->finish();
    else job.buffer->fail(status.error());
    return status;
  }
  void run_all() {
    while (!queued.empty()) (void)run(queued.begin()->first);
  }
};

class LiveTest : public ::testing::Test {
 protected:
  LiveTest()
      : dir_(std::filesystem::temp_directory_path() / ("osslive-live-" + hex_lower(random_bytes(6)))),
        clock_(kNow),
        store_(dir_, clock_),
        credentials_({Credential{kAk, kSk}}),
        verifier_(credentials_, clock_, {900, "cn-hangzhou"}),
        notes_(dir_ / "notes", dir_ / ".osslive" / "tmp") {
    restart(config());
    EXPECT_TRUE(store_.create_bucket("media", "private").ok());
    EXPECT_TRUE(store_.create_bucket("open", "public-read").ok());
  }

  // A new LiveService over the same store and notes, as after a restart of the server.
  void restart(const TranscodeConfig& config) {
    service_.reset();
    jobs_.queued.clear();  // what the old process had queued died with it
    live_.reset();
    live_ = std::make_unique<LiveService>(LiveDeps{store_, credentials_, jobs_, media_, notes_, clock_, config});
    service_ = std::make_unique<oss::OssService>(oss::ServiceDeps{store_, verifier_, clock_, AuthConfig{}, live_.get(), nullptr});
  }
  ~LiveTest() override { std::filesystem::remove_all(dir_); }

  static TranscodeConfig config() {
    TranscodeConfig config;
    config.failed_segment_retry_s = 60;
    return config;
  }

  void put(const std::string& bucket, const std::string& key, std::string bytes) {
    store::PutBody body;
    body.size = bytes.size();
    body.md5 = md5(bytes);
    body.data = std::move(bytes);
    ASSERT_TRUE(store_.put_object(bucket, key, std::move(body), {}).ok());
  }

  static Request base(std::string method, std::string target) {
    return test_service::request(std::move(method), std::move(target));
  }

  // A V1 header-signed request, as an SDK sends it.
  Response signed_request(std::string method, std::string target, std::string body = {}) {
    Request r = base(std::move(method), std::move(target));
    r.headers.add("Date", http_date(kNow));
    r.headers.add("Content-Length", std::to_string(body.size()));
    r.body.size = body.size();
    r.body.md5 = md5(body);
    r.body.data = std::move(body);
    test_service::sign_v1(r, kAk, kSk);
    last_operation_.clear();
    Response response = service_->handle(r);
    last_operation_ = r.operation;
    return response;
  }

  // A GET whose query is complete already (presigned, or anonymous).
  Response get(const std::string& target) {
    Request r = base("GET", target);
    Response response = service_->handle(r);
    last_operation_ = r.operation;
    return response;
  }

  // POST hls/m3u8 of media/<source> saving to media/<playlist>.
  Response make_playlist(const std::string& source, const std::string& playlist, const std::string& params = "st_10000") {
    return signed_request("POST", "/media/" + source + "?x-oss-process",
                          "x-oss-process=hls/m3u8," + params + "|sys/saveas,o_" + base64_encode(playlist));
  }

  // The identity of a presigned URL of `scheme`, for presign_like.
  static auth::Identity presigned_as(auth::Scheme scheme) {
    auth::Identity identity;
    identity.scheme = scheme;
    identity.access_key_id = kAk;
    identity.expires = kNow + 600;
    identity.v4_date = iso8601_basic(kNow);
    identity.v4_expires = 600;
    identity.v4_region = "cn-hangzhou";
    return identity;
  }

  // GET media/<key> presigned with `scheme` and the process.
  Response presigned_get(const std::string& key, auth::Scheme scheme, const std::string& process) {
    auto query = auth::presign_like(presigned_as(scheme), kSk, "GET", "media", key, {{"x-oss-process", process, true}});
    EXPECT_TRUE(query.ok()) << query.error().to_string();
    return get("/media/" + uri_encode(key, true) + "?" + *query);
  }

  static std::string body_of(const Response& response) { return test_service::body_of(response); }
  static std::string header(const Response& response, std::string_view name) {
    return test_service::header(response, name);
  }
  static std::string xml_code(const Response& response) {
    const std::string body = body_of(response);
    const auto open = body.find("<Code>");
    const auto close = body.find("</Code>");
    return open == std::string::npos ? "" : body.substr(open + 6, close - open - 6);
  }

  std::filesystem::path dir_;
  FixedClock clock_;
  store::FsBucketStore store_;
  auth::StaticCredentials credentials_;
  auth::Verifier verifier_;
  FakeMedia media_;
  ManualJobs jobs_;
  store::FsNotes notes_;
  std::unique_ptr<LiveService> live_;
  std::unique_ptr<oss::OssService> service_;
  std::string last_operation_;
};

// A 30 s clip with its playlist out/clip.m3u8 (st_10000, no initd) and that playlist's segments.
class ClipPlaylistTest : public LiveTest {
 protected:
  void SetUp() override {
    put("media", "in/clip.mp4", "source bytes v1");
    Response made = make_playlist("in/clip.mp4", "out/clip.m3u8", "st_10000,initd_0");
    ASSERT_EQ(made.status, 200) << body_of(made);
    token_ = nlohmann::json::parse(body_of(made))["VideoPlaylist"][0]["Token"].get<std::string>();
  }

  std::string segment(int index) const { return hls::segment_key("out/clip.m3u8", token_, index); }
  std::string job(int index) const { return "media/" + segment(index); }

  std::string token_;
};

}  // namespace osslive::live::testing
