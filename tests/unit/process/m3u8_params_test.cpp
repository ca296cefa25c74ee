// hls/m3u8 parameters: every value rule, boundary and pairing rule of docs/api.md.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "osslive/process/canonical.hpp"
#include "osslive/process/parser.hpp"

namespace osslive::process {
namespace {

Result<HlsM3u8> parse_m3u8(const std::string& params) {
  OSSLIVE_ASSIGN(Chain chain, parse_chain(params.empty() ? "hls/m3u8" : "hls/m3u8," + params));
  return std::get<HlsM3u8>(chain.at(0).op);
}

TEST(M3u8Params, DefaultsWhenNothingIsGiven) {
  auto m = parse_m3u8("");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->ss_ms, 0);
  EXPECT_EQ(m->t_ms, 0);
  EXPECT_EQ(m->st_ms, 10'000);
  EXPECT_EQ(m->initd_ms, 30'000);
  EXPECT_FALSE(m->ta);
  EXPECT_EQ(m->vcodec, "h264");
  EXPECT_EQ(m->acodec, "aac");
  EXPECT_FALSE(m->an);
  EXPECT_EQ(m->arotate, 0);
  EXPECT_FALSE(m->fps || m->width || m->vb || m->crf_hundredths || m->ar || m->ab || m->aq);
  EXPECT_TRUE(m->initseg_ms.empty());
}

struct Accepted {
  std::string params;
  std::function<bool(const HlsM3u8&)> holds;
};

TEST(M3u8Params, AcceptsEveryParameterAndItsBoundaries) {
  const std::vector<Accepted> cases = {
      {"ss_0", [](const HlsM3u8& m) { return m.ss_ms == 0; }},
      {"ss_90500", [](const HlsM3u8& m) { return m.ss_ms == 90'500; }},
      {"t_1000000000000", [](const HlsM3u8& m) { return m.t_ms == 1'000'000'000'000; }},
      {"st_5000", [](const HlsM3u8& m) { return m.st_ms == 5000; }},
      {"st_15000", [](const HlsM3u8& m) { return m.st_ms == 15'000; }},
      {"initd_0", [](const HlsM3u8& m) { return m.initd_ms == 0; }},
      {"initd_-1", [](const HlsM3u8& m) { return m.initd_ms == -1; }},
      {"initd_600000", [](const HlsM3u8& m) { return m.initd_ms == 600'000; }},
      {"ta_10", [](const HlsM3u8& m) { return m.ta == 10; }},
      {"ta_30", [](const HlsM3u8& m) { return m.ta == 30; }},
      {"vcodec_h265", [](const HlsM3u8& m) { return m.vcodec == "h265"; }},
      {"fps_29.97", [](const HlsM3u8& m) { return m.fps == "29.97"; }},
      {"fps_0.001", [](const HlsM3u8& m) { return m.fps == "0.001"; }},
      {"fps_240", [](const HlsM3u8& m) { return m.fps == "240"; }},
      {"fps_240.000", [](const HlsM3u8& m) { return m.fps == "240.000"; }},
      {"fps_24,fpsopt_2", [](const HlsM3u8& m) { return m.fps == "24" && m.fpsopt == 2; }},
      {"fps_24,fpsopt_0", [](const HlsM3u8& m) { return m.fpsopt == 0; }},
      {"pixfmt_yuv420p", [](const HlsM3u8& m) { return m.pixfmt == "yuv420p"; }},
      {"pixfmt_yuv444p10le", [](const HlsM3u8& m) { return m.pixfmt == "yuv444p10le"; }},
      {"s_64x64", [](const HlsM3u8& m) { return m.width == 64 && m.height == 64; }},
      {"s_4096x4096", [](const HlsM3u8& m) { return m.width == 4096 && m.height == 4096; }},
      {"s_1280x720,sopt_2,scaletype_fit,arotate_1",
       [](const HlsM3u8& m) {
         return m.width == 1280 && m.height == 720 && m.sopt == 2 && m.scaletype == "fit" && m.arotate == 1;
       }},
      {"s_640x360,scaletype_crop", [](const HlsM3u8& m) { return m.scaletype == "crop"; }},
      {"s_640x360,scaletype_fill", [](const HlsM3u8& m) { return m.scaletype == "fill"; }},
      {"vb_1", [](const HlsM3u8& m) { return m.vb == 1; }},
      {"vb_100000000,vbopt_0", [](const HlsM3u8& m) { return m.vb == 100'000'000 && m.vbopt == 0; }},
      {"crf_0", [](const HlsM3u8& m) { return m.crf_hundredths == 0; }},
      {"crf_51", [](const HlsM3u8& m) { return m.crf_hundredths == 5100; }},
      {"crf_23.5", [](const HlsM3u8& m) { return m.crf_hundredths == 2350; }},
      {"crf_18.25", [](const HlsM3u8& m) { return m.crf_hundredths == 1825; }},
      {"crf_51.00", [](const HlsM3u8& m) { return m.crf_hundredths == 5100; }},
      {"maxrate_3000000,bufsize_6000000",
       [](const HlsM3u8& m) { return m.maxrate == 3'000'000 && m.bufsize == 6'000'000; }},
      {"crf_20,maxrate_1,bufsize_1", [](const HlsM3u8& m) { return m.crf_hundredths == 2000 && m.maxrate == 1; }},
      {"an_1", [](const HlsM3u8& m) { return m.an; }},
      {"an_0,acodec_aac", [](const HlsM3u8& m) { return !m.an && m.acodec == "aac"; }},
      {"ar_8000", [](const HlsM3u8& m) { return m.ar == 8000; }},
      {"ar_44100", [](const HlsM3u8& m) { return m.ar == 44'100; }},
      {"ar_96000", [](const HlsM3u8& m) { return m.ar == 96'000; }},
      {"ac_1", [](const HlsM3u8& m) { return m.ac == 1; }},
      {"ac_8", [](const HlsM3u8& m) { return m.ac == 8; }},
      {"aq_0", [](const HlsM3u8& m) { return m.aq == 0; }},
      {"aq_100", [](const HlsM3u8& m) { return m.aq == 100; }},
      {"ab_1000", [](const HlsM3u8& m) { return m.ab == 1000; }},
      {"ab_10000000,abopt_2", [](const HlsM3u8& m) { return m.ab == 10'000'000 && m.abopt == 2; }},
      {"initseg_1000", [](const HlsM3u8& m) { return m.initseg_ms == std::vector<std::int64_t>{1000}; }},
      {"initseg_2000-2000-4000",
       [](const HlsM3u8& m) {
         return m.initseg_ms == std::vector<std::int64_t>{2000, 2000, 4000};
       }},
      {"initseg_15000-1000-1000-1000-1000-1000-1000-1000",
       [](const HlsM3u8& m) { return m.initseg_ms.size() == 8 && m.initseg_ms[0] == 15'000; }},
  };
  for (const Accepted& c : cases) {
    auto m = parse_m3u8(c.params);
    ASSERT_TRUE(m.ok()) << c.params << ": " << m.error().to_string();
    EXPECT_TRUE(c.holds(*m)) << c.params;
  }
}

struct Rejected {
  std::string params;
  std::string message;  // the whole InvalidArgument message
};

TEST(M3u8Params, RejectsBadValuesNamingParameterRuleAndValue) {
  const std::vector<Rejected> cases = {
      {"st_300", "st must be in [5000, 15000], got 300"},
      {"st_4999", "st must be in [5000, 15000], got 4999"},
      {"st_15001", "st must be in [5000, 15000], got 15001"},
      {"st_10s", "st must be in [5000, 15000], got 10s"},
      {"st_+6000", "st must be in [5000, 15000], got +6000"},
      {"st_99999999999999999999", "st must be in [5000, 15000], got 99999999999999999999"},
      {"ss_-1", "ss must be in [0, 1000000000000], got -1"},
      {"t_1.5", "t must be in [0, 1000000000000], got 1.5"},
      {"initd_x", "initd must be an integer, got x"},
      {"ta_9", "ta must be in [10, 30], got 9"},
      {"ta_31", "ta must be in [10, 30], got 31"},
      {"vcodec_vp9", "vcodec must be one of h264, h265, got vp9"},
      {"vcodec_H264", "vcodec must be one of h264, h265, got H264"},
      {"fps_0", "fps must be a decimal in (0, 240] with at most 3 decimals, got 0"},
      {"fps_0.000", "fps must be a decimal in (0, 240] with at most 3 decimals, got 0.000"},
      {"fps_240.001", "fps must be a decimal in (0, 240] with at most 3 decimals, got 240.001"},
      {"fps_29.9701", "fps must be a decimal in (0, 240] with at most 3 decimals, got 29.9701"},
      {"fps_-25", "fps must be a decimal in (0, 240] with at most 3 decimals, got -25"},
      {"fps_25.", "fps must be a decimal in (0, 240] with at most 3 decimals, got 25."},
      {"fps_.5", "fps must be a decimal in (0, 240] with at most 3 decimals, got .5"},
      {"fps_30000/1001", "fps must be a decimal in (0, 240] with at most 3 decimals, got 30000/1001"},
      {"fps_25,fpsopt_3", "fpsopt must be in [0, 2], got 3"},
      {"pixfmt_nv12",
       "pixfmt must be one of yuv420p, yuv422p, yuv444p, yuv420p10le, yuv422p10le, yuv444p10le, got nv12"},
      {"s_62x64", "s must be WxH with W and H even and in [64, 4096], got 62x64"},
      {"s_65x64", "s must be WxH with W and H even and in [64, 4096], got 65x64"},
      {"s_4098x64", "s must be WxH with W and H even and in [64, 4096], got 4098x64"},
      {"s_64x4098", "s must be WxH with W and H even and in [64, 4096], got 64x4098"},
      {"s_1280X720", "s must be WxH with W and H even and in [64, 4096], got 1280X720"},
      {"s_1280x", "s must be WxH with W and H even and in [64, 4096], got 1280x"},
      {"s_1280x720x2", "s must be WxH with W and H even and in [64, 4096], got 1280x720x2"},
      {"s_1280x720,sopt_-1", "sopt must be in [0, 2], got -1"},
      {"s_1280x720,scaletype_zoom", "scaletype must be one of stretch, crop, fill, fit, got zoom"},
      {"s_1280x720,arotate_2", "arotate must be in [0, 1], got 2"},
      {"vb_0", "vb must be in [1, 100000000], got 0"},
      {"vb_100000001", "vb must be in [1, 100000000], got 100000001"},
      {"vb_2M", "vb must be in [1, 100000000], got 2M"},
      {"crf_-1", "crf must be a decimal in [0, 51] with at most 2 decimals, got -1"},
      {"crf_52", "crf must be a decimal in [0, 51] with at most 2 decimals, got 52"},
      {"crf_51.01", "crf must be a decimal in [0, 51] with at most 2 decimals, got 51.01"},
      {"crf_23.125", "crf must be a decimal in [0, 51] with at most 2 decimals, got 23.125"},
      {"crf_2e1", "crf must be a decimal in [0, 51] with at most 2 decimals, got 2e1"},
      {"maxrate_0,bufsize_1", "maxrate must be in [1, 100000000], got 0"},
      {"an_2", "an must be in [0, 1], got 2"},
      {"acodec_mp3", "acodec must be one of aac, got mp3"},
      {"ar_44101",
       "ar must be one of 8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, "
       "got 44101"},
      {"ac_0", "ac must be in [1, 8], got 0"},
      {"ac_9", "ac must be in [1, 8], got 9"},
      {"aq_101", "aq must be in [0, 100], got 101"},
      {"ab_999", "ab must be in [1000, 10000000], got 999"},
      {"ab_10000001", "ab must be in [1000, 10000000], got 10000001"},
      {"initseg_999", "initseg must be 1 to 8 durations in [1000, 15000] joined by '-', got 999"},
      {"initseg_2000-15001", "initseg must be 1 to 8 durations in [1000, 15000] joined by '-', got 2000-15001"},
      {"initseg_2000--2000", "initseg must be 1 to 8 durations in [1000, 15000] joined by '-', got 2000--2000"},
      {"initseg_2000-", "initseg must be 1 to 8 durations in [1000, 15000] joined by '-', got 2000-"},
      {"initseg_1000-1000-1000-1000-1000-1000-1000-1000-1000",
       "initseg must be 1 to 8 durations in [1000, 15000] joined by '-', got "
       "1000-1000-1000-1000-1000-1000-1000-1000-1000"},
      // Generic parameter rules.
      {"st_", "st must not be empty, got (empty)"},
      {"st", "st must not be empty, got (empty)"},
      {"st_5000,st_5000", "st must not be repeated, got 5000"},
      {"st_5000,ss_0,st_6000", "st must not be repeated, got 6000"},
      {"speed_2", "speed is not a parameter of hls/m3u8, got 2"},
      {"ST_5000", "ST is not a parameter of hls/m3u8, got 5000"},
      {"o_YWI", "o is not a parameter of hls/m3u8, got YWI"},
  };
  for (const Rejected& c : cases) {
    auto m = parse_m3u8(c.params);
    ASSERT_FALSE(m.ok()) << c.params;
    EXPECT_EQ(m.error().code(), Errc::InvalidArgument) << c.params;
    EXPECT_EQ(m.error().message(), c.message) << c.params;
  }
}

TEST(M3u8Params, ErrorCarriesArgumentNameAndValue) {
  auto m = parse_m3u8("ss_1000,st_300");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().http_status(), 400);
  ASSERT_EQ(m.error().fields().size(), 2u);
  EXPECT_EQ(m.error().fields()[0], (std::pair<std::string, std::string>{"ArgumentName", "st"}));
  EXPECT_EQ(m.error().fields()[1], (std::pair<std::string, std::string>{"ArgumentValue", "300"}));
}

// Only real contradictions are refused; a parameter that only refines another one is harmless
// without it, since clients send every parameter with its documented default.
TEST(M3u8Params, RefusesOnlyRealContradictions) {
  const std::vector<Rejected> cases = {
      {"vb_2000000,crf_23", "crf cannot be combined with vb, got 23"},
      {"crf_23,vb_2000000", "crf cannot be combined with vb, got 23"},
      {"vb_2000000,maxrate_3000000,bufsize_6000000", "maxrate cannot be combined with vb, got 3000000"},
      {"vb_2000000,bufsize_6000000", "bufsize cannot be combined with vb, got 6000000"},
      {"maxrate_3000000", "maxrate needs bufsize, got 3000000"},
      {"aq_50,ab_128000", "aq cannot be combined with ab, got 50"},
  };
  for (const Rejected& c : cases) {
    auto m = parse_m3u8(c.params);
    ASSERT_FALSE(m.ok()) << c.params;
    EXPECT_EQ(m.error().message(), c.message) << c.params;
  }
  for (const char* harmless : {"fpsopt_1", "sopt_1", "sopt_0", "scaletype_stretch", "arotate_0", "arotate_1", "vbopt_1",
                               "abopt_1", "crf_20,bufsize_6000000", "an_1,acodec_aac", "an_1,ar_44100,ac_2,aq_50",
                               "an_1,ab_128000,abopt_0", "an_0,acodec_aac,abopt_1",
                               "fps_25,fpsopt_1", "s_640x360,sopt_0,scaletype_fit,arotate_0", "vb_1000000,vbopt_2",
                               "ab_128000,abopt_1", "an_0,ar_48000,ac_2,aq_80", "an_1,vb_1000000,s_640x360"}) {
    auto m = parse_m3u8(harmless);
    EXPECT_TRUE(m.ok()) << harmless << ": " << m.error().to_string();
  }
}

// What a client that writes out every parameter with its documented default sends.
TEST(M3u8Params, EveryDocumentedDefaultSpelledOut) {
  auto m = parse_m3u8("ss_0,t_0,st_10000,initd_30000,vcodec_h264,fpsopt_1,sopt_1,scaletype_stretch,arotate_0,"
                      "vbopt_1,crf_23,an_0,acodec_aac,abopt_1");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto plain = parse_m3u8("st_10000");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(canonical_m3u8(*m), canonical_m3u8(*plain)) << "the same output, so the same token";
}

TEST(M3u8Params, FullRequestFromTheOssDocumentation) {
  auto m = parse_m3u8(
      "ss_0,t_60000,st_6000,initd_-1,ta_20,vcodec_h264,fps_25,fpsopt_1,s_1280x720,sopt_1,"
      "scaletype_fit,vb_2000000,vbopt_1,acodec_aac,ar_44100,ac_2,ab_128000,abopt_1,pixfmt_yuv420p");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->t_ms, 60'000);
  EXPECT_EQ(m->st_ms, 6000);
  EXPECT_EQ(m->initd_ms, -1);
  EXPECT_EQ(m->ta, 20);
  EXPECT_EQ(m->width, 1280);
  EXPECT_EQ(m->height, 720);
  EXPECT_EQ(m->vb, 2'000'000);
  EXPECT_EQ(m->ab, 128'000);
  EXPECT_EQ(m->ar, 44'100);
  EXPECT_EQ(m->ac, 2);
  EXPECT_EQ(m->pixfmt, "yuv420p");
}

}  // namespace
}  // namespace osslive::process
