#include "osslive/store/key_path.hpp"

#include <gtest/gtest.h>

#include "osslive/store/bucket_store.hpp"

namespace osslive::store {
namespace {

using Parts = std::vector<std::string>;

Parts encoded(std::string_view key) {
  auto parts = encode_key_path(key);
  EXPECT_TRUE(parts.ok()) << key;
  return parts.ok() ? *parts : Parts{};
}

Errc rejection(std::string_view key) {
  auto parts = encode_key_path(key);
  EXPECT_FALSE(parts.ok()) << key;
  return parts.ok() ? Errc::InternalError : parts.error().code();
}

TEST(KeyPath, EncodesOnlyWhatTheFileSystemOrTheStoreCannotTakeAsIs) {
  EXPECT_EQ(encode_key_component("plain name.mp4"), "plain name.mp4");
  EXPECT_EQ(encode_key_component("100%"), "100%25");
  EXPECT_EQ(encode_key_component(std::string_view("a\x01z\x7f", 4)), "a%01z%7F");
  EXPECT_EQ(encode_key_component("."), "%2E");
  EXPECT_EQ(encode_key_component(".."), "%2E%2E");
  EXPECT_EQ(encode_key_component(""), "%00");
  EXPECT_EQ(encode_key_component("...") , "...");
  EXPECT_EQ(encode_key_component("..\\x"), "..\\x");
  EXPECT_EQ(encode_key_component("视频 é"), "视频 é");
  EXPECT_EQ(encode_key_component(".hidden"), ".hidden");
}

TEST(KeyPath, DecodeAcceptsOnlyCanonicalNames) {
  for (std::string s : {"plain", "100%25", "a%01z%7F", "%2E", "%2E%2E", "%00", "视频", ".hidden", "%2525"}) {
    auto back = decode_key_component(s);
    ASSERT_TRUE(back.has_value()) << s;
    EXPECT_EQ(encode_key_component(*back), s);
  }
  EXPECT_EQ(decode_key_component("%00"), std::string());
  EXPECT_EQ(decode_key_component("100%25"), "100%");
  // Sidecars, temp names, hand-dropped names with a bare '%', and aliases of other names.
  for (std::string s : {".%m.file", "100%.txt", "%41", "%2e", "%2F", "a%00", "%", "%4", "%zz", ""})
    EXPECT_FALSE(decode_key_component(s).has_value()) << s;
  EXPECT_FALSE(decode_key_component(std::string(252, 'x')).has_value());
  EXPECT_TRUE(decode_key_component(std::string(251, 'x')).has_value());
}

TEST(KeyPath, SplitsOnSlashWithEmptyComponentsKept) {
  EXPECT_EQ(encoded("a"), (Parts{"a"}));
  EXPECT_EQ(encoded("dir/"), (Parts{"dir", "%00"}));
  EXPECT_EQ(encoded("a//b"), (Parts{"a", "%00", "b"}));
  EXPECT_EQ(encoded("v/x.m3u8"), (Parts{"v", "x.m3u8"}));
  EXPECT_EQ(encoded("%2e%2e/x"), (Parts{"%252e%252e", "x"}));
  EXPECT_EQ(encoded("..\\x"), (Parts{"..\\x"}));
  EXPECT_EQ(encoded("a/..."), (Parts{"a", "..."}));
  EXPECT_EQ(sidecar_name("x.m3u8"), ".%m.x.m3u8");
}

TEST(KeyPath, RejectsKeysThatCouldLeaveTheBucketOrBreakTheFileSystem) {
  EXPECT_EQ(rejection(""), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("/abs"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("\\abs"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection(".."), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("../x"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("a/../../x"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("a/./b"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("a/.."), Errc::InvalidObjectName);
  EXPECT_EQ(rejection(std::string("a\0b", 3)), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("bad\xff utf8"), Errc::InvalidObjectName);
  EXPECT_EQ(rejection("\xc0\xaf"), Errc::InvalidObjectName);  // overlong '/'
  EXPECT_EQ(rejection(std::string(1024, 'k')), Errc::InvalidObjectName);
  EXPECT_EQ(rejection(std::string(252, 'k')), Errc::InvalidObjectName);
  EXPECT_EQ(rejection(std::string(84, '%')), Errc::InvalidObjectName);  // 252 bytes once encoded
  EXPECT_EQ(rejection("a" + std::string(1000, '/')), Errc::InvalidObjectName);  // 4 KiB of "%00/"
  std::string longest(1023, 'k');
  for (std::size_t i = 200; i < longest.size(); i += 201) longest[i] = '/';
  EXPECT_TRUE(encode_key_path(longest).ok());
  EXPECT_TRUE(encode_key_path(std::string(251, 'k')).ok());
  EXPECT_TRUE(encode_key_path(std::string(83, '%')).ok());
}

TEST(KeyPath, RejectionMessagesSayWhy) {
  auto too_long = encode_key_path(std::string(300, 'k'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message().find("at most 251"), std::string::npos) << too_long.error().message();
  auto dots = encode_key_path("a/../b");
  ASSERT_FALSE(dots.ok());
  EXPECT_NE(dots.error().message().find("\"..\""), std::string::npos) << dots.error().message();
  ASSERT_EQ(dots.error().fields().size(), 1u);
  EXPECT_EQ(dots.error().fields()[0].first, "Key");
  EXPECT_TRUE(validate_object_key("ok/key").ok());
  EXPECT_FALSE(validate_object_key("/bad").ok());
}

TEST(KeyPath, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("ascii"));
  EXPECT_TRUE(is_valid_utf8("é视频🎬"));
  EXPECT_FALSE(is_valid_utf8("\xe8\xa7"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
}

TEST(BucketNames, FollowOssRules) {
  EXPECT_TRUE(is_valid_bucket_name("abc"));
  EXPECT_TRUE(is_valid_bucket_name("my-bucket-01"));
  EXPECT_TRUE(is_valid_bucket_name(std::string(63, 'a')));
  EXPECT_FALSE(is_valid_bucket_name("ab"));
  EXPECT_FALSE(is_valid_bucket_name(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_bucket_name("-abc"));
  EXPECT_FALSE(is_valid_bucket_name("abc-"));
  EXPECT_FALSE(is_valid_bucket_name("Abc"));
  EXPECT_FALSE(is_valid_bucket_name("a_c"));
  EXPECT_FALSE(is_valid_bucket_name(".osslive"));
  EXPECT_FALSE(is_valid_bucket_name("a.b.c"));
}

}  // namespace
}  // namespace osslive::store
