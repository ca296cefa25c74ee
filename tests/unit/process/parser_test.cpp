// The x-oss-process grammar, the other operations, POST bodies and request shapes (docs/api.md).
#include "osslive/process/parser.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "osslive/core/strings.hpp"

namespace osslive::process {
namespace {

struct Rejected {
  std::string process;
  std::string message;
};

void expect_rejected(const std::vector<Rejected>& cases) {
  for (const Rejected& c : cases) {
    auto chain = parse_chain(c.process);
    ASSERT_FALSE(chain.ok()) << c.process;
    EXPECT_EQ(chain.error().code(), Errc::InvalidArgument) << c.process;
    EXPECT_EQ(chain.error().message(), c.message) << c.process;
  }
}

const HlsTs& ts_in_if404(const Chain& chain) {
  return std::get<HlsTs>(std::get<IfStatusEq404>(chain.at(0).op).body.at(0).op);
}

TEST(ParseChain, SplitsStepsAndParameters) {
  auto chain = parse_chain("hls/m3u8,st_5000,ss_1000|sys/saveas,o_b3V0L3BsYXkubTN1OA==,b_bXktYnVja2V0");
  ASSERT_TRUE(chain.ok()) << chain.error().to_string();
  ASSERT_EQ(chain->size(), 2u);
  const auto& m3u8 = std::get<HlsM3u8>((*chain)[0].op);
  EXPECT_EQ(m3u8.st_ms, 5000);
  EXPECT_EQ(m3u8.ss_ms, 1000);
  const auto& save = std::get<SaveAs>((*chain)[1].op);
  EXPECT_EQ(save.object, "out/play.m3u8");
  EXPECT_EQ(save.bucket, "my-bucket");
}

TEST(ParseChain, Base64AcceptsBothAlphabetsWithOrWithoutPadding) {
  // "hls/>>?.m3u8" encodes with '+' (standard) or '-' (URL-safe); "a>?b" with '/' or '_' and padding.
  for (const char* o : {"aGxzLz4+Py5tM3U4", "aGxzLz4-Py5tM3U4"}) {
    auto chain = parse_chain(std::string("hls/m3u8|sys/saveas,o_") + o);
    ASSERT_TRUE(chain.ok()) << o << ": " << chain.error().to_string();
    EXPECT_EQ(std::get<SaveAs>((*chain)[1].op).object, "hls/>>?.m3u8") << o;
  }
  for (const char* o : {"YT4/Yg==", "YT4/Yg", "YT4_Yg==", "YT4_Yg"}) {
    auto chain = parse_chain(std::string("hls/m3u8|sys/saveas,o_") + o);
    ASSERT_TRUE(chain.ok()) << o << ": " << chain.error().to_string();
    EXPECT_EQ(std::get<SaveAs>((*chain)[1].op).object, "a>?b") << o;
  }
  // The value is split from its name at the first '_' only.
  auto ts = parse_chain("hls/ts,from_" + base64url_encode("live/a?>.m3u8"));
  ASSERT_TRUE(ts.ok()) << ts.error().to_string();
  EXPECT_EQ(std::get<HlsTs>((*ts)[0].op).from, "live/a?>.m3u8");
}

TEST(ParseChain, SaveAsRules) {
  const std::string longest = base64_encode(std::string(1023, 'k'));
  auto ok = parse_chain("sys/saveas,o_" + longest);
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_EQ(std::get<SaveAs>((*ok)[0].op).object.size(), 1023u);
  EXPECT_FALSE(std::get<SaveAs>((*ok)[0].op).bucket);

  const std::string too_long = base64_encode(std::string(1024, 'k'));
  const std::string key_rule = "o must be the base64 of an object key of 1..1023 bytes without NUL, got ";
  const std::string bucket_rule =
      "b must be the base64 of a bucket name (3..63 of a-z 0-9 -, not starting or ending with -), got ";
  expect_rejected({
      {"sys/saveas,o_" + too_long, key_rule + too_long},
      {"sys/saveas,o_YQBi", key_rule + "YQBi"},  // "a\0b"
      {"sys/saveas,o_Y", key_rule + "Y"},
      {"sys/saveas,o_b3V0*", key_rule + "b3V0*"},
      {"sys/saveas,o_", "o must not be empty, got (empty)"},
      {"sys/saveas,b_bXktYnVja2V0", "sys/saveas needs o_<base64 of the target object key>"},
      {"sys/saveas", "sys/saveas needs o_<base64 of the target object key>"},
      {"sys/saveas,o_YWI=,b_QmFkX0J1Y2tldA==", bucket_rule + "QmFkX0J1Y2tldA=="},  // "Bad_Bucket"
      {"sys/saveas,o_YWI=,b_LWFiYw==", bucket_rule + "LWFiYw=="},                  // "-abc"
      {"sys/saveas,o_YWI=,b_YWI=", bucket_rule + "YWI="},                          // "ab"
      {"sys/saveas,o_YWI=,b_" + base64_encode(std::string(64, 'b')), bucket_rule + base64_encode(std::string(64, 'b'))},
      {"sys/saveas,o_YWI=,o_YWI=", "o must not be repeated, got YWI="},
      {"sys/saveas,o_YWI=,x_1", "x is not a parameter of sys/saveas, got 1"},
  });
  auto bucket63 = parse_chain("sys/saveas,o_YWI=,b_" + base64url_encode("a-" + std::string(60, '9') + "z"));
  ASSERT_TRUE(bucket63.ok()) << bucket63.error().to_string();
  EXPECT_EQ(std::get<SaveAs>((*bucket63)[0].op).bucket->size(), 63u);
}

TEST(ParseChain, SignAndTs) {
  auto live = parse_chain("hls/sign,live_1");
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(std::get<HlsSign>((*live)[0].op).live);
  for (const char* plain : {"hls/sign", "hls/sign,live_0"}) {
    auto sign = parse_chain(plain);
    ASSERT_TRUE(sign.ok()) << plain;
    EXPECT_FALSE(std::get<HlsSign>((*sign)[0].op).live) << plain;
  }
  auto bare = parse_chain("hls/ts");
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE(std::get<HlsTs>((*bare)[0].op).from);

  const std::string from_rule = "from must be the base64 of a playlist key ending in .m3u8, got ";
  expect_rejected({
      {"hls/sign,live_2", "live must be in [0, 1], got 2"},
      {"hls/sign,live_1,live_1", "live must not be repeated, got 1"},
      {"hls/sign,expires_100", "expires is not a parameter of hls/sign, got 100"},
      {"hls/ts,from_dmlkZW8veC50cw==", from_rule + "dmlkZW8veC50cw=="},  // "video/x.ts"
      {"hls/ts,from_" + base64_encode(".m3u8"), from_rule + base64_encode(".m3u8")},
      {"hls/ts,from_!!", from_rule + "!!"},
      {"hls/ts,st_5000", "st is not a parameter of hls/ts, got 5000"},
  });
}

TEST(ParseChain, BracesRawOrPercentEncoded) {
  const std::string from = "cC5tM3U4";  // "p.m3u8"
  for (const std::string& process :
       {"if_status_eq_404{hls/ts,from_" + from + "}", "if_status_eq_404%7Bhls/ts,from_" + from + "%7D",
        "if_status_eq_404%7bhls/ts,from_" + from + "%7d", "if_status_eq_404{hls/ts,from_" + from + "%7D",
        // Value encoded twice by the client: the braces' content is decoded once more.
        "if_status_eq_404%7Bhls%2Fts%2Cfrom_" + from + "%7D"}) {
    auto chain = parse_chain(process);
    ASSERT_TRUE(chain.ok()) << process << ": " << chain.error().to_string();
    ASSERT_EQ(chain->size(), 1u);
    EXPECT_EQ(ts_in_if404(*chain).from, "p.m3u8") << process;
  }
  // Standard base64 with '+', '/' and '=' survives a second encoding too.
  auto plus = parse_chain("if_status_eq_404%7Bhls%2Fts%2Cfrom_" + uri_encode(base64_encode("a>?>.m3u8")) + "%7D");
  ASSERT_TRUE(plus.ok()) << plus.error().to_string();
  EXPECT_EQ(ts_in_if404(*plus).from, "a>?>.m3u8");

  auto empty_from = parse_chain("if_status_eq_404{hls/ts}");
  ASSERT_TRUE(empty_from.ok());
  EXPECT_FALSE(ts_in_if404(*empty_from).from);
}

TEST(ParseChain, GrammarErrors) {
  expect_rejected({
      {"", "x-oss-process must not be empty, got (empty)"},
      {"video/snapshot,t_1000",
       "x-oss-process operation must be one of hls/m3u8, hls/sign, hls/ts, sys/saveas, hls/status, got video/snapshot"},
      {"HLS/M3U8", "x-oss-process operation must be one of hls/m3u8, hls/sign, hls/ts, sys/saveas, hls/status, got HLS/M3U8"},
      {",st_5000", "x-oss-process operation must be one of hls/m3u8, hls/sign, hls/ts, sys/saveas, hls/status, got (empty)"},
      {"hls/m3u8||sys/saveas,o_YWI=", "x-oss-process must not contain an empty step, got hls/m3u8||sys/saveas,o_YWI="},
      {"|hls/sign", "x-oss-process must not contain an empty step, got |hls/sign"},
      {"hls/sign|", "x-oss-process must not contain an empty step, got hls/sign|"},
      {"if_status_eq_404{hls/ts}|", "x-oss-process must not contain an empty step, got if_status_eq_404{hls/ts}|"},
      {"hls/m3u8,,st_5000", "x-oss-process must not contain an empty parameter, got hls/m3u8,,st_5000"},
      {"hls/m3u8,st_5000,", "x-oss-process must not contain an empty parameter, got hls/m3u8,st_5000,"},
      {"hls/m3u8,_5000", "x-oss-process parameters must be written name_value, got _5000"},
      {"if_status_eq_404{hls/ts", "x-oss-process has unbalanced braces, got if_status_eq_404{hls/ts"},
      {"if_status_eq_404%7Bhls/ts", "x-oss-process has unbalanced braces, got if_status_eq_404%7Bhls/ts"},
      {"hls/ts}", "x-oss-process has unbalanced braces, got hls/ts}"},
      {"hls/ts%7D", "x-oss-process has unbalanced braces, got hls/ts%7D"},
      {"if_status_eq_404{hls/ts}}", "if_status_eq_404 must end at its closing brace, got if_status_eq_404{hls/ts}}"},
      {"if_status_eq_404{hls/ts},from_YQ",
       "if_status_eq_404 must end at its closing brace, got if_status_eq_404{hls/ts},from_YQ"},
      {"if_status_eq_404hls/ts", "if_status_eq_404 must be followed by { or %7B, got if_status_eq_404hls/ts"},
      {"if_status_eq_404", "if_status_eq_404 must be followed by { or %7B, got if_status_eq_404"},
      {"if_status_eq_403{hls/ts}",
       "x-oss-process may only use braces right after if_status_eq_404, got if_status_eq_403{hls/ts}"},
      {"if_status_eq_404{}", "if_status_eq_404 must contain hls/ts, got (empty)"},
      {"if_status_eq_404{if_status_eq_404{hls/ts}}", "if_status_eq_404 cannot be nested, got if_status_eq_404{hls/ts}"},
      {"if_status_eq_404%7Bif_status_eq_404%7Bhls/ts%7D%7D",
       "if_status_eq_404 cannot be nested, got if_status_eq_404{hls/ts}"},
      {"if_status_eq_404{hls/sign}", "if_status_eq_404 may only contain hls/ts, got hls/sign"},
      {"if_status_eq_404{hls/m3u8,st_1}", "if_status_eq_404 may only contain hls/ts, got hls/m3u8"},
      {"if_status_eq_404{hls/ts|sys/saveas,o_YWI=}", "if_status_eq_404 may only contain hls/ts, got sys/saveas"},
      {"if_status_eq_404{hls/ts,from_cC5tM3U4%ZZ}",
       "if_status_eq_404 must be valid percent-encoding, got hls/ts,from_cC5tM3U4%ZZ"},
      {"if_status_eq_404{hls/ts,from_x}|hls/sign|if_status_eq_404{hls/ts",
       "from must be the base64 of a playlist key ending in .m3u8, got x"},
  });
}

TEST(ParseChain, BoundsInputLengthAndStepCount) {
  std::string big = "hls/sign,live_1";
  big.resize(8193, ' ');
  auto too_big = parse_chain(big);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message(), "x-oss-process must be at most 8192 bytes, got 8193 bytes");

  std::string steps = "hls/ts";
  for (int i = 0; i < 15; ++i) steps += "|hls/ts";
  EXPECT_TRUE(parse_chain(steps).ok());
  auto too_many = parse_chain(steps + "|hls/ts");
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code(), Errc::InvalidArgument);
  EXPECT_NE(too_many.error().message().find("at most 16 steps"), std::string::npos);
}

TEST(ParseChain, SurvivesArbitraryInput) {
  // A smoke run of what libFuzzer will do: mutate valid requests, never crash or hang.
  const std::vector<std::string> seeds = {
      "hls/m3u8,st_5000,s_1280x720,fps_29.97,initseg_2000-4000|sys/saveas,o_YWI=,b_bXktYnVja2V0",
      "if_status_eq_404%7Bhls%2Fts%2Cfrom_cC5tM3U4%7D", "hls/sign,live_1"};
  const std::string alphabet = std::string("{}%7BDbd|,_/-x0123456789.aAZz=+ ") + '\0' + '\xff';
  std::mt19937 rng(42);
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    for (int edits = 1 + rng() % 4; edits > 0; --edits) {
      const std::size_t at = text.empty() ? 0 : rng() % (text.size() + 1);
      const char c = alphabet[rng() % alphabet.size()];
      const unsigned kind = rng() % 3;
      if (kind == 0)
        text.insert(at, 1, c);
      else if (at < text.size() && kind == 1)
        text.erase(at, 1);
      else if (at < text.size())
        text[at] = c;
    }
    auto chain = parse_chain(text);
    if (!chain.ok()) {
      EXPECT_EQ(chain.error().code(), Errc::InvalidArgument) << text;
      continue;
    }
    auto request = classify(*chain);
    EXPECT_TRUE(request.ok() || request.error().code() == Errc::InvalidArgument) << text;
  }
}

}  // namespace
}  // namespace osslive::process
