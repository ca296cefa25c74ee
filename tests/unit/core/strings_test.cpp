#include "osslive/core/strings.hpp"

#include <gtest/gtest.h>

#include "osslive/core/http_message.hpp"

namespace osslive {
namespace {

TEST(PercentDecode, DecodesAndKeepsPlus) {
  EXPECT_EQ(*percent_decode("a%2Fb+c%7B%7d"), "a/b+c{}");
  EXPECT_FALSE(percent_decode("%zz").has_value());
  EXPECT_FALSE(percent_decode("abc%2").has_value());
  EXPECT_FALSE(percent_decode("%").has_value());
}

TEST(UriEncode, EncodesAllButUnreserved) {
  EXPECT_EQ(uri_encode("a b/c~d+e"), "a%20b%2Fc~d%2Be");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(uri_encode("\xE4\xB8\xAD"), "%E4%B8%AD");
}

TEST(Base64, BothAlphabetsWithOrWithoutPadding) {
  EXPECT_EQ(base64_encode("hello?>"), "aGVsbG8/Pg==");
  EXPECT_EQ(base64url_encode("hello?>"), "aGVsbG8_Pg");
  EXPECT_EQ(*base64_decode("aGVsbG8/Pg=="), "hello?>");
  EXPECT_EQ(*base64_decode("aGVsbG8_Pg"), "hello?>");
  EXPECT_EQ(*base64_decode("aGVsbG8/Pg"), "hello?>");
  EXPECT_FALSE(base64_decode("a!b=").has_value());
  EXPECT_FALSE(base64_decode("abcde").has_value());
}

TEST(HttpDate, FormatsAndParsesAllThreeForms) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(*parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(*parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(*parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(parse_http_date("yesterday").has_value());
  // Regressions found by fuzzing: extreme years must be refused, not overflow.
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov -2147483648 08:49:37 GMT").has_value());
  EXPECT_FALSE(parse_http_date("Sun Nov  6 08:49:37 -2147483648").has_value());
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 -1:49:37 GMT").has_value());
}

TEST(Iso8601, BasicForm) {
  EXPECT_EQ(iso8601_basic(784111777), "19941106T084937Z");
  EXPECT_EQ(*parse_iso8601_basic("19941106T084937Z"), 784111777);
  EXPECT_FALSE(parse_iso8601_basic("19941106T084937").has_value());
  EXPECT_EQ(iso8601_extended(784111777), "1994-11-06T08:49:37.000Z");
}

TEST(ParseInt, StrictDigits) {
  EXPECT_EQ(*parse_int("5000"), 5000);
  EXPECT_FALSE(parse_int("-1").has_value());
  EXPECT_EQ(*parse_int("-1", true), -1);
  EXPECT_FALSE(parse_int("12a").has_value());
  EXPECT_FALSE(parse_int("").has_value());
  EXPECT_FALSE(parse_int("+3").has_value());
  EXPECT_FALSE(parse_int("99999999999999999999").has_value());
}

TEST(Query, ParsesDecodedPairsAndBareKeys) {
  auto q = Query::parse("uploads&prefix=a%2Fb&x-oss-process=hls%2Fsign%2Clive_1&empty=");
  ASSERT_TRUE(q.has_value());
  ASSERT_EQ(q->params().size(), 4u);
  EXPECT_TRUE(q->has("uploads"));
  EXPECT_FALSE(q->find("uploads")->has_value);
  EXPECT_EQ(*q->get("prefix"), "a/b");
  EXPECT_EQ(*q->get("x-oss-process"), "hls/sign,live_1");
  EXPECT_TRUE(q->find("empty")->has_value);
  EXPECT_FALSE(Query::parse("a=%G1").has_value());
}

TEST(Headers, CaseInsensitive) {
  Headers h;
  h.add("Content-Type", "video/mp4");
  h.add("X-OSS-Meta-A", "1");
  EXPECT_EQ(*h.get("content-type"), "video/mp4");
  EXPECT_EQ(*h.get("x-oss-meta-a"), "1");
  h.set("content-type", "text/plain");
  EXPECT_EQ(*h.get("Content-Type"), "text/plain");
  EXPECT_EQ(h.fields().size(), 2u);
}

}  // namespace
}  // namespace osslive
