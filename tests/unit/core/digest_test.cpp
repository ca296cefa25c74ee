#include "osslive/core/digest.hpp"

#include <gtest/gtest.h>

#include "osslive/core/strings.hpp"

namespace osslive {
namespace {

TEST(Digest, KnownVectors) {
  EXPECT_EQ(hex_upper(md5("")), "D41D8CD98F00B204E9800998ECF8427E");
  EXPECT_EQ(hex_lower(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 2202 / RFC 4231 test case 2
  EXPECT_EQ(hex_lower(hmac_sha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex_lower(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Digest, IncrementalMd5MatchesOneShot) {
  Md5 m;
  m.update("hello ");
  m.update("world");
  EXPECT_EQ(m.finish(), md5("hello world"));
}

TEST(Digest, IncrementalSha256MatchesOneShotAndResets) {
  Sha256 s;
  s.update("hello ");
  s.update("world");
  EXPECT_EQ(s.finish(), sha256("hello world"));
  s.update("abc");
  EXPECT_EQ(s.finish(), sha256("abc"));
}

TEST(Digest, Sha256HexIsSixtyFourHexDigits) {
  EXPECT_TRUE(is_sha256_hex(hex_lower(sha256(""))));
  EXPECT_TRUE(is_sha256_hex(hex_upper(sha256(""))));
  EXPECT_FALSE(is_sha256_hex("UNSIGNED-PAYLOAD"));
  EXPECT_FALSE(is_sha256_hex(hex_lower(sha256("")).substr(1)));
  EXPECT_FALSE(is_sha256_hex(std::string(63, 'a') + "g"));
}

TEST(Digest, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

}  // namespace
}  // namespace osslive
