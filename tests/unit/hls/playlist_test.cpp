// Playlist text, segment names, the POST response and the token.
#include "osslive/hls/playlist.hpp"

#include <gtest/gtest.h>

#include "osslive/hls/response.hpp"
#include "osslive/hls/token.hpp"

namespace osslive::hls {
namespace {

constexpr const char* kToken = "0123456789abcdef0123456789abcdef";

Manifest small_manifest(bool with_video) {
  Manifest m;
  m.source = {"src", "movies/in.mp4", "\"D41D8CD98F00B204E9800998ECF8427E\"", 1234};
  m.token = kToken;
  ResolvedParams& p = m.params;
  p.duration_us = 25'000'000;
  p.end_us = 25'000'000;
  if (with_video) {
    VideoParams v;
    v.stream_index = 0;
    v.frame_rate = {30000, 1001};
    v.display_width = v.scaled_width = v.width = 1280;
    v.display_height = v.scaled_height = v.height = 720;
    p.video = v;
  }
  AudioParams a;
  a.stream_index = 1;
  a.sample_rate = 44100;
  a.channels = 2;
  p.audio = a;
  return m;
}

TEST(Playlist, ExactText) {
  Manifest m = small_manifest(true);
  auto plan = make_plan(m.params);
  ASSERT_TRUE(plan.ok());
  // 25 s at 29.97: frames 0..749 (ceil(749.25) = 750), cut at 300 and 600.
  const std::string expected = "#EXTM3U\n" + manifest_line(m) +
                               "\n"
                               "#EXT-X-VERSION:3\n"
                               "#EXT-X-TARGETDURATION:10\n"
                               "#EXT-X-MEDIA-SEQUENCE:0\n"
                               "#EXT-X-PLAYLIST-TYPE:VOD\n"
                               "#EXTINF:10.010,\n"
                               "out-0123456789abcdef0123456789abcdef-0.ts\n"
                               "#EXTINF:10.010,\n"
                               "out-0123456789abcdef0123456789abcdef-1.ts\n"
                               "#EXTINF:5.005,\n"
                               "out-0123456789abcdef0123456789abcdef-2.ts\n"
                               "#EXT-X-ENDLIST\n";
  EXPECT_EQ(render_playlist(m, *plan, "hls/out.m3u8"), expected);
}

TEST(Playlist, StripParseAndRewrite) {
  Manifest m = small_manifest(false);
  auto plan = make_plan(m.params);
  ASSERT_TRUE(plan.ok());
  std::string text = render_playlist(m, *plan, "a/b/P.m3u8");
  std::string stripped = strip_manifest(text);
  EXPECT_EQ(stripped.find("#OSSLIVE-MANIFEST"), std::string::npos);
  EXPECT_EQ(stripped.substr(0, 26), "#EXTM3U\n#EXT-X-VERSION:3\n#");
  EXPECT_EQ(text.size() - stripped.size(), manifest_line(m).size() + 1);
  EXPECT_FALSE(parse_playlist_manifest(stripped).ok());

  auto entries = parse_playlist_segments(text);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].extinf, "10.008");  // 431 AAC frames at 44.1 kHz
  EXPECT_EQ(entries[0].uri, std::string("P-") + kToken + "-0.ts");
  EXPECT_EQ(entries[2].uri, std::string("P-") + kToken + "-2.ts");

  std::string signed_text = rewrite_segment_uris(stripped, [](std::string_view uri) {
    return std::string(uri) + "?x-oss-process=hls%2Fts";
  });
  EXPECT_NE(signed_text.find(std::string("P-") + kToken + "-1.ts?x-oss-process=hls%2Fts\n#EXTINF"), std::string::npos);
  EXPECT_EQ(parse_playlist_segments(signed_text).size(), 3u);

  // CRLF playlists (edited by hand) keep their line endings.
  EXPECT_EQ(rewrite_segment_uris("#EXTM3U\r\n#EXTINF:1.000,\r\nx.ts\r\n", [](std::string_view u) {
              return "y/" + std::string(u);
            }),
            "#EXTM3U\r\n#EXTINF:1.000,\r\ny/x.ts\r\n");
  auto crlf = parse_playlist_segments("#EXTM3U\r\n#EXTINF:1.500,title\r\nx.ts\r\n");
  ASSERT_EQ(crlf.size(), 1u);
  EXPECT_EQ(crlf[0].extinf, "1.500");
  EXPECT_EQ(crlf[0].uri, "x.ts");
}

TEST(SegmentName, KeysAndNames) {
  EXPECT_EQ(segment_name("P.m3u8", kToken, 0), std::string("P-") + kToken + "-0.ts");
  EXPECT_EQ(segment_key("P.m3u8", kToken, 7), std::string("P-") + kToken + "-7.ts");
  EXPECT_EQ(segment_key("dir/sub/my-video.m3u8", kToken, 12), std::string("dir/sub/my-video-") + kToken + "-12.ts");
  EXPECT_EQ(segment_key("dir/noext", kToken, 1), std::string("dir/noext-") + kToken + "-1.ts");
}

TEST(SegmentName, Parse) {
  auto name = parse_segment_name(std::string("dir/sub/my-video-") + kToken + "-12.ts");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->playlist_key, "dir/sub/my-video.m3u8");
  EXPECT_EQ(name->token, kToken);
  EXPECT_EQ(name->index, 12);

  auto root = parse_segment_name(std::string("P-") + kToken + "-0.ts");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->playlist_key, "P.m3u8");
  EXPECT_EQ(root->index, 0);

  // Round trip through segment_key.
  auto back = parse_segment_name(segment_key("a/b c/é.m3u8", kToken, 999));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->playlist_key, "a/b c/é.m3u8");
  EXPECT_EQ(back->index, 999);

  const std::string t = kToken;
  for (const std::string& bad : {
           "P-" + t + "-1.TS", "P-" + t + "-1", "P-" + t + "-01.ts", "P-" + t + "-.ts", "P-" + t + "--1.ts",
           "-" + t + "-1.ts", "dir/-" + t + "-1.ts", "P_" + t + "-1.ts", "P-" + t.substr(1) + "-1.ts",
           std::string("P-0123456789ABCDEF0123456789abcdef-1.ts"), "P-" + t + "-1x.ts", "P-" + t + "-1234567890123456789.ts",
           std::string(".ts"), std::string(""), t + "-1.ts", "P-" + t + "-1.ts/"}) {
    EXPECT_FALSE(parse_segment_name(bad)) << bad;
  }
}

TEST(Token, DeterministicAndSensitive) {
  const std::string token = make_token("bucket", "movies/a.mp4", "\"ETAG\"", "hls/m3u8,st_10000");
  EXPECT_TRUE(is_token(token));
  EXPECT_EQ(token, make_token("bucket", "movies/a.mp4", "\"ETAG\"", "hls/m3u8,st_10000"));
  // Pinned (computed independently with Python's hashlib over the documented layout): a change of the
  // digest input would silently orphan every stored segment.
  EXPECT_EQ(token, "ec495f1033ba3abde5a0bf13d4ad89b5");
  EXPECT_NE(token, make_token("bucket2", "movies/a.mp4", "\"ETAG\"", "hls/m3u8,st_10000"));
  EXPECT_NE(token, make_token("bucket", "movies/b.mp4", "\"ETAG\"", "hls/m3u8,st_10000"));
  EXPECT_NE(token, make_token("bucket", "movies/a.mp4", "\"ETAG2\"", "hls/m3u8,st_10000"));
  EXPECT_NE(token, make_token("bucket", "movies/a.mp4", "\"ETAG\"", "hls/m3u8,st_5000"));
  // Field boundaries cannot be shifted.
  EXPECT_NE(make_token("ab", "c", "e", "p"), make_token("a", "bc", "e", "p"));
  EXPECT_NE(make_token("a", "b\n1:c", "e", "p"), make_token("a", "b", "c", "e"));
  EXPECT_FALSE(is_token("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(is_token("0123"));
}

TEST(Response, VideoPlaylist) {
  Manifest m = small_manifest(true);
  auto plan = make_plan(m.params);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(m3u8_response_json(m, *plan, "5C1B138A109F4E3A3F0A0B11", "out", "hls/out.m3u8"),
            std::string(R"({"Duration":25.025,"RequestId":"5C1B138A109F4E3A3F0A0B11","VideoPlaylist":[{"FrameRate":"29.97",)") +
                R"("Resolution":"1280x720","Token":"0123456789abcdef0123456789abcdef","URI":"oss://out/hls/out.m3u8"}]})");
}

TEST(Response, AudioPlaylist) {
  Manifest m = small_manifest(false);
  auto plan = make_plan(m.params);
  ASSERT_TRUE(plan.ok());
  // 1077 AAC frames * 1024 / 44100 = 25.00789 s
  EXPECT_EQ(m3u8_response_json(m, *plan, "RID", "b", "a.m3u8"),
            R"({"Duration":25.008,"RequestId":"RID","AudioPlaylist":[{"Token":"0123456789abcdef0123456789abcdef",)"
            R"("URI":"oss://b/a.m3u8","SampleRate":44100,"Channels":2}]})");
}

}  // namespace
}  // namespace osslive::hls
