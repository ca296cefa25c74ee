// POST bodies, request shapes and the canonical parameter text.
#include <gtest/gtest.h>

#include <string>

#include "osslive/process/canonical.hpp"
#include "osslive/process/parser.hpp"

namespace osslive::process {
namespace {

TEST(ProcessFromBody, FormOrRawKeepingPlus) {
  struct Case {
    std::string body;
    std::string process;
  };
  const std::vector<Case> cases = {
      {"x-oss-process=hls/m3u8|sys/saveas,o_aGxzLz4+Py5tM3U4", "hls/m3u8|sys/saveas,o_aGxzLz4+Py5tM3U4"},
      // ali-oss sends querystring.stringify(): everything but unreserved characters escaped.
      {"x-oss-process=hls%2Fm3u8%2Cst_5000%7Csys%2Fsaveas%2Co_aGxzLz4%2BPy5tM3U4%3D",
       "hls/m3u8,st_5000|sys/saveas,o_aGxzLz4+Py5tM3U4="},
      {"a=1&x-oss-process=hls/sign&b=2", "hls/sign"},
      {"x-oss-process=hls/m3u8|sys/saveas,o_YWI=&other=x", "hls/m3u8|sys/saveas,o_YWI="},
      {"hls/m3u8|sys/saveas,o_YT4/Yg==", "hls/m3u8|sys/saveas,o_YT4/Yg=="},
      {"hls/m3u8|sys/saveas,o_aGxzLz4+Py5tM3U4\r\n", "hls/m3u8|sys/saveas,o_aGxzLz4+Py5tM3U4"},
      {"hls%2Fsign%2Clive_1", "hls/sign,live_1"},
      {"if_status_eq_404{hls/ts,from_YT4/Yg==}", "if_status_eq_404{hls/ts,from_YT4/Yg==}"},
  };
  for (const Case& c : cases) {
    auto process = process_from_body(c.body);
    ASSERT_TRUE(process.ok()) << c.body << ": " << process.error().to_string();
    EXPECT_EQ(*process, c.process) << c.body;
  }
}

TEST(ProcessFromBody, EmptyMissingOrBroken) {
  struct Case {
    std::string body;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "x-oss-process must not be empty, got (empty)"},
      {"  \r\n", "x-oss-process must not be empty, got (empty)"},
      {"x-oss-process=", "x-oss-process must not be empty, got (empty)"},
      {"foo=bar", "the request body must carry x-oss-process=<process>"},
      {"foo=bar&baz=1", "the request body must carry x-oss-process=<process>"},
      {"x-oss-process=hls/sign&x-oss-process=hls/ts", "x-oss-process must not be repeated, got x-oss-process=hls/ts"},
      {"x-oss-process=hls%2", "x-oss-process must be valid percent-encoding, got hls%2"},
  };
  for (const Case& c : cases) {
    auto process = process_from_body(c.body);
    ASSERT_FALSE(process.ok()) << c.body;
    EXPECT_EQ(process.error().code(), Errc::InvalidArgument) << c.body;
    EXPECT_EQ(process.error().message(), c.message) << c.body;
    ASSERT_FALSE(process.error().fields().empty()) << c.body;
    EXPECT_EQ(process.error().fields()[0].second, "x-oss-process") << c.body;
  }
}

Result<Operation> classify_text(const std::string& process) {
  OSSLIVE_ASSIGN(Chain chain, parse_chain(process));
  return classify(chain);
}

TEST(Classify, RecognisesEachShape) {
  auto save = classify_text("hls/m3u8,st_6000|sys/saveas,o_cC5tM3U4,b_bXktYnVja2V0");
  ASSERT_TRUE(save.ok()) << save.error().to_string();
  const auto& m3u8_save = std::get<M3u8AndSave>(*save);
  EXPECT_EQ(m3u8_save.m3u8.st_ms, 6000);
  EXPECT_EQ(m3u8_save.save.object, "p.m3u8");
  EXPECT_EQ(m3u8_save.save.bucket, "my-bucket");

  auto sign = classify_text("hls/sign,live_1");
  ASSERT_TRUE(sign.ok());
  EXPECT_TRUE(std::get<SignPlaylist>(*sign).sign.live);

  for (const char* ts : {"if_status_eq_404{hls/ts,from_cC5tM3U4}", "if_status_eq_404%7Bhls/ts,from_cC5tM3U4%7D",
                         "hls/ts,from_cC5tM3U4"}) {
    auto request = classify_text(ts);
    ASSERT_TRUE(request.ok()) << ts << ": " << request.error().to_string();
    EXPECT_EQ(std::get<TsOnMissing>(*request).ts.from, "p.m3u8") << ts;
  }
  auto derived = classify_text("if_status_eq_404{hls/ts}");
  ASSERT_TRUE(derived.ok());
  EXPECT_FALSE(std::get<TsOnMissing>(*derived).ts.from);
}

TEST(Classify, RefusesOtherCombinations) {
  auto lone = classify_text("hls/m3u8,st_6000");
  ASSERT_FALSE(lone.ok());
  EXPECT_EQ(lone.error().message(), "hls/m3u8 needs |sys/saveas,o_<base64 of the playlist key>");

  const std::string rule =
      "x-oss-process must be one of hls/m3u8,...|sys/saveas,o_..., hls/sign[,live_1], "
      "if_status_eq_404{hls/ts[,from_...]}, hls/status, got ";
  for (const char* shape :
       {"sys/saveas,o_cC5tM3U4", "sys/saveas,o_cC5tM3U4|hls/m3u8", "hls/m3u8|hls/m3u8",
        "hls/m3u8|sys/saveas,o_cC5tM3U4|sys/saveas,o_cC5tM3U4", "hls/sign|hls/ts", "hls/sign|sys/saveas,o_cC5tM3U4",
        "if_status_eq_404{hls/ts|hls/ts}", "if_status_eq_404{hls/ts}|hls/sign"}) {
    auto request = classify_text(shape);
    ASSERT_FALSE(request.ok()) << shape;
    EXPECT_EQ(request.error().code(), Errc::InvalidArgument) << shape;
    EXPECT_EQ(request.error().message().rfind(rule, 0), 0u) << request.error().message();
  }
  auto described = classify_text("if_status_eq_404{hls/ts|hls/ts}");
  EXPECT_EQ(described.error().message(), rule + "if_status_eq_404{hls/ts|hls/ts}");
  EXPECT_EQ(classify(Chain{}).error().message(), rule + "(empty)");
}

std::string canonical(const std::string& params) {
  auto chain = parse_chain(params.empty() ? "hls/m3u8" : "hls/m3u8," + params);
  EXPECT_TRUE(chain.ok()) << params << ": " << chain.error().to_string();
  return chain.ok() ? canonical_m3u8(std::get<HlsM3u8>((*chain)[0].op)) : std::string();
}

TEST(Canonical, WritesDefaultsSortedByName) {
  EXPECT_EQ(canonical(""), "acodec_aac,an_0,crf_23,ss_0,st_10000,t_0,vcodec_h264");
  EXPECT_EQ(canonical("an_1,vb_2000000,s_1280x720,fps_25"),
            "an_1,arotate_0,fps_25,fpsopt_1,s_1280x720,scaletype_stretch,sopt_1,ss_0,st_10000,t_0,vb_2000000,"
            "vbopt_1,vcodec_h264");
  EXPECT_EQ(canonical("initseg_2000-4000,crf_18,maxrate_3000000,bufsize_6000000,ab_128000,ar_48000,ac_2,"
                      "pixfmt_yuv420p10le,vcodec_h265,ss_5000,t_60000,st_6000"),
            "ab_128000,abopt_1,ac_2,acodec_aac,an_0,ar_48000,bufsize_6000000,crf_18,initseg_2000-4000,"
            "maxrate_3000000,pixfmt_yuv420p10le,ss_5000,st_6000,t_60000,vcodec_h265");
  EXPECT_EQ(canonical("aq_80"), "acodec_aac,an_0,aq_80,crf_23,ss_0,st_10000,t_0,vcodec_h264");
}

TEST(Canonical, EquivalentRequestsGiveTheSameText) {
  const std::vector<std::pair<std::string, std::string>> same = {
      {"", "st_10000"},
      {"", "ss_0,t_0,crf_23,vcodec_h264,acodec_aac,an_0"},
      {"st_6000,ss_1000", "ss_1000,st_6000"},
      {"fps_25", "fps_25.000,fpsopt_1"},
      {"fps_29.97", "fps_029.970"},
      {"s_640x360", "s_640x360,sopt_1,scaletype_stretch,arotate_0"},
      {"vb_900000", "vb_900000,vbopt_1"},
      {"ab_96000", "ab_96000,abopt_1"},
      // initd and ta schedule work; they do not change a single output byte.
      {"", "initd_-1,ta_30"},
      {"initd_0", "initd_600000,ta_10"},
  };
  for (const auto& [a, b] : same) EXPECT_EQ(canonical(a), canonical(b)) << a << " vs " << b;

  const std::vector<std::pair<std::string, std::string>> different = {
      {"", "st_10001"},
      {"fps_25", "fps_25.001"},
      {"s_640x360", "s_360x640"},
      {"", "crf_22"},
      {"", "an_1"},
      {"fps_25", "fps_25,fpsopt_0"},
      {"ab_96000", "aq_96"},
      {"", "initseg_2000"},
      {"initseg_2000-4000", "initseg_4000-2000"},
      {"s_640x360", "s_640x360,arotate_1"},
      {"maxrate_1,bufsize_2", "maxrate_2,bufsize_1"},
  };
  for (const auto& [a, b] : different) EXPECT_NE(canonical(a), canonical(b)) << a << " vs " << b;
}

TEST(Classify, HlsStatusExtension) {
  auto request = classify_text("hls/status");
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_TRUE(std::holds_alternative<PlaylistStatus>(*request));
  auto with_param = parse_chain("hls/status,live_1");
  ASSERT_FALSE(with_param.ok());
  EXPECT_EQ(with_param.error().message(), "live is not a parameter of hls/status, got 1");
}

}  // namespace
}  // namespace osslive::process
