#include "osslive/auth/signer.hpp"

#include <gtest/gtest.h>

#include "test_request.hpp"

namespace osslive::auth {
namespace {

using testing::from_url;
using testing::kAk;
using testing::kSk;

TEST(Signer, V1ReproducesAliOssHeader) {
  auto request = from_url("PUT", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/folder/video.mp4",
                          {{"x-oss-date", "Sun, 03 Dec 2023 12:12:12 GMT"},
                           {"x-oss-meta-author", "alice"},
                           {"Content-Type", "video/mp4"},
                           {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="}});
  auto header = authorization_v1(request.view(), kAk, kSk);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header, "OSS LTAI5tExampleAccessKey:wTXgvDNIS/uMdD4u04rOMyxLODw=");

  request.headers.remove("x-oss-date");
  auto undated = authorization_v1(request.view(), kAk, kSk);
  ASSERT_FALSE(undated.ok());
  EXPECT_EQ(undated.error().code(), Errc::InvalidArgument);
}

TEST(Signer, V2ReproducesDocumentedVector) {
  auto request = from_url("GET",
                          "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc.mp4"
                          "?acl&response-content-type=video%2Fmp4",
                          {{"Date", "Sun, 03 Dec 2023 12:12:12 GMT"}, {"Range", "bytes=0-99"}, {"x-oss-meta-a", "b"}});
  auto header = authorization_v2(request.view(), kAk, kSk, {"Range"});
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header,
            "OSS2 AccessKeyId:LTAI5tExampleAccessKey,AdditionalHeaders:range,"
            "Signature:G1jm0LFl6riqNWxxOmDCbZskzVPGC7w0UcVT7rp20RE=");
}

TEST(Signer, V4ReproducesAliOssHeader) {
  auto request = from_url(
      "PUT", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4",
      {{"x-oss-date", "20231203T121212Z"},
       {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
       {"x-oss-meta-author", "alice"},
       {"Content-Type", "video/mp4"},
       {"Cache-Control", "no-cache"},
       {"Range", "bytes=0-1"},
       {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="}});
  // ali-oss is configured with region "oss-cn-hangzhou" and strips the prefix.
  auto header = authorization_v4(request.view(), kAk, kSk, "oss-cn-hangzhou", {"cache-control", "range"});
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header,
            "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/oss/aliyun_v4_request,"
            "AdditionalHeaders=cache-control;range,"
            "Signature=bb48b3aaa6238d7420e9f557c309daf9cafc99e18d2021cfd32cce16739d06f0");

  request.headers.set("x-oss-date", "Sun, 03 Dec 2023 12:12:12 GMT");
  EXPECT_FALSE(authorization_v4(request.view(), kAk, kSk, "cn-hangzhou").ok());
}

}  // namespace
}  // namespace osslive::auth
