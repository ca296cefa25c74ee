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

// --- V2, vectors built from the documented algorithm (see canonical_test.cpp) ------------

TEST_F(VerifierTest, V2HeaderAndPresigned) {
  auto header = from_url("GET", url("/dir/a%20b%2Bc.mp4?acl&response-content-type=video%2Fmp4"),
                         {{"Date", kDate}, {"Range", "bytes=0-99"}, {"x-oss-meta-a", "b"},
                          {"Authorization", "OSS2 AccessKeyId:LTAI5tExampleAccessKey,AdditionalHeaders:range,"
                                            "Signature:G1jm0LFl6riqNWxxOmDCbZskzVPGC7w0UcVT7rp20RE="}});
  auto identity = verify(header);
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->scheme, Scheme::V2Header);
  EXPECT_EQ(identity->additional_headers, (std::vector<std::string>{"range"}));

  TestRequest changed = header;
  changed.headers.set("range", "bytes=0-100");
  expect_error(changed, Errc::SignatureDoesNotMatch, "additional header");
  changed = header;
  changed.query = Query::parse("acl&response-content-type=video%2Fmp4&prefix=a").value();
  expect_error(changed, Errc::SignatureDoesNotMatch, "V2 signs every parameter");
  clock_.set(kNow + 901);
  expect_error(header, Errc::RequestTimeTooSkewed, "skew");
  clock_.set(kNow);

  const std::string presigned =
      "/live/play.m3u8?x-oss-process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more"
      "&x-oss-signature-version=OSS2&x-oss-expires=1701606132&x-oss-access-key-id=LTAI5tExampleAccessKey"
      "&x-oss-signature=2XVoFvUMNZdP0yyfHmMnn6e99gP5FbFPYE2nL9%2FZgg8%3D";
  identity = verify(from_url("GET", url(presigned)));
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->scheme, Scheme::V2Query);
  EXPECT_EQ(identity->expires, 1701606132);
  EXPECT_EQ(identity->security_token, kToken);

  clock_.set(1701606133);
  auto late = verify(from_url("GET", url(presigned)));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message(), "Request has expired.");
}

// --- V4 header, vectors from ali-oss with authorizationV4 --------------------------------

TestRequest v4_put() {
  return from_url(
      "PUT", url("/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4"),
      {{"x-oss-date", "20231203T121212Z"},
       {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
       {"x-oss-meta-author", "alice"},
       {"Content-Type", "video/mp4"},
       {"Cache-Control", "no-cache"},
       {"Range", "bytes=0-1"},
       {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
       {"Content-Length", "11"},
       {"authorization",
        "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/oss/aliyun_v4_request,"
        "AdditionalHeaders=cache-control;range,Signature=bb48b3aaa6238d7420e9f557c309daf9cafc99e18d2021cfd32cce16739d06f0"}});
}

TestRequest v4_header(std::string_view method, std::string_view path, std::string_view signature,
                      testing::HeaderList extra = {}) {
  auto request = from_url(method, url(path), extra);
  request.headers.add("x-oss-date", "20231203T121212Z");
  request.headers.add("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
  request.headers.add("authorization",
                      "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/oss/aliyun_v4_request,"
                      "Signature=" + std::string(signature));
  return request;
}

TEST_F(VerifierTest, V4HeaderVectorsFromAliOss) {
  const TestRequest cases[] = {
      v4_put(),
      v4_header("GET", "/folder/video.mp4", "6dc34f1131e3ad352c225d99b8dfd69dad0af6b0fb7de537d0c61798947fa02f",
                {{"Content-Type", "video/mp4"}}),
      v4_header("PUT", "/big.mp4?partNumber=3&uploadId=UPLOADID0123",
                "c6fb46aa3b7154df7d7fd57a5100b8c50708f9d055e97ac3b9265b81de7e1185",
                {{"Content-Length", "4"}, {"Content-Type", "video/mp4"}}),
      v4_header("POST", "/big.mp4?uploads=", "7f25467660bb780d816a4b5cff065e8474e62ae3e8092bca886300e78325d2c4",
                {{"Content-Type", "video/mp4"}}),
      v4_header("GET", "/?list-type=2&prefix=a%2F&max-keys=10&continuation-token=tok%2F1",
                "9ce48ae0c6a780dab149922d422f5ce229b761b2e069337bc870cb608ee1c36a"),
  };
  for (const TestRequest& request : cases) {
    auto identity = verify(request);
    ASSERT_TRUE(identity.ok()) << request.method << " " << request.key << ": " << identity.error().to_string();
    EXPECT_EQ(identity->scheme, Scheme::V4Header);
    EXPECT_EQ(identity->v4_date, "20231203T121212Z");
    EXPECT_EQ(identity->v4_region, "cn-hangzhou");
  }
  auto service = from_url("GET", "http://oss-cn-hangzhou.aliyuncs.com/",
                          {{"x-oss-date", "20231203T121212Z"}, {"x-oss-content-sha256", "UNSIGNED-PAYLOAD"},
                           {"authorization", "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/"
                                             "oss/aliyun_v4_request,Signature=8397c702229b308c6c5a90028de914e72e24ad58"
                                             "5add0e75bf89dfb980ed3921"}});
  EXPECT_TRUE(verify(service).ok());
}

TEST_F(VerifierTest, V4HeaderEmptyParametersSignedEitherWay) {
  // ali-oss V4 signs listV2({prefix: '', delimiter: '/'}) with "prefix=" but the sub-resource
  // of initMultipartUpload (also sent as "uploads=") as a bare "uploads"; both must pass.
  auto list = v4_header("GET", "/?list-type=2&prefix=&delimiter=%2F",
                        "28d6d967a5987d0f79906935b8d787a2a1adbc1fe1b5d46a6df3da074c4a1492");
  EXPECT_TRUE(verify(list).ok());
  auto list_v1 = v4_header("GET", "/?prefix=&marker=", "9c06982e4fff4b5c971f3be84a7289f463ba61b5f7f46eb21aa392fc868592e9");
  EXPECT_TRUE(verify(list_v1).ok());
  list_v1.query = Query::parse("prefix=&marker=a").value();
  expect_error(list_v1, Errc::SignatureDoesNotMatch, "value added");
}

TEST_F(VerifierTest, V4HeaderWithTokenAndProcess) {
  auto request = v4_header("GET", "/live/play.m3u8?x-oss-process=hls%2Fsign%2Clive_1",
                           "abf8b185b5ab95dd553f863cbad6a9a97d43fae3aafb1dcaef75483193e92026",
                           {{"x-oss-security-token", kToken}, {"Content-Type", "application/vnd.apple.mpegurl"}});
  auto identity = verify(request);
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->security_token, kToken);
}

TEST_F(VerifierTest, V4HeaderParametersInOss2OrderWithSpaces) {
  TestRequest request = v4_put();
  request.headers.set("authorization",
                      "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/oss/aliyun_v4_request, "
                      "Signature=BB48B3AAA6238D7420E9F557C309DAF9CAFC99E18D2021CFD32CCE16739D06F0, "
                      "AdditionalHeaders=cache-control;range");
  EXPECT_TRUE(verify(request).ok());
}

TEST_F(VerifierTest, V4HeaderTampering) {
  auto tamper = [&](auto change, const std::string& what) {
    TestRequest request = v4_put();
    change(request);
    expect_error(request, Errc::SignatureDoesNotMatch, what);
  };
  tamper([](TestRequest& r) { r.key = "dir/a b+c%d.mp4"; }, "key");
  tamper([](TestRequest& r) { r.headers.set("range", "bytes=0-2"); }, "additional header");
  tamper([](TestRequest& r) { r.headers.set("cache-control", "no-store"); }, "additional header 2");
  tamper([](TestRequest& r) { r.headers.set("content-md5", "AAAAu+Ae7tCTyyK7j1rNww=="); }, "content-md5");
  tamper([](TestRequest& r) { r.headers.set("x-oss-content-sha256", "abc"); }, "payload hash");
  tamper([](TestRequest& r) { r.headers.set("x-oss-date", "20231203T121213Z"); }, "date");
  tamper([](TestRequest& r) { r.query = Query::parse("prefix=a").value(); }, "any parameter");
  tamper([](TestRequest& r) { r.method = "POST"; }, "method");

  TestRequest request = v4_put();
  request.headers.set("user-agent", "curl");
  request.headers.set("content-length", "12");
  EXPECT_TRUE(verify(request).ok()) << "unsigned headers may change";

  request.key = "changed";
  auto identity = verify(request);
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(field(identity.error(), "CanonicalRequest").substr(0, 24), "PUT\n/examplebucket/chang");
  EXPECT_EQ(field(identity.error(), "StringToSign").rfind(
                "OSS4-HMAC-SHA256\n20231203T121212Z\n20231203/cn-hangzhou/oss/aliyun_v4_request\n", 0),
            0u);
}

TEST_F(VerifierTest, V4HeaderTimeRules) {
  TestRequest request = v4_put();
  clock_.set(kNow + 901);
  expect_error(request, Errc::RequestTimeTooSkewed, "skew");
  clock_.set(kNow + 900);
  EXPECT_TRUE(verify(request).ok());

  request.headers.remove("x-oss-date");
  expect_error(request, Errc::AccessDenied, "no x-oss-date");
  request.headers.add("x-oss-date", "Sun, 03 Dec 2023 12:12:12 GMT");
  expect_error(request, Errc::AccessDenied, "x-oss-date not ISO 8601");
  request.headers.set("x-oss-date", "20231204T121212Z");
  clock_.set(kNow + 86400);
  expect_error(request, Errc::InvalidArgument, "scope date differs from x-oss-date");
}

TEST_F(VerifierTest, V4RegionMustMatchConfiguration) {
  for (std::string region : {"oss-cn-hangzhou", "cn-hangzhou", ""}) {
    Verifier verifier(credentials_, clock_, VerifierOptions{900, region});
    EXPECT_TRUE(verifier.verify(v4_put().view()).ok()) << region;
  }
  Verifier beijing(credentials_, clock_, VerifierOptions{900, "oss-cn-beijing"});
  auto identity = beijing.verify(v4_put().view());
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.error().code(), Errc::AccessDenied);

  // A scope written with the "oss-" prefix is accepted as the same region.
  auto request = from_url("GET", url("/k"), {{"x-oss-date", "20231203T121212Z"}});
  auto header = "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/oss-cn-hangzhou/oss/aliyun_v4_request,"
                "Signature=00";
  request.headers.add("authorization", header);
  expect_error(request, Errc::SignatureDoesNotMatch, "region accepted, signature checked");
}

// --- V4 presigned, vectors from ali-oss signatureUrlV4 ----------------------------------

constexpr std::string_view kV4UrlProcess =
    "/live/play.m3u8?x-oss-process=hls%2Fsign%2Clive_1&x-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-"
    "hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-signature-version=OSS4-"
    "HMAC-SHA256&x-oss-signature=d272860f204b57fd32dcf7a837668b217b4b73f14efe3e2457a40198a763e15e";
constexpr std::string_view kV4UrlAdditional =
    "/dir/a%20b%2Bc%25d%20%E8%A7%86%E9%A2%91.mp4?response-content-type=video%2Fmp4&x-oss-additional-headers=host&x-"
    "oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date="
    "20231203T121212Z&x-oss-expires=600&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-signature="
    "3e4f86df951e1f471cc8b1f01baaf58436c519755badcdab34dc2556ba5fd96d";

TEST_F(VerifierTest, V4PresignedVectorsFromAliOss) {
  for (std::string_view path : {
           std::string_view("/folder/video.mp4?x-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou%2Foss"
                            "%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=3600&x-oss-signature-"
                            "version=OSS4-HMAC-SHA256&x-oss-signature=8c9ea34853ce06e34b47df36d5185e01a78ffb2fabfc9fb28"
                            "e8f1f7f40deeda9"),
           kV4UrlProcess,
           std::string_view("/live/play-0a1b-3.ts?x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_bGl2ZS9wbGF5Lm0zdTg"
                            "%7D&x-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_"
                            "request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-signature-version=OSS4-HMAC-"
                            "SHA256&x-oss-signature=f1636a60f9db3c94f09f7a8a6af2d69ad9c60af595d3af9bc543c2ac4df60e6c"),
       }) {
    auto identity = verify(from_url("GET", url(path)));
    ASSERT_TRUE(identity.ok()) << path << ": " << identity.error().to_string();
    EXPECT_EQ(identity->scheme, Scheme::V4Query);
    EXPECT_EQ(identity->v4_date, "20231203T121212Z");
    EXPECT_EQ(identity->v4_region, "cn-hangzhou");
  }
}

TEST_F(VerifierTest, V4PresignedTokenAndAdditionalHeaders) {
  auto token = verify(from_url(
      "GET", url("/live/play.m3u8?x-oss-process=hls%2Fsign%2Clive_1&x-oss-credential=LTAI5tExampleAccessKey%2F20231203"
                 "%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-"
                 "signature-version=OSS4-HMAC-SHA256&x-oss-security-token=CAIS%2Btoken%2Fwith%3Dchars%26more&x-oss-"
                 "signature=5cefb520edbfbc45fbd35d69345d536a5f78033a2800873b5be39477b558ac2a")));
  ASSERT_TRUE(token.ok()) << token.error().to_string();
  EXPECT_EQ(token->security_token, kToken);
  EXPECT_EQ(token->v4_expires, 600);

  testing::HeaderList headers = {{"Host", "examplebucket.oss-cn-hangzhou.aliyuncs.com"}, {"x-oss-meta-x", "y"}};
  auto identity = verify(from_url("GET", url(kV4UrlAdditional), headers));
  ASSERT_TRUE(identity.ok()) << identity.error().to_string();
  EXPECT_EQ(identity->additional_headers, (std::vector<std::string>{"host"}));
  expect_error(from_url("GET", url(kV4UrlAdditional),
                        {{"Host", "other.oss-cn-hangzhou.aliyuncs.com"}, {"x-oss-meta-x", "y"}}),
               Errc::SignatureDoesNotMatch, "host");
}

TEST_F(VerifierTest, V4PresignedExpiryAndTampering) {
  auto request = from_url("GET", url(kV4UrlProcess));
  clock_.set(kNow + 600);
  EXPECT_TRUE(verify(request).ok());
  clock_.set(kNow + 601);
  auto late = verify(request);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code(), Errc::AccessDenied);
  EXPECT_EQ(late.error().message(), "Request has expired.");
  clock_.set(kNow - 901);
  expect_error(request, Errc::RequestTimeTooSkewed, "signed in the future");
  clock_.set(kNow);

  std::string path(kV4UrlProcess);
  for (auto [from, to] : {std::pair<std::string, std::string>{"live_1", "live_2"},
                          {"x-oss-expires=600", "x-oss-expires=6000"},
                          {"play.m3u8", "play.m3u9"},
                          {"x-oss-signature=d", "x-oss-signature=e"}}) {
    std::string changed = path;
    changed.replace(changed.find(from), from.size(), to);
    expect_error(from_url("GET", url(changed)), Errc::SignatureDoesNotMatch, to);
  }
  expect_error(from_url("GET", url(path + "&prefix=a")), Errc::SignatureDoesNotMatch, "added parameter");
  expect_error(from_url("HEAD", url(path)), Errc::SignatureDoesNotMatch, "method");
}

}  // namespace
}  // namespace osslive::auth
