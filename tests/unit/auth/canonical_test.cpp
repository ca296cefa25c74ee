#include "osslive/auth/canonical.hpp"

#include <gtest/gtest.h>

#include "test_request.hpp"

namespace osslive::auth {
namespace {

using testing::from_url;
using testing::kSk;

constexpr std::string_view kDate = "Sun, 03 Dec 2023 12:12:12 GMT";

TEST(V1Canonical, PutWithMd5TypeAndMetaMatchesAliOss) {
  // ali-oss client.put('folder/video.mp4', Buffer 'hello world', {headers: x-oss-meta-author,
  // Content-Type, Cache-Control}); expected string from signUtils.buildCanonicalString.
  auto request = from_url("PUT", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/folder/video.mp4",
                          {{"x-oss-date", kDate},
                           {"x-oss-meta-author", "alice"},
                           {"Content-Type", "video/mp4"},
                           {"Cache-Control", "no-cache"},
                           {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
                           {"Content-Length", "11"}});
  std::string sts = v1_string_to_sign(request.view(), *v1_date_slot(request.headers));
  EXPECT_EQ(sts,
            "PUT\nXrY7u+Ae7tCTyyK7j1rNww==\nvideo/mp4\nSun, 03 Dec 2023 12:12:12 GMT\n"
            "x-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\nx-oss-meta-author:alice\n/examplebucket/folder/video.mp4");
  EXPECT_EQ(v1_signature(kSk, sts), "wTXgvDNIS/uMdD4u04rOMyxLODw=");
}

TEST(V1Canonical, KeyIsSignedDecodedAndRaw) {
  auto request = from_url(
      "GET", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4",
      {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"}});
  std::string sts = v1_string_to_sign(request.view(), kDate);
  EXPECT_EQ(sts,
            "GET\n\nvideo/mp4\nSun, 03 Dec 2023 12:12:12 GMT\nx-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\n"
            "/examplebucket/dir/a b+c%d \xE8\xA7\x86\xE9\xA2\x91.mp4");
  EXPECT_EQ(v1_signature(kSk, sts), "YQJvP6aMhJbfLbR8wHUZ7aOKD0I=");
}

TEST(V1Canonical, SubResourcesAreSortedAndOthersLeftOut) {
  // ali-oss listV2({prefix, max-keys, continuation-token}): only continuation-token is signed.
  auto list = from_url("GET",
                       "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/"
                       "?list-type=2&prefix=a%2F&max-keys=10&continuation-token=tok%2F1",
                       {{"x-oss-date", kDate}});
  std::string sts = v1_string_to_sign(list.view(), kDate);
  EXPECT_EQ(sts,
            "GET\n\n\nSun, 03 Dec 2023 12:12:12 GMT\nx-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\n"
            "/examplebucket/?continuation-token=tok/1");
  EXPECT_EQ(v1_signature(kSk, sts), "nM4cH2of49rG82mb0OB/6LxQPEg=");

  // ali-oss uploadPart: partNumber before uploadId.
  auto part = from_url("PUT", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/big.mp4?partNumber=3&uploadId=UPLOADID0123",
                       {{"x-oss-date", kDate}, {"Content-Length", "4"}, {"Content-Type", "video/mp4"}});
  sts = v1_string_to_sign(part.view(), kDate);
  EXPECT_EQ(sts,
            "PUT\n\nvideo/mp4\nSun, 03 Dec 2023 12:12:12 GMT\nx-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\n"
            "/examplebucket/big.mp4?partNumber=3&uploadId=UPLOADID0123");
  EXPECT_EQ(v1_signature(kSk, sts), "cH4F5fKmjVGQwFqWcdr11GzPPmw=");

  // `uploads=` in the URL signs as the bare key.
  auto init = from_url("POST", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/big.mp4?uploads=",
                       {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"}});
  sts = v1_string_to_sign(init.view(), kDate);
  EXPECT_EQ(sts.substr(sts.rfind('\n') + 1), "/examplebucket/big.mp4?uploads");
  EXPECT_EQ(v1_signature(kSk, sts), "+K9tf2iFGh3/ghmaNyqpgtvO2JI=");
}

TEST(V1Canonical, PresignedProcessAndTokenMatchAliOss) {
  // signUtils.buildCanonicalString('GET', '/examplebucket/live/play.m3u8', {parameters:
  // {x-oss-process: 'hls/sign,live_1', security-token}}, '1701606132').
  auto request = from_url("GET",
                          "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/live/play.m3u8?OSSAccessKeyId="
                          "LTAI5tExampleAccessKey&Expires=1701606132&Signature=DoFDnv8RDvFRFfC01tqlWEJC7hA%3D&x-oss-"
                          "process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more");
  std::string sts = v1_string_to_sign(request.view(), "1701606132");
  EXPECT_EQ(sts,
            "GET\n\n\n1701606132\n/examplebucket/live/play.m3u8?security-token=CAIS+token/with=chars&more"
            "&x-oss-process=hls/sign,live_1");
  EXPECT_EQ(v1_signature(kSk, sts), "DoFDnv8RDvFRFfC01tqlWEJC7hA=");
}

TEST(V1Canonical, ServiceLevelResourceIsSlash) {
  auto request = from_url("GET", "http://oss-cn-hangzhou.aliyuncs.com/", {{"x-oss-date", kDate}});
  std::string sts = v1_string_to_sign(request.view(), kDate);
  EXPECT_EQ(sts, "GET\n\n\nSun, 03 Dec 2023 12:12:12 GMT\nx-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\n/");
  EXPECT_EQ(v1_signature(kSk, sts), "xUxqvZ8KnU8PGL7UMPrLTQJct28=");
}

TEST(V1Canonical, SubResourceList) {
  for (std::string_view key : {"acl", "uploads", "uploadId", "partNumber", "response-content-type",
                               "response-content-disposition", "security-token", "x-oss-process",
                               "x-oss-async-process", "x-oss-anything", "continuation-token", "versionId", "tagging"})
    EXPECT_TRUE(is_v1_subresource(key)) << key;
  for (std::string_view key : {"prefix", "max-keys", "list-type", "marker", "delimiter", "OSSAccessKeyId",
                               "Signature", "Expires", "ACL", "uploadid", "x-oss", "encoding-type", "start-after"})
    EXPECT_FALSE(is_v1_subresource(key)) << key;
}

TEST(V1Canonical, DateSlotPrefersOssDate) {
  Headers headers;
  EXPECT_FALSE(v1_date_slot(headers).has_value());
  headers.add("Date", "Mon, 04 Dec 2023 00:00:00 GMT");
  EXPECT_EQ(*v1_date_slot(headers), "Mon, 04 Dec 2023 00:00:00 GMT");
  headers.add("X-OSS-Date", std::string(kDate));
  EXPECT_EQ(*v1_date_slot(headers), kDate);
}

TEST(V1Canonical, RepeatedOssHeadersJoinAndTrim) {
  auto request = from_url("GET", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/k",
                          {{"x-oss-meta-b", " 2 "}, {"X-Oss-Meta-A", "1"}, {"x-oss-meta-b", "3"}});
  EXPECT_EQ(v1_string_to_sign(request.view(), "D"), "GET\n\n\nD\nx-oss-meta-a:1\nx-oss-meta-b:2,3\n/examplebucket/k");
}

// V2 vectors follow the algorithm of oss2 (oss2/auth.py ProviderAuthV2) and the Go SDK
// (oss/auth.go getSignedStr, oss/conn.go getResource): the resource escapes every '/', query
// keys and values are RFC 3986-encoded and sorted, and the sorted additional headers form a
// line of their own. Signatures computed independently with
//   printf '%s' "$STRING_TO_SIGN" | openssl dgst -sha256 -hmac "$SK" -binary | base64
TEST(V2Canonical, HeaderFormWithAdditionalHeader) {
  auto request = from_url("GET",
                          "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc.mp4"
                          "?acl&response-content-type=video%2Fmp4",
                          {{"Date", kDate}, {"Range", "bytes=0-99"}, {"x-oss-meta-a", "b"}, {"User-Agent", "x"}});
  std::string sts = v2_string_to_sign(request.view(), kDate, {"range"});
  EXPECT_EQ(sts,
            "GET\n\n\nSun, 03 Dec 2023 12:12:12 GMT\nrange:bytes=0-99\nx-oss-meta-a:b\nrange\n"
            "%2Fexamplebucket%2Fdir%2Fa%20b%2Bc.mp4?acl&response-content-type=video%2Fmp4");
  EXPECT_EQ(v2_signature(kSk, sts), "G1jm0LFl6riqNWxxOmDCbZskzVPGC7w0UcVT7rp20RE=");
}

TEST(V2Canonical, PresignedFormSignsEveryParameterButTheSignature) {
  auto request = from_url("GET",
                          "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/live/play.m3u8"
                          "?x-oss-process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more"
                          "&x-oss-signature-version=OSS2&x-oss-expires=1701606132"
                          "&x-oss-access-key-id=LTAI5tExampleAccessKey&x-oss-signature=ignored");
  std::string sts = v2_string_to_sign(request.view(), "1701606132", {});
  EXPECT_EQ(sts,
            "GET\n\n\n1701606132\n\n%2Fexamplebucket%2Flive%2Fplay.m3u8?security-token=CAIS%2Btoken%2Fwith%3D"
            "chars%26more&x-oss-access-key-id=LTAI5tExampleAccessKey&x-oss-expires=1701606132"
            "&x-oss-process=hls%2Fsign%2Clive_1&x-oss-signature-version=OSS2");
  EXPECT_EQ(v2_signature(kSk, sts), "2XVoFvUMNZdP0yyfHmMnn6e99gP5FbFPYE2nL9/Zgg8=");
}

TEST(V4Canonical, PresignedCanonicalRequestMatchesAliOss) {
  // signUtils.getCanonicalRequest('GET', {headers: {}, queries: {...}}, 'examplebucket',
  // 'live/play.m3u8', []).
  auto request = from_url("GET",
                          "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/live/play.m3u8?x-oss-process=hls%2F"
                          "sign%2Clive_1&x-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou%2Foss%2F"
                          "aliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-signature-version="
                          "OSS4-HMAC-SHA256&x-oss-signature=d272860f204b57fd32dcf7a837668b217b4b73f14efe3e2457a40198a7"
                          "63e15e");
  std::string canonical = v4_canonical_request(request.view(), {}, v4_payload_hash(request.headers));
  EXPECT_EQ(canonical,
            "GET\n/examplebucket/live/play.m3u8\nx-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou"
            "%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-process=hls%2Fsign%2C"
            "live_1&x-oss-signature-version=OSS4-HMAC-SHA256\n\n\nUNSIGNED-PAYLOAD");
  std::string sts = v4_string_to_sign("20231203T121212Z", v4_scope("20231203", "cn-hangzhou"), canonical);
  EXPECT_EQ(sts.substr(0, sts.rfind('\n')),
            "OSS4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/oss/aliyun_v4_request");
  EXPECT_EQ(v4_signature(kSk, "20231203", "cn-hangzhou", sts),
            "d272860f204b57fd32dcf7a837668b217b4b73f14efe3e2457a40198a763e15e");
}

TEST(V4Canonical, HeaderFormSignsDefaultAndAdditionalHeaders) {
  // ali-oss (authorizationV4) put of an odd key with additionalHeaders ['cache-control', 'range'].
  auto request = from_url(
      "PUT", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4",
      {{"x-oss-date", "20231203T121212Z"},
       {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
       {"x-oss-meta-author", "alice"},
       {"Content-Type", "video/mp4"},
       {"Cache-Control", "no-cache"},
       {"Range", "bytes=0-1"},
       {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
       {"Content-Length", "11"}});
  std::string canonical = v4_canonical_request(request.view(), {"cache-control", "range"}, "UNSIGNED-PAYLOAD");
  EXPECT_EQ(canonical,
            "PUT\n/examplebucket/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4\n\n"
            "cache-control:no-cache\ncontent-md5:XrY7u+Ae7tCTyyK7j1rNww==\ncontent-type:video/mp4\nrange:bytes=0-1\n"
            "x-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231203T121212Z\nx-oss-meta-author:alice\n\n"
            "cache-control;range\nUNSIGNED-PAYLOAD");
  std::string sts = v4_string_to_sign("20231203T121212Z", v4_scope("20231203", "cn-hangzhou"), canonical);
  EXPECT_EQ(v4_signature(kSk, "20231203", "cn-hangzhou", sts),
            "bb48b3aaa6238d7420e9f557c309daf9cafc99e18d2021cfd32cce16739d06f0");
}

TEST(V4Canonical, EmptyValuesSignAsBareKeysAndBucketLevelUriKeepsSlash) {
  auto init = from_url("POST", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/big.mp4?uploads=");
  EXPECT_EQ(v4_canonical_request(init.view(), {}, "UNSIGNED-PAYLOAD"),
            "POST\n/examplebucket/big.mp4\nuploads\n\n\nUNSIGNED-PAYLOAD");
  auto list = from_url("GET", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/?prefix=a%2F&list-type=2");
  EXPECT_EQ(v4_canonical_request(list.view(), {}, "UNSIGNED-PAYLOAD"),
            "GET\n/examplebucket/\nlist-type=2&prefix=a%2F\n\n\nUNSIGNED-PAYLOAD");
  // ali-oss signs ordinary empty query values with their '=' (listV2({prefix: ''})).
  auto empty = from_url("GET", "http://examplebucket.oss-cn-hangzhou.aliyuncs.com/?list-type=2&prefix=&delimiter=%2F");
  EXPECT_EQ(v4_canonical_request(empty.view(), {}, "UNSIGNED-PAYLOAD", EmptyValue::AsSent),
            "GET\n/examplebucket/\ndelimiter=%2F&list-type=2&prefix=\n\n\nUNSIGNED-PAYLOAD");
  EXPECT_EQ(v4_canonical_request(empty.view(), {}, "UNSIGNED-PAYLOAD"),
            "GET\n/examplebucket/\ndelimiter=%2F&list-type=2&prefix\n\n\nUNSIGNED-PAYLOAD");
  auto service = from_url("GET", "http://oss-cn-hangzhou.aliyuncs.com/");
  EXPECT_EQ(v4_canonical_request(service.view(), {}, "UNSIGNED-PAYLOAD"), "GET\n/\n\n\n\nUNSIGNED-PAYLOAD");
}

TEST(V4Canonical, PayloadHashAndRegion) {
  Headers headers;
  EXPECT_EQ(v4_payload_hash(headers), "UNSIGNED-PAYLOAD");
  headers.add("x-oss-content-sha256", "abc");
  EXPECT_EQ(v4_payload_hash(headers), "abc");
  EXPECT_EQ(v4_standard_region("oss-cn-hangzhou"), "cn-hangzhou");
  EXPECT_EQ(v4_standard_region("cn-hangzhou"), "cn-hangzhou");
}

}  // namespace
}  // namespace osslive::auth
