// Master playlists (GenerateVideoPlaylist): exact text, CODECS from real parameter sets, URI
// rewriting for hls/sign, language tags, and .vtt segment names.
#include "osslive/hls/master.hpp"

#include <gtest/gtest.h>

#include "osslive/core/strings.hpp"
#include "osslive/hls/codecs.hpp"
#include "osslive/hls/playlist.hpp"

namespace osslive::hls {
namespace {

std::string bytes(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// Parameter sets written by x264 (veryfast, 1280x720 at 25 fps: High, level 3.1) and x265
// (ultrafast, 640x360: Main, level 2.1, with emulation prevention bytes in the profile).
constexpr std::string_view kX264Sps = "6764001facd9405005bb011000000300100000030320f1831960";
constexpr std::string_view kX265Sps = "42010101600000030090000003000003003fa005020171f2e595952930bc05a02000000300200000030321";

TEST(Codecs, Avc1FromAnX264Sps) {
  EXPECT_EQ(avc1_codecs(bytes(kX264Sps)), "avc1.64001f");
  // Constrained baseline (x264 ultrafast): profile 66 with constraint_set0 and 1.
  EXPECT_EQ(avc1_codecs(bytes("6742c01e")), "avc1.42c01e");
  EXPECT_FALSE(avc1_codecs(bytes("68ce3c80")));  // a PPS
  EXPECT_FALSE(avc1_codecs(bytes("6764")));      // cut short
}

TEST(Codecs, Hvc1FromAnX265Sps) {
  EXPECT_EQ(hvc1_codecs(bytes(kX265Sps)), "hvc1.1.6.L63.90");
  EXPECT_FALSE(hvc1_codecs(bytes(kX264Sps)));
}

TEST(Codecs, FindSpsInAnnexB) {
  const std::string stream = bytes("00000001" "09f0" "00000001") + bytes(kX264Sps) + bytes("00000001" "68ebe3cb22c0" "000001" "6588");
  EXPECT_EQ(find_sps(stream, false), bytes(kX264Sps));
  EXPECT_EQ(find_sps(bytes("000001") + bytes(kX265Sps) + bytes("000001" "4401c172b46240"), true), bytes(kX265Sps));
  EXPECT_TRUE(find_sps(bytes("0000016588"), false).empty());
}

MasterPlaylist sample() {
  MasterPlaylist m;
  m.media.push_back({MasterMedia::Type::Audio, "audio", "en", "English", true, true, 2, "m-a0.m3u8"});
  m.media.push_back({MasterMedia::Type::Audio, "audio", "fr", "Fran\xc3\xa7" "ais \"FR\"", false, true, 2, "m-a1.m3u8"});
  m.media.push_back({MasterMedia::Type::Subtitles, "subs", "en", "English", false, true, 0, "m-s0.m3u8"});
  m.variants.push_back({1'400'000, 1'100'000, 1280, 720, {25, 1}, "avc1.64001f,mp4a.40.2", "audio", "subs", "m-v0.m3u8"});
  m.variants.push_back({520'000, 0, 640, 360, {30000, 1001}, "avc1.64001e,mp4a.40.2", "audio", "", "low%20v.m3u8"});
  return m;
}

TEST(Master, RendersRfc8216Text) {
  EXPECT_EQ(render_master(sample()),
            "#EXTM3U\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-INDEPENDENT-SEGMENTS\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=YES,AUTOSELECT=YES,"
            "CHANNELS=\"2\",URI=\"m-a0.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",LANGUAGE=\"fr\",NAME=\"Fran\xc3\xa7" "ais FR\",DEFAULT=NO,AUTOSELECT=YES,"
            "CHANNELS=\"2\",URI=\"m-a1.m3u8\"\n"
            "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"subs\",LANGUAGE=\"en\",NAME=\"English\",DEFAULT=NO,AUTOSELECT=YES,"
            "FORCED=NO,URI=\"m-s0.m3u8\"\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=1400000,AVERAGE-BANDWIDTH=1100000,RESOLUTION=1280x720,FRAME-RATE=25.000,"
            "CODECS=\"avc1.64001f,mp4a.40.2\",AUDIO=\"audio\",SUBTITLES=\"subs\"\n"
            "m-v0.m3u8\n"
            "#EXT-X-STREAM-INF:BANDWIDTH=520000,RESOLUTION=640x360,FRAME-RATE=29.970,CODECS=\"avc1.64001e,mp4a.40.2\","
            "AUDIO=\"audio\"\n"
            "low%20v.m3u8\n");
  EXPECT_TRUE(is_master_playlist(render_master(sample())));
  EXPECT_FALSE(is_master_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.000,\na.ts\n#EXT-X-ENDLIST\n"));
}

TEST(Master, RewritesUriLinesAndMediaUriAttributes) {
  const std::string text = render_master(sample());
  std::vector<std::string> seen;
  const std::string out = rewrite_master_uris(text, [&](std::string_view uri) {
    seen.emplace_back(uri);
    return std::string(uri) + "?x-oss-process=hls%2Fsign&Signature=a%2Bb";
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"m-a0.m3u8", "m-a1.m3u8", "m-s0.m3u8", "m-v0.m3u8", "low%20v.m3u8"}));
  EXPECT_NE(out.find("URI=\"m-a0.m3u8?x-oss-process=hls%2Fsign&Signature=a%2Bb\"\n"), std::string::npos);
  EXPECT_NE(out.find("\nm-v0.m3u8?x-oss-process=hls%2Fsign&Signature=a%2Bb\n"), std::string::npos);
  // Attributes named like URI but not URI, and CRLF line ends, are left as they are.
  EXPECT_EQ(rewrite_master_uris("#EXT-X-MEDIA:TYPE=AUDIO,XURI=\"k\",URI=\"a.m3u8\"\r\nv.m3u8\r\n",
                                [](std::string_view u) { return "[" + std::string(u) + "]"; }),
            "#EXT-X-MEDIA:TYPE=AUDIO,XURI=\"k\",URI=\"[a.m3u8]\"\r\n[v.m3u8]\r\n");
}

TEST(Master, LanguageTagsAndNames) {
  EXPECT_EQ(language_tag("eng"), "en");
  EXPECT_EQ(language_tag("FRE"), "fr");
  EXPECT_EQ(language_tag("fra"), "fr");
  EXPECT_EQ(language_tag("de"), "de");
  EXPECT_EQ(language_tag("und"), "");
  EXPECT_EQ(language_tag("pt-BR"), "pt-br");
  EXPECT_EQ(language_tag("tlh"), "tlh");
  EXPECT_EQ(language_tag("x\"y"), "");
  EXPECT_EQ(language_name("fr"), "French");
  EXPECT_EQ(language_name("tlh"), "tlh");
  EXPECT_EQ(format_master_frame_rate({24000, 1001}), "23.976");
}

TEST(SubtitleSegments, NamesParseBack) {
  const std::string token = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(subtitle_segment_key("dir/m-s0.m3u8", token, 7), "dir/m-s0-" + token + "-7.vtt");
  auto name = parse_segment_name("dir/m-s0-" + token + "-7.vtt");
  ASSERT_TRUE(name);
  EXPECT_TRUE(name->subtitle);
  EXPECT_EQ(name->playlist_key, "dir/m-s0.m3u8");
  EXPECT_EQ(name->index, 7);
  auto ts = parse_segment_name("dir/m-v0-" + token + "-7.ts");
  ASSERT_TRUE(ts);
  EXPECT_FALSE(ts->subtitle);
  EXPECT_FALSE(parse_segment_name("dir/m-s0-" + token + "-7.VTT"));
  EXPECT_FALSE(parse_segment_name("dir/m-s0-" + token + "-7.srt"));
}

}  // namespace
}  // namespace osslive::hls
