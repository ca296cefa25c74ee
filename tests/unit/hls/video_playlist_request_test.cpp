// GenerateVideoPlaylist request bodies: what is accepted, and each refusal naming its field.
#include "osslive/hls/video_playlist_request.hpp"

#include <gtest/gtest.h>

namespace osslive::hls {
namespace {

std::string field_of(const Error& e) {
  for (const auto& [name, value] : e.fields())
    if (name == "ArgumentName") return value;
  return "";
}

// The request body with `targets` as its Targets array.
std::string body(const std::string& targets, const std::string& extra = "") {
  return R"({"SourceURI":"oss://media/in/movie.mkv","MasterURI":"oss://media/out/movie/master.m3u8",)" + extra +
         R"("Targets":)" + targets + "}";
}

TEST(VideoPlaylistRequest, ParsesEveryKindOfTarget) {
  auto r = parse_video_playlist_request(body(R"([
    {"Video":{"Codec":"h264","Resolution":"1280x720","Bitrate":2500000,"MaxBitrate":3000000,"FrameRate":25},
     "Duration":6,"InitialSegments":[2,2],"TranscodeAhead":12,"InitialTranscode":12.5},
    {"Video":{"TranscodeVideo":{"Width":640,"Height":360,"CRF":26,"ScaleType":"fit"}},"URI":"oss://media/out/movie/low.m3u8"},
    {"Audio":{"Stream":"fra","Bitrate":96000,"Channel":2,"SampleRate":48000,"Name":"Fran\u00e7ais"}},
    {"Audio":{"TranscodeAudio":{"Bitrate":128000},"Stream":[1]}},
    {"Subtitle":{"Format":"webvtt","Language":"eng"}},
    {"Subtitle":{"SourceURI":"oss://media/in/movie.srt","Language":"de"}}])",
                                              R"("ProjectName":"p","UserData":"{}","SourceStartTime":1.5,)"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->source, (OssUri{"media", "in/movie.mkv"}));
  EXPECT_EQ(r->master, (OssUri{"media", "out/movie/master.m3u8"}));
  EXPECT_EQ(r->source_start_ms, 1500);
  EXPECT_EQ(r->segment_ms, 6000);
  EXPECT_EQ(r->initial_segments_ms, (std::vector<std::int64_t>{2000, 2000}));
  ASSERT_EQ(r->targets.size(), 6u);
  const auto& v0 = std::get<VideoTarget>(r->targets[0].media);
  EXPECT_EQ(v0.width, 1280);
  EXPECT_EQ(v0.height, 720);
  EXPECT_EQ(v0.bitrate, 2'500'000);
  EXPECT_EQ(v0.max_bitrate, 3'000'000);
  EXPECT_EQ(v0.frame_rate, "25.000");
  EXPECT_EQ(r->targets[0].transcode_ahead, 12);
  EXPECT_EQ(r->targets[0].initial_transcode_ms, 12'500);
  const auto& v1 = std::get<VideoTarget>(r->targets[1].media);
  EXPECT_EQ(v1.crf, 26);
  EXPECT_EQ(v1.scale_type, "fit");
  EXPECT_EQ(r->targets[1].uri, (OssUri{"media", "out/movie/low.m3u8"}));
  const auto& a0 = std::get<AudioTarget>(r->targets[2].media);
  EXPECT_EQ(a0.stream.language, "fra");
  EXPECT_EQ(a0.channels, 2);
  EXPECT_EQ(a0.name, "Fran\xc3\xa7" "ais");
  EXPECT_EQ(std::get<AudioTarget>(r->targets[3].media).stream.index, 1);
  EXPECT_EQ(std::get<AudioTarget>(r->targets[3].media).bitrate, 128'000);
  EXPECT_EQ(std::get<SubtitleTarget>(r->targets[4].media).stream.language, "eng");
  const auto& s1 = std::get<SubtitleTarget>(r->targets[5].media);
  EXPECT_EQ(s1.source, (OssUri{"media", "in/movie.srt"}));
  EXPECT_EQ(s1.language, "de");
  EXPECT_FALSE(s1.stream.language);
}

TEST(VideoPlaylistRequest, DefaultsWhenTargetsSayLittle) {
  auto r = parse_video_playlist_request(body(R"([{"Video":{}}])"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->segment_ms, 10'000);
  EXPECT_TRUE(r->initial_segments_ms.empty());
  const auto& v = std::get<VideoTarget>(r->targets[0].media);
  EXPECT_EQ(v.codec, "h264");
  EXPECT_FALSE(v.width);
  EXPECT_FALSE(v.crf);
}

struct Refusal {
  std::string body;
  std::string field;
};

TEST(VideoPlaylistRequest, RefusalsNameTheField) {
  const std::vector<Refusal> cases{
      {R"({"MasterURI":"oss://b/m.m3u8","Targets":[{"Video":{}}]})", "SourceURI"},
      {R"({"SourceURI":"http://x/y","MasterURI":"oss://b/m.m3u8","Targets":[{"Video":{}}]})", "SourceURI"},
      {R"({"SourceURI":"oss://b/x","MasterURI":"oss://b","Targets":[{"Video":{}}]})", "MasterURI"},
      {body("[]"), "Targets"},
      {body(R"([{"Audio":{}}])"), "Targets"},
      {body(R"([{"Video":{}},{"Video":{}},{"Video":{}},{"Video":{}},{"Video":{}},{"Video":{}},{"Video":{}}])"), "Targets"},
      {body(R"([{"Video":{},"Audio":{}}])"), "Targets[0]"},
      {body(R"([{"Video":{"Bitrate":5}}])"), "Targets[0].Video.Bitrate"},
      {body(R"([{"Video":{"Bitrate":1000000,"CRF":23}}])"), "Targets[0].Video.CRF"},
      {body(R"([{"Video":{"Bitrate":1000000,"MaxBitrate":500000}}])"), "Targets[0].Video.MaxBitrate"},
      {body(R"([{"Video":{"Resolution":"1281x720"}}])"), "Targets[0].Video.Resolution"},
      {body(R"([{"Video":{"Width":640}}])"), "Targets[0].Video.Height"},
      {body(R"([{"Video":{"Codec":"vp9"}}])"), "Targets[0].Video.Codec"},
      {body(R"([{"Video":{"FrameRate":0}}])"), "Targets[0].Video.FrameRate"},
      {body(R"([{"Video":{"ScaleType":"fit"}}])"), "Targets[0].Video.ScaleType"},
      {body(R"([{"Video":{"Bitrat":1000000}}])"), "Targets[0].Video.Bitrat"},
      {body(R"([{"Video":{"TranscodeVideo":{},"CRF":20}}])"), "Targets[0].Video.CRF"},
      {body(R"([{"Video":{}},{"Audio":{"SampleRate":44000}}])"), "Targets[1].Audio.SampleRate"},
      {body(R"([{"Video":{}},{"Audio":{"Channel":9}}])"), "Targets[1].Audio.Channel"},
      {body(R"([{"Video":{}},{"Audio":{"Stream":[0,1]}}])"), "Targets[1].Audio.Stream"},
      {body(R"([{"Video":{}},{"Audio":{"Codec":"opus"}}])"), "Targets[1].Audio.Codec"},
      {body(R"([{"Video":{}},{"Subtitle":{"Format":"srt"}}])"), "Targets[1].Subtitle.Format"},
      {body(R"([{"Video":{}},{"Subtitle":{"Stream":0,"SourceURI":"oss://b/s.srt"}}])"), "Targets[1].Subtitle.SourceURI"},
      {body(R"([{"Video":{},"Duration":6},{"Audio":{},"Duration":4}])"), "Targets[1].Duration"},
      {body(R"([{"Video":{},"InitialSegments":[2,2]},{"Audio":{},"InitialSegments":[2]}])"), "Targets[1].InitialSegments"},
      {body(R"([{"Video":{},"Duration":1}])"), "Targets[0].Duration"},
      {body(R"([{"Video":{},"Duration":6.0005}])"), "Targets[0].Duration"},
      {body(R"([{"Video":{},"InitialSegments":[2,0.5]}])"), "Targets[0].InitialSegments[1]"},
      {body(R"([{"Video":{},"TranscodeAhead":5}])"), "Targets[0].TranscodeAhead"},
      {body(R"([{"Video":{},"URI":"b/x.m3u8"}])"), "Targets[0].URI"},
      {body(R"([{"Video":{}}])", R"("Bogus":1,)"), "Bogus"},
  };
  for (const Refusal& c : cases) {
    auto r = parse_video_playlist_request(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.error().code(), Errc::InvalidArgument) << c.body;
    EXPECT_EQ(field_of(r.error()), c.field) << c.body << " -> " << r.error().message();
  }
  // The message says the rule and the value.
  auto r = parse_video_playlist_request(body(R"([{"Video":{"Bitrate":5}}])"));
  EXPECT_EQ(r.error().message(), "Targets[0].Video.Bitrate must be an integer in [10000, 100000000], got 5");
}

TEST(VideoPlaylistRequest, RefusesWhatIsNotJson) {
  for (const std::string& bad : {std::string("not json"), std::string("[1]"), std::string(70'000, ' '),
                                 std::string(100, '[') + std::string(100, ']')}) {
    auto r = parse_video_playlist_request(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), Errc::InvalidArgument);
  }
}

}  // namespace
}  // namespace osslive::hls
