// GenerateVideoPlaylist planning: renditions on one segment shape, video-only variants next to
// alternate audio, stream selection, playlist keys, bounded bandwidths and the master over them.
#include "osslive/hls/renditions.hpp"

#include <gtest/gtest.h>

#include "osslive/hls/bandwidth.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/playlist.hpp"
#include "test_sources.hpp"

namespace osslive::hls {
namespace {

SourceDescription movie() {
  SourceDescription d;
  d.ref = {"media", "in/movie.mkv", "ETAG", 1000};
  d.info = fixtures::source();  // 60 s 1080p25, audio stream 1
  media::AudioTrackInfo eng;
  eng.stream = *d.info.audio;
  eng.language = "eng";
  eng.is_default = eng.usable = true;
  media::AudioTrackInfo fra = eng;
  fra.stream.index = 2;
  fra.language = "fre";
  fra.is_default = false;
  d.tracks.audio = {eng, fra};
  d.tracks.subtitles = {{3, "subrip", "eng", "", false, true}, {4, "hdmv_pgs_subtitle", "fra", "", false, false}};
  return d;
}

VideoPlaylistRequest parse(const std::string& targets) {
  auto r = parse_video_playlist_request(R"({"SourceURI":"oss://media/in/movie.mkv","MasterURI":"oss://media/out/m.m3u8",)"
                                        R"("Targets":)" + targets + "}");
  EXPECT_TRUE(r.ok()) << r.error().to_string();
  return r.ok() ? *r : VideoPlaylistRequest{};
}

std::string field_of(const Error& e) {
  for (const auto& [name, value] : e.fields())
    if (name == "ArgumentName") return value;
  return "";
}

constexpr const char* kLadder = R"([
  {"Video":{"Resolution":"1280x720","Bitrate":2000000},"Duration":6,"InitialSegments":[2,2]},
  {"Video":{"Resolution":"640x360","CRF":26}},
  {"Audio":{"Stream":"eng","Bitrate":128000}},
  {"Audio":{"Language":"fra","Bitrate":96000}},
  {"Subtitle":{"Stream":0}}])";

TEST(Renditions, OneSegmentShapeForEveryRendition) {
  auto plan = plan_renditions(parse(kLadder), movie(), {});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  ASSERT_EQ(plan->video.size(), 2u);
  ASSERT_EQ(plan->audio.size(), 2u);
  ASSERT_EQ(plan->subtitles.size(), 1u);
  EXPECT_EQ(plan->video[0].key, "out/m-v0.m3u8");
  EXPECT_EQ(plan->video[1].key, "out/m-v1.m3u8");
  EXPECT_EQ(plan->audio[1].key, "out/m-a1.m3u8");
  EXPECT_EQ(plan->subtitles[0].key, "out/m-s0.m3u8");
  // The same boundaries: identical video plans, audio and subtitles on them.
  const SegmentPlan& v0 = plan->video[0].plan;
  EXPECT_EQ(v0.segments.size(), 12u);  // 2, 2, nine of 6 s, then the last 2 s of 60
  EXPECT_EQ(v0.segments[2].start, (media::Rational{4, 1}));
  for (const auto& v : plan->video) {
    ASSERT_EQ(v.plan.segments.size(), v0.segments.size());
    for (std::size_t i = 0; i < v0.segments.size(); ++i) {
      EXPECT_EQ(v.plan.segments[i].first_video_frame, v0.segments[i].first_video_frame);
      EXPECT_EQ(v.plan.segments[i].duration, v0.segments[i].duration);
    }
    // Alternate audio renditions exist: the variants are video only.
    EXPECT_FALSE(v.manifest.params.audio);
  }
  for (const auto& a : plan->audio) {
    ASSERT_EQ(a.plan.segments.size(), v0.segments.size());
    for (std::size_t i = 0; i < v0.segments.size(); ++i) {
      // 25 fps and whole-second boundaries: the AAC frames start where muxed audio would.
      EXPECT_EQ(a.plan.segments[i].first_audio_frame, (v0.segments[i].first_video_frame * 48000 + 25 * 1024 - 1) / (25 * 1024));
    }
  }
  EXPECT_EQ(plan->subtitles[0].plan.segments.size(), v0.segments.size());
  EXPECT_EQ(plan->subtitles[0].manifest.timing.token, plan->video[0].manifest.token);
  EXPECT_EQ(plan->subtitles[0].manifest.stream_index, 3);
  EXPECT_FALSE(plan->subtitles[0].manifest.external);
}

// A tail shorter than a picture but longer than an AAC frame, at an NTSC rate, with audio that
// starts later than the video: alternate audio still has the video renditions' segments, cut
// where muxed audio would be, on the video's timeline.
TEST(Renditions, AlternateAudioCutsWhereTheVideoCuts) {
  SourceDescription d = movie();
  d.info = fixtures::source(1920, 1080, {30000, 1001});
  d.info.duration_us = 60'030'000;
  d.info.audio->start_us = d.info.start_us + 250'000;
  for (auto& track : d.tracks.audio) track.stream.start_us = d.info.audio->start_us;
  auto plan = plan_renditions(parse(R"([{"Video":{"Resolution":"640x360"},"Duration":4},{"Audio":{"Stream":0}}])"), d, {});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  const SegmentPlan& v = plan->video[0].plan;
  const SegmentPlan& a = plan->audio[0].plan;
  ASSERT_EQ(a.segments.size(), v.segments.size());
  for (std::size_t i = 0; i < v.segments.size(); ++i) {
    const std::int64_t k = v.segments[i].first_video_frame;
    EXPECT_EQ(a.segments[i].first_audio_frame, (k * 1001 * 48000 + 30000 * 1024 - 1) / (30000 * 1024)) << i;
  }
  const ResolvedParams& vp = plan->video[0].manifest.params;
  const ResolvedParams& ap = plan->audio[0].manifest.params;
  EXPECT_EQ(ap.origin_us, vp.origin_us);
  EXPECT_EQ(ap.duration_us, vp.duration_us);
  ASSERT_TRUE(ap.cut_frame_rate);
  EXPECT_EQ(*ap.cut_frame_rate, vp.video->frame_rate);
  // The cut grid travels in the manifest, so hls/ts rebuilds the same plan.
  auto back = manifest_from_json(manifest_to_json(plan->audio[0].manifest));
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->params, ap);
}

TEST(Renditions, EncoderCapsAndTracks) {
  auto plan = plan_renditions(parse(kLadder), movie(), {});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  const VideoParams& high = *plan->video[0].manifest.params.video;
  EXPECT_EQ(high.bitrate, 2'000'000);
  EXPECT_EQ(high.maxrate, 2'000'000);  // the bit rate is the VBV cap
  EXPECT_EQ(high.bufsize, 2'000'000);
  const VideoParams& low = *plan->video[1].manifest.params.video;
  EXPECT_EQ(low.crf, 26);
  EXPECT_EQ(low.maxrate, default_max_bitrate(640, 360, {25, 1}));
  EXPECT_EQ(low.maxrate, 1'200'000);
  EXPECT_EQ(plan->audio[0].manifest.params.audio->stream_index, 1);
  EXPECT_EQ(plan->audio[1].manifest.params.audio->stream_index, 2);
  EXPECT_EQ(plan->audio[1].manifest.params.audio->bitrate, 96'000);
  EXPECT_EQ(plan->audio[0].language, "en");
  EXPECT_EQ(plan->audio[1].language, "fr");
  EXPECT_EQ(plan->audio[1].name, "French");
  EXPECT_TRUE(plan->audio[0].is_default);
  EXPECT_FALSE(plan->audio[1].is_default);
  // initd: the first video and the first audio rendition start at once, the others on demand.
  EXPECT_EQ(plan->video[0].manifest.params.initd_ms, 30'000);
  EXPECT_EQ(plan->video[1].manifest.params.initd_ms, 0);
  EXPECT_EQ(plan->audio[0].manifest.params.initd_ms, 30'000);
  // Distinct, deterministic tokens.
  EXPECT_NE(plan->video[0].manifest.token, plan->video[1].manifest.token);
  EXPECT_EQ(plan_renditions(parse(kLadder), movie(), {})->token, plan->token);
}

TEST(Renditions, MuxedAudioWithoutAudioTargets) {
  auto plan = plan_renditions(parse(R"([{"Video":{"Resolution":"640x360"}}])"), movie(), {});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  const auto& audio = plan->video[0].manifest.params.audio;
  ASSERT_TRUE(audio);
  EXPECT_EQ(audio->stream_index, 1);
  EXPECT_EQ(audio->bitrate, 128'000);
  const MasterPlaylist master = compose_master(*plan, {"avc1.64001e"});
  ASSERT_EQ(master.variants.size(), 1u);
  EXPECT_EQ(master.variants[0].codecs, "avc1.64001e,mp4a.40.2");
  EXPECT_TRUE(master.variants[0].audio_group.empty());
}

TEST(Renditions, MasterBandwidthCoversVideoAndTheLargestAudio) {
  auto plan = plan_renditions(parse(kLadder), movie(), {});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  const MasterPlaylist master = compose_master(*plan, {"avc1.64001f", "avc1.64001e"});
  ASSERT_EQ(master.variants.size(), 2u);
  ASSERT_EQ(master.media.size(), 3u);
  const auto& v = master.variants[0];
  const RateBound video = ts_rate_bound(&*plan->video[0].manifest.params.video, nullptr, plan->video[0].plan);
  const RateBound audio = ts_rate_bound(nullptr, &*plan->audio[0].manifest.params.audio, plan->audio[0].plan);
  EXPECT_EQ(v.bandwidth, video.peak + audio.peak);
  EXPECT_LE(v.average_bandwidth, v.bandwidth);
  EXPECT_EQ(v.codecs, "avc1.64001f,mp4a.40.2");
  EXPECT_EQ(v.audio_group, "audio");
  EXPECT_EQ(v.subtitle_group, "subs");
  EXPECT_EQ(v.uri, "m-v0.m3u8");
  EXPECT_EQ(master.media[1].uri, "m-a1.m3u8");
  EXPECT_EQ(master.media[2].type, MasterMedia::Type::Subtitles);
  // 2 Mbit/s with a 2 Mbit buffer over windows of 2+2 s: 2 M + 2 x 0.9 x 2 M / 4 s = 2.9 M of
  // video, plus TS packets; the 128 kbit/s audio at most 1.5 times its rate.
  EXPECT_GT(video.peak, 2'900'000);
  EXPECT_LT(video.peak, 3'150'000);
  EXPECT_GT(audio.peak, 192'000);
  EXPECT_LT(audio.peak, 300'000);
  EXPECT_GT(video.average, 2'000'000);
  EXPECT_LT(video.average, 2'150'000);
}

TEST(Renditions, RefusalsNameTheField) {
  struct Case {
    std::string targets;
    std::string field;
  };
  const std::vector<Case> cases{
      {R"([{"Video":{"FrameRate":25}},{"Video":{"FrameRate":20}}])", "Targets[1].Video.FrameRate"},
      {R"([{"Video":{}},{"Audio":{"Stream":5}}])", "Targets[1].Audio.Stream"},
      {R"([{"Video":{}},{"Audio":{"Stream":"jpn"}}])", "Targets[1].Audio.Stream"},
      {R"([{"Video":{}},{"Subtitle":{"Stream":1}}])", "Targets[1].Subtitle.Stream"},
      {R"([{"Video":{},"URI":"oss://other/out/x.m3u8"}])", "Targets[0].URI"},
      {R"([{"Video":{},"URI":"oss://media/elsewhere/x.m3u8"}])", "Targets[0].URI"},
      {R"([{"Video":{},"URI":"oss://media/out/m.m3u8"}])", "Targets[0].URI"},
      {R"([{"Video":{},"URI":"oss://media/out/x.m3u8"},{"Audio":{},"URI":"oss://media/out/x.m3u8"}])", "Targets[1].URI"},
  };
  for (const Case& c : cases) {
    auto plan = plan_renditions(parse(c.targets), movie(), {});
    ASSERT_FALSE(plan.ok()) << c.targets;
    EXPECT_EQ(field_of(plan.error()), c.field) << c.targets << " -> " << plan.error().message();
  }
  // A size the source cannot give keeps the source size (hls/m3u8 sopt 1), no error.
  EXPECT_TRUE(plan_renditions(parse(R"([{"Video":{"Resolution":"3840x2160"}}])"), movie(), {}).ok());
}

TEST(Renditions, ExternalSubtitlesAndRelativeUris) {
  ExternalSubtitles srt;
  srt.ref = {"media", "in/movie.de.srt", "SRTETAG", 100};
  srt.tracks.subtitles = {{0, "subrip", "", "", false, true}};
  auto plan = plan_renditions(parse(R"([{"Video":{}},{"Subtitle":{"SourceURI":"oss://media/in/movie.de.srt","Language":"ger"}}])"),
                              movie(), {{1, srt}});
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  const auto& s = plan->subtitles[0];
  EXPECT_TRUE(s.manifest.external);
  EXPECT_EQ(s.manifest.source.key, "in/movie.de.srt");
  EXPECT_EQ(s.language, "de");
  EXPECT_EQ(s.name, "German");
  // External files count time from the video stream's start (0 in the fixture), embedded streams
  // carry source timestamps: output time 0 is source time 1.4 s (the container start).
  EXPECT_EQ(s.manifest.zero_us, 0);
  EXPECT_EQ(subtitle_base_us(s.manifest), 1'400'000);
  EXPECT_EQ(relative_uri("out/m.m3u8", "out/sub dir/a.m3u8"), "sub%20dir/a.m3u8");
  EXPECT_EQ(relative_uri("m.m3u8", "a.m3u8"), "a.m3u8");
}

TEST(SubtitleManifest, RoundTripsThroughThePlaylist) {
  auto plan = plan_renditions(parse(kLadder), movie(), {});
  ASSERT_TRUE(plan.ok());
  const PlannedSubtitles& s = plan->subtitles[0];
  const std::string text = render_subtitle_playlist(s.manifest, s.plan, s.key);
  EXPECT_NE(text.find("\n#EXTINF:2.000,\nm-s0-" + s.manifest.token + "-0.vtt\n"), std::string::npos);
  auto back = parse_subtitle_manifest(text);
  ASSERT_TRUE(back.ok()) << back.error().to_string();
  EXPECT_EQ(back->token, s.manifest.token);
  EXPECT_EQ(back->stream_index, 3);
  EXPECT_EQ(back->timing.params, s.manifest.timing.params);
  EXPECT_EQ(subtitle_base_us(*back), 1'400'000);  // the fixture's container start
  // A media playlist is not a subtitle playlist, and the other way round.
  const std::string media = render_playlist(plan->video[0].manifest, plan->video[0].plan, plan->video[0].key);
  EXPECT_FALSE(parse_subtitle_manifest(media).ok());
  EXPECT_FALSE(parse_playlist_manifest(text).ok());
}

}  // namespace
}  // namespace osslive::hls
