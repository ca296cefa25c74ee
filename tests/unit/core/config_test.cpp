#include "osslive/core/config.hpp"

#include <gtest/gtest.h>

namespace osslive {
namespace {

TEST(Config, ParsesSectionsAndKeepsDefaults) {
  auto c = parse_config_json(R"({"data_dir": "/srv/data", "http": {"listen": "0.0.0.0:80"},
    "auth": {"credentials": [{"access_key_id": "ak", "access_key_secret": "sk"}]},
    "buckets": [{"name": "media", "acl": "public-read"}]})");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->data_dir, "/srv/data");
  EXPECT_EQ(c->http.listen, "0.0.0.0:80");
  EXPECT_EQ(c->http.max_header_bytes, 16u * 1024);
  ASSERT_EQ(c->auth.credentials.size(), 1u);
  EXPECT_EQ(c->auth.credentials[0].access_key_secret, "sk");
  EXPECT_EQ(c->buckets[0].acl, "public-read");
}

TEST(Config, RejectsUnknownKeysAndBadValues) {
  auto typo = parse_config_json(R"({"http": {"lisen": "x"}})");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message().find("lisen"), std::string::npos);
  EXPECT_FALSE(parse_config_json(R"({"buckets": [{"name": "b", "acl": "public-read-write"}]})").ok());
  EXPECT_FALSE(parse_config_json(R"({"http": {"io_threads": "two"}})").ok());
  EXPECT_FALSE(parse_config_json("not json").ok());
}

TEST(Config, AWrongTypeNamesItsKeyANullKeepsTheDefaultAndASectionMustBeAnObject) {
  auto mistyped = parse_config_json(R"({"transcode": {"workers": 2, "queue_limit": "many"}})");
  ASSERT_FALSE(mistyped.ok());
  EXPECT_NE(mistyped.error().message().find("transcode.queue_limit"), std::string::npos) << mistyped.error().message();
  auto nulls = parse_config_json(R"({"log_level": null, "http": {"listen": null, "io_threads": 3}})");
  ASSERT_TRUE(nulls.ok()) << nulls.error().message();
  EXPECT_EQ(nulls->http.listen, "127.0.0.1:9000");
  EXPECT_EQ(nulls->http.io_threads, 3);
  EXPECT_EQ(nulls->log_level, "info");
  for (const char* text : {R"({"http": [1, 2]})", R"({"auth": "key"})", R"({"buckets": [7]})",
                           R"({"auth": {"credentials": [{"access_key_id": "a", "access_key_secret": "s", "x": 1}]}})",
                           R"({"auth": {"credentials": [{"access_key_id": "a"}]}})", R"({"data_dir": 5})"}) {
    EXPECT_FALSE(parse_config_json(text).ok()) << text;
  }
  auto top = parse_config_json(R"({"transcoder": {}})");
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.error().message().find("transcoder"), std::string::npos);
}

TEST(Config, FreedMemoryKeptIsBounded) {
  auto kept = parse_config_json(R"({"transcode": {"keep_freed_memory_mb": 0}})");
  ASSERT_TRUE(kept.ok()) << kept.error().message();
  EXPECT_EQ(kept->transcode.keep_freed_memory_mb, 0);
  EXPECT_EQ(parse_config_json("{}")->transcode.keep_freed_memory_mb, 512);
  auto negative = parse_config_json(R"({"transcode": {"keep_freed_memory_mb": -1}})");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message().find("keep_freed_memory_mb"), std::string::npos);
  EXPECT_FALSE(parse_config_json(R"({"transcode": {"keep_freed_memory_mb": 4096}})").ok());
}

TEST(CommandLine, FlagsOverrideTheFile) {
  const char* argv[] = {"osslive", "--listen", "127.0.0.1:0", "--data-dir", "/tmp/d",
                        "--access-key-id", "id", "--access-key-secret", "secret"};
  auto cl = parse_command_line(9, argv);
  ASSERT_TRUE(cl.ok()) << cl.error().message();
  EXPECT_EQ(cl->config.http.listen, "127.0.0.1:0");
  EXPECT_EQ(cl->config.data_dir, "/tmp/d");
  ASSERT_EQ(cl->config.auth.credentials.size(), 1u);
  EXPECT_EQ(cl->config.auth.credentials[0].access_key_id, "id");
}

TEST(CommandLine, RejectsUnknownFlagsAndHalfCredentials) {
  const char* bad[] = {"osslive", "--frobnicate", "1"};
  EXPECT_FALSE(parse_command_line(3, bad).ok());
  const char* half[] = {"osslive", "--access-key-id", "id"};
  EXPECT_FALSE(parse_command_line(3, half).ok());
  const char* help[] = {"osslive", "--help"};
  EXPECT_TRUE(parse_command_line(2, help)->show_help);
}

}  // namespace
}  // namespace osslive
