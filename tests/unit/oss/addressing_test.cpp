#include "osslive/oss/addressing.hpp"

#include <gtest/gtest.h>

namespace osslive::oss {
namespace {

Request request(std::string host, std::string path) {
  Request r;
  r.host = std::move(host);
  r.path = std::move(path);
  return r;
}

TEST(Addressing, PathStyle) {
  auto a = resolve_address(request("127.0.0.1", "/media/videos/a%20b%2Fc.mp4"), {"localhost"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->bucket, "media");
  EXPECT_EQ(a->key, "videos/a b/c.mp4");
  EXPECT_FALSE(a->virtual_host);
  auto bucket = resolve_address(request("localhost", "/media"), {"localhost"});
  EXPECT_EQ(bucket->bucket, "media");
  EXPECT_EQ(bucket->key, "");
  auto bucket_slash = resolve_address(request("localhost", "/media/"), {"localhost"});
  EXPECT_EQ(bucket_slash->key, "");
  auto service = resolve_address(request("localhost", "/"), {"localhost"});
  EXPECT_EQ(service->bucket, "");
}

TEST(Addressing, VirtualHostStyle) {
  auto a = resolve_address(request("Media.LocalHost", "/videos/a+b.mp4"), {"oss.example.com", "localhost"});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->virtual_host);
  EXPECT_EQ(a->bucket, "media");
  EXPECT_EQ(a->key, "videos/a+b.mp4");
  auto root = resolve_address(request("media.oss.example.com", "/"), {"oss.example.com"});
  EXPECT_EQ(root->bucket, "media");
  EXPECT_EQ(root->key, "");
}

TEST(Addressing, BrokenEscapesAreRejected) {
  EXPECT_FALSE(resolve_address(request("localhost", "/media/a%zz"), {"localhost"}).ok());
}

}  // namespace
}  // namespace osslive::oss
