#include <gtest/gtest.h>

#include "verifier_fixture.hpp"

namespace osslive::auth {
namespace {

using testing::field;
using testing::from_url;
using testing::kAk;
using testing::kDate;
using testing::kNow;
using testing::kSk;
using testing::kToken;
using testing::TestRequest;
using testing::url;
using VerifierTest = testing::VerifierTest;

// --- V1 header, vectors from ali-oss's request path --------------------------------------

TestRequest v1_put() {
  return from_url("PUT", url("/folder/video.mp4"),
                  {{"x-oss-date", kDate},
                   {"x-oss-meta-author", "alice"},
                   {"Content-Type", "video/mp4"},
                   {"Cache-Control", "no-cache"},
                   {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
                   {"Content-Length", "11"},
                   {"authorization", "OSS LTAI5tExampleAccessKey:wTXgvDNIS/uMdD4u04rOMyxLODw="}});
}

TEST_F(VerifierTest, V1HeaderVectorsFromAliOss) {
  struct Case {
    TestRequest request;
    std::string name;
  };
  const Case cases[] = {
      {v1_put(), "put"},
      {from_url("GET", url("/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4"),
                {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"},
                 {"authorization", "OSS LTAI5tExampleAccessKey:YQJvP6aMhJbfLbR8wHUZ7aOKD0I="}}),
       "odd key"},
      {from_url("PUT", url("/big.mp4?partNumber=3&uploadId=UPLOADID0123"),
                {{"x-oss-date", kDate}, {"Content-Length", "4"}, {"Content-Type", "video/mp4"},
                 {"authorization", "OSS LTAI5tExampleAccessKey:cH4F5fKmjVGQwFqWcdr11GzPPmw="}}),
       "upload part"},
      {from_url("POST", url("/big.mp4?uploads="),
                {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"},
                 {"authorization", "OSS LTAI5tExampleAccessKey:+K9tf2iFGh3/ghmaNyqpgtvO2JI="}}),
       "initiate multipart"},
      {from_url("GET", url("/folder/video.mp4?acl="),
                {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"},
                 {"authorization", "OSS LTAI5tExampleAccessKey:ke+a/JxxDHUkBjjhyc+DGTiVdJ4="}}),
       "get acl"},
      {from_url("GET", url("/folder/video.mp4?x-oss-process=hls%2Fsign%2Clive_1"),
                {{"x-oss-date", kDate}, {"Content-Type", "video/mp4"},
                 {"authorization", "OSS LTAI5tExampleAccessKey:I1mmJltweKDOORG9PCA8Q4qm1oc="}}),
       "process"},
      {from_url("GET", url("/?list-type=2&prefix=a%2F&max-keys=10&continuation-token=tok%2F1"),
                {{"x-oss-date", kDate}, {"authorization", "OSS LTAI5tExampleAccessKey:nM4cH2of49rG82mb0OB/6LxQPEg="}}),
       "list v2"},
      {from_url("GET", "http://oss-cn-hangzhou.aliyuncs.com/",
                {{"x-oss-date", kDate}, {"authorization", "OSS LTAI5tExampleAccessKey:xUxqvZ8KnU8PGL7UMPrLTQJct28="}}),
       "list buckets"},
  };
  for (const Case& c : cases) {
    auto identity = verify(c.request);
    ASSERT_TRUE(identity.ok()) << c.name << ": " << identity.error().to_string();
    EXPECT_EQ(identity->scheme, Scheme::V1Header) << c.name;
    EXPECT_EQ(identity->access_key_id, kAk) << c.name;
    EXPECT_TRUE(identity->security_token.empty()) << c.name;
  }
}

TEST_F(VerifierTest, V1HeaderSecurityTokenIsSignedAndCarried) {
  auto request = from_url("HEAD", url("/folder/video.mp4"),
                          {{"x-oss-date", kDate}, {"x-oss-security-token", kToken}, {"Content-Type", "video/mp4"},
                           {"authorization", "OSS LTAI5tExampleAccessKey:tTGnSh6Fza8P2veLCsqr/NgTu00="}});
  auto identity = verify(request);
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->security_token, kToken);

  request.headers.set("x-oss-security-token", "CAIS+other");
  expect_error(request, Errc::SignatureDoesNotMatch);
}

TEST_F(VerifierTest, V1HeaderMismatchReportsWhatTheServerSigned) {
  auto request = v1_put();
  request.key = "folder/video.mp5";
  auto identity = verify(request);
  ASSERT_FALSE(identity.ok());
  const Error& error = identity.error();
  EXPECT_EQ(error.code(), Errc::SignatureDoesNotMatch);
  EXPECT_EQ(error.http_status(), 403);
  ASSERT_EQ(error.fields().size(), 3u);
  EXPECT_EQ(error.fields()[0], (std::pair<std::string, std::string>{"OSSAccessKeyId", std::string(kAk)}));
  EXPECT_EQ(error.fields()[1], (std::pair<std::string, std::string>{"SignatureProvided", "wTXgvDNIS/uMdD4u04rOMyxLODw="}));
  EXPECT_EQ(error.fields()[2].first, "StringToSign");
  EXPECT_EQ(error.fields()[2].second,
            "PUT\nXrY7u+Ae7tCTyyK7j1rNww==\nvideo/mp4\nSun, 03 Dec 2023 12:12:12 GMT\n"
            "x-oss-date:Sun, 03 Dec 2023 12:12:12 GMT\nx-oss-meta-author:alice\n/examplebucket/folder/video.mp5");
}

TEST_F(VerifierTest, V1HeaderTamperingAnySignedPartFails) {
  auto tamper = [&](auto change, const std::string& what) {
    TestRequest request = v1_put();
    change(request);
    expect_error(request, Errc::SignatureDoesNotMatch, what);
  };
  tamper([](TestRequest& r) { r.method = "POST"; }, "method");
  tamper([](TestRequest& r) { r.bucket = "otherbucket"; }, "bucket");
  tamper([](TestRequest& r) { r.key = "folder/Video.mp4"; }, "key");
  tamper([](TestRequest& r) { r.headers.set("content-md5", "XrY7u+Ae7tCTyyK7j1rNwx=="); }, "content-md5");
  tamper([](TestRequest& r) { r.headers.set("content-type", "video/mp3"); }, "content-type");
  tamper([](TestRequest& r) { r.headers.set("x-oss-meta-author", "bob"); }, "meta value");
  tamper([](TestRequest& r) { r.headers.add("x-oss-meta-extra", "1"); }, "added oss header");
  tamper([](TestRequest& r) { r.headers.set("x-oss-date", "Sun, 03 Dec 2023 12:12:13 GMT"); }, "date");
  tamper([](TestRequest& r) { r.query = Query::parse("acl").value(); }, "added sub-resource");
  tamper([](TestRequest& r) { r.query = Query::parse("x-oss-process=a").value(); }, "added x-oss- parameter");
  tamper([](TestRequest& r) { r.headers.set("authorization", "OSS LTAI5tExampleAccessKey:wTXgvDNIS/uMdD4u04rOMyxLODW="); },
         "signature");

  // Parameters and headers outside the signature may change.
  TestRequest request = v1_put();
  request.query = Query::parse("max-keys=5&prefix=x").value();
  request.headers.set("cache-control", "max-age=1");
  request.headers.set("user-agent", "curl");
  EXPECT_TRUE(verify(request).ok());
}

TEST_F(VerifierTest, V1HeaderClockSkew) {
  TestRequest request = v1_put();
  clock_.set(kNow + 900);
  EXPECT_TRUE(verify(request).ok());
  clock_.set(kNow - 900);
  EXPECT_TRUE(verify(request).ok());
  clock_.set(kNow + 901);
  expect_error(request, Errc::RequestTimeTooSkewed, "late");
  clock_.set(kNow - 901);
  auto identity = verify(request);
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code(), Errc::RequestTimeTooSkewed);
  EXPECT_EQ(field(identity.error(), "RequestTime"), kDate);
}

TEST_F(VerifierTest, V1HeaderDateSlotFallsBackToDate) {
  // Signed over "Date" (no x-oss-date), as oss2 and the Go SDK send it:
  //   printf 'GET\n\n\nSun, 03 Dec 2023 12:12:12 GMT\n/examplebucket/k' |
  //     openssl dgst -sha1 -hmac "$SK" -binary | base64
  auto check = from_url("GET", url("/k"), {{"Date", kDate}});
  check.headers.add("authorization", "OSS LTAI5tExampleAccessKey:3ec9IdXP0vwp9VNR923W/IBeNa4=");
  auto identity = verify(check);
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();

  check.headers.remove("date");
  expect_error(check, Errc::AccessDenied, "no date");
  check.headers.add("date", "yesterday");
  expect_error(check, Errc::AccessDenied, "unreadable date");
}

TEST_F(VerifierTest, UnknownKeyAndMalformedHeader) {
  TestRequest request = v1_put();
  request.headers.set("authorization", "OSS nobody:wTXgvDNIS/uMdD4u04rOMyxLODw=");
  auto identity = verify(request);
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code(), Errc::InvalidAccessKeyId);
  EXPECT_EQ(field(identity.error(), "OSSAccessKeyId"), "nobody");

  request.headers.set("authorization", "OSS wTXgvDNIS");
  expect_error(request, Errc::InvalidArgument, "malformed");
  request.headers.set("authorization", "");
  expect_error(request, Errc::InvalidArgument, "empty");
}

TEST_F(VerifierTest, AnonymousRequest) {
  auto request = from_url("GET", url("/live/play.m3u8?x-oss-process=hls%2Fsign%2Clive_1&prefix=a"));
  auto identity = verify(request);
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->scheme, Scheme::Anonymous);
  EXPECT_TRUE(identity->access_key_id.empty());
}

// --- V1 presigned, vectors from ali-oss signatureUrl ------------------------------------

constexpr std::string_view kV1Url =
    "/folder/video.mp4?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701609132&Signature="
    "yYRBzgwr6VklBviv8ZIMDDAGYCg%3D";
constexpr std::string_view kV1UrlProcessToken =
    "/live/play.m3u8?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701606132&Signature=DoFDnv8RDvFRFfC01tqlWEJC7hA%3D"
    "&x-oss-process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more";

TEST_F(VerifierTest, V1PresignedVectorsFromAliOss) {
  for (std::string_view path : {
           kV1Url,
           std::string_view("/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires="
                            "1701609132&Signature=X8XDTX%2FiHOvGiJrwtl%2FmFA7rLJA%3D"),
           std::string_view("/live/play-0a1b-3.ts?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701606132&Signature="
                            "ruZOqix5Abser%2BMXi%2B%2BJq4cjMTs%3D&x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_"
                            "bGl2ZS9wbGF5Lm0zdTg%7D"),
           std::string_view("/folder/video.mp4?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701605592&Signature="
                            "YeitlSqdH6ItN8hWao6m9Ad5UsQ%3D&response-content-disposition=attachment%3B%20filename%3D%22"
                            "a%20b.mp4%22"),
       }) {
    auto identity = verify(from_url("GET", url(path)));
    ASSERT_TRUE(identity.ok()) << path << ": " << identity.error().to_string();
    EXPECT_EQ(identity->scheme, Scheme::V1Query);
    EXPECT_TRUE(identity->security_token.empty());
  }
}

TEST_F(VerifierTest, V1PresignedProcessAndTokenIdentity) {
  auto identity = verify(from_url("GET", url(kV1UrlProcessToken)));
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->scheme, Scheme::V1Query);
  EXPECT_EQ(identity->access_key_id, kAk);
  EXPECT_EQ(identity->expires, 1701606132);
  EXPECT_EQ(identity->security_token, kToken);

  // The token, the process and the expiry are all signed.
  std::string path(kV1UrlProcessToken);
  for (auto [from, to] : {std::pair<std::string, std::string>{"live_1", "live_2"},
                          {"CAIS%2Btoken", "CAIS%2Btoken2"},
                          {"Expires=1701606132", "Expires=1701606133"}}) {
    std::string changed = path;
    changed.replace(changed.find(from), from.size(), to);
    expect_error(from_url("GET", url(changed)), Errc::SignatureDoesNotMatch, to);
  }
  std::string no_token = path.substr(0, path.find("&security-token"));
  expect_error(from_url("GET", url(no_token)), Errc::SignatureDoesNotMatch, "token removed");
}

TEST_F(VerifierTest, V1PresignedExpiry) {
  auto request = from_url("GET", url(kV1Url));
  clock_.set(1701609132);
  EXPECT_TRUE(verify(request).ok());
  clock_.set(1701609133);
  auto identity = verify(request);
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code(), Errc::AccessDenied);
  EXPECT_EQ(identity.error().message(), "Request has expired.");
}

TEST_F(VerifierTest, V1PresignedMissingPartIsAccessDenied) {
  expect_error(from_url("GET", url("/folder/video.mp4?OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701609132")),
               Errc::AccessDenied);
  expect_error(from_url("GET", url("/folder/video.mp4?Signature=yYRBzgwr6VklBviv8ZIMDDAGYCg%3D")), Errc::AccessDenied);
  expect_error(from_url("GET", url("/folder/video.mp4?OSSAccessKeyId=nobody&Expires=1701609132&Signature=x")),
               Errc::InvalidAccessKeyId);
}

TEST_F(VerifierTest, AuthorizationHeaderWinsOverQuery) {
  TestRequest request = v1_put();
  request.query = Query::parse("OSSAccessKeyId=x&Expires=1&Signature=y").value();
  EXPECT_TRUE(verify(request).ok());
}

}  // namespace
}  // namespace osslive::auth
