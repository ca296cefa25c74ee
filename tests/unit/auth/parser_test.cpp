#include "osslive/auth/authorization_parser.hpp"

#include <gtest/gtest.h>

#include <random>

#include "test_request.hpp"

namespace osslive::auth {
namespace {

constexpr std::string_view kV4Sig = "6dc34f1131e3ad352c225d99b8dfd69dad0af6b0fb7de537d0c61798947fa02f";

Query query(std::string_view raw) { return Query::parse(raw).value(); }

TEST(ParseAuthorization, V1) {
  auto parts = parse_authorization_header("OSS LTAI5tExampleAccessKey:wTXgvDNIS/uMdD4u04rOMyxLODw=");
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->scheme, Scheme::V1Header);
  EXPECT_EQ(parts->access_key_id, "LTAI5tExampleAccessKey");
  EXPECT_EQ(parts->signature, "wTXgvDNIS/uMdD4u04rOMyxLODw=");
}

TEST(ParseAuthorization, V2WithAndWithoutAdditionalHeaders) {
  auto parts = parse_authorization_header("OSS2 AccessKeyId:ak,AdditionalHeaders:Range;host,Signature:c2ln");
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->scheme, Scheme::V2Header);
  EXPECT_EQ(parts->access_key_id, "ak");
  EXPECT_EQ(parts->signature, "c2ln");
  EXPECT_EQ(parts->additional_headers, (std::vector<std::string>{"range", "host"}));

  parts = parse_authorization_header("OSS2 Signature:c2ln, AccessKeyId:ak");
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->access_key_id, "ak");
  EXPECT_TRUE(parts->additional_headers.empty());
}

TEST(ParseAuthorization, V4AsAliOssWritesIt) {
  auto parts = parse_authorization_header(
      "OSS4-HMAC-SHA256 Credential=LTAI5tExampleAccessKey/20231203/cn-hangzhou/oss/aliyun_v4_request,"
      "AdditionalHeaders=cache-control;range,Signature=" + std::string(kV4Sig));
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->scheme, Scheme::V4Header);
  EXPECT_EQ(parts->access_key_id, "LTAI5tExampleAccessKey");
  EXPECT_EQ(parts->v4_date, "20231203");
  EXPECT_EQ(parts->v4_region, "cn-hangzhou");
  EXPECT_EQ(parts->signature, kV4Sig);
  EXPECT_EQ(parts->additional_headers, (std::vector<std::string>{"cache-control", "range"}));
}

TEST(ParseAuthorization, V4AnyOrderAndSpaces) {
  // oss2 writes "Credential=..., Signature=..., AdditionalHeaders=...".
  auto parts = parse_authorization_header(
      "  OSS4-HMAC-SHA256   Signature = " + std::string(kV4Sig) +
      " ,  AdditionalHeaders=host ,Credential=ak/20231203/oss-cn-hangzhou/oss/aliyun_v4_request  ");
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  EXPECT_EQ(parts->access_key_id, "ak");
  EXPECT_EQ(parts->v4_region, "oss-cn-hangzhou");
  EXPECT_EQ(parts->signature, kV4Sig);
  EXPECT_EQ(parts->additional_headers, (std::vector<std::string>{"host"}));
}

TEST(ParseAuthorization, MalformedIsInvalidArgument) {
  const std::string v4 = "OSS4-HMAC-SHA256 ";
  for (std::string bad : {
           std::string(""), std::string("OSS"), std::string("OSS "), std::string("OSS ak"), std::string("OSS :sig"),
           std::string("OSS ak:"), std::string("Bearer abc"), std::string("oss ak:sig"), std::string("AWS ak:sig"),
           std::string("OSS2 AccessKeyId:ak"), std::string("OSS2 Signature:s"),
           std::string("OSS2 AccessKeyId:ak,Signature:s,Region:x"),
           std::string("OSS2 AccessKeyId:ak,AccessKeyId:ak2,Signature:s"), std::string("OSS2 AccessKeyId:ak,,Signature:s"),
           std::string("OSS2 AccessKeyId=ak,Signature=s"), v4 + "Signature=abc",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=",
           v4 + "Credential=ak/2023123/cn-hangzhou/oss/aliyun_v4_request,Signature=ab",
           v4 + "Credential=ak/2023120x/cn-hangzhou/oss/aliyun_v4_request,Signature=ab",
           v4 + "Credential=ak/20231203/cn-hangzhou/s3/aliyun_v4_request,Signature=ab",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aws4_request,Signature=ab",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss,Signature=ab",
           v4 + "Credential=/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=ab",
           v4 + "Credential=ak/20231203//oss/aliyun_v4_request,Signature=ab",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request/x,Signature=ab",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=ab,Foo=bar",
           v4 + "Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=ab,Signature=cd",
           std::string("OSS4-HMAC-SHA256Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,Signature=ab"),
       }) {
    auto parts = parse_authorization_header(bad);
    ASSERT_FALSE(parts.ok()) << bad;
    EXPECT_EQ(parts.error().code(), Errc::InvalidArgument) << bad;
  }
}

TEST(ParseAuthorization, TruncationNeverInventsData) {
  // Every prefix of a valid header either fails or parses to a prefix of the real signature.
  const std::string full = "OSS4-HMAC-SHA256 Credential=ak/20231203/cn-hangzhou/oss/aliyun_v4_request,"
                           "AdditionalHeaders=host,Signature=" + std::string(kV4Sig);
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto parts = parse_authorization_header(std::string_view(full).substr(0, n));
    if (!parts.ok()) continue;
    EXPECT_EQ(std::string_view(kV4Sig).substr(0, parts->signature.size()), parts->signature) << n;
    EXPECT_LT(parts->signature.size(), kV4Sig.size()) << n;
  }
}

TEST(ParseAuthorization, RandomBytesNeverCrash) {
  std::mt19937 rng(12345);
  const std::string alphabet = "OSS24-HMACredntialSignature=,:;/ \t\x01\xff";
  std::size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string input = i % 2 ? "OSS4-HMAC-SHA256 " : "OSS2 ";
    std::size_t length = rng() % 64;
    for (std::size_t k = 0; k < length; ++k) input.push_back(alphabet[rng() % alphabet.size()]);
    auto parts = parse_authorization_header(input);
    if (parts.ok()) {
      ++accepted;
      EXPECT_FALSE(parts->access_key_id.empty());
      EXPECT_FALSE(parts->signature.empty());
    } else {
      EXPECT_EQ(parts.error().code(), Errc::InvalidArgument);
    }
  }
  EXPECT_LT(accepted, 20000u);
}

TEST(ParsePresigned, NoSignatureIsAnonymous) {
  auto none = parse_presigned_query(query("prefix=a&max-keys=10&x-oss-process=hls%2Fsign"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  none = parse_presigned_query(Query{});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(ParsePresigned, V1) {
  auto parts = parse_presigned_query(
      query("OSSAccessKeyId=ak&Expires=1701606132&Signature=c2ln%2B%3D&security-token=t%2Bk"));
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  ASSERT_TRUE(parts->has_value());
  const SignatureParts& p = **parts;
  EXPECT_EQ(p.scheme, Scheme::V1Query);
  EXPECT_EQ(p.access_key_id, "ak");
  EXPECT_EQ(p.expires, 1701606132);
  EXPECT_EQ(p.expires_text, "1701606132");
  EXPECT_EQ(p.signature, "c2ln+=");
  EXPECT_EQ(p.security_token, "t+k");
}

TEST(ParsePresigned, V1MissingPartIsAccessDenied) {
  for (std::string_view raw : {"Expires=1&Signature=s", "OSSAccessKeyId=ak&Signature=s", "OSSAccessKeyId=ak&Expires=1",
                               "Signature=s", "OSSAccessKeyId=&Expires=1&Signature=s", "OSSAccessKeyId=ak&Expires=1&Signature"}) {
    auto parts = parse_presigned_query(query(raw));
    ASSERT_FALSE(parts.ok()) << raw;
    EXPECT_EQ(parts.error().code(), Errc::AccessDenied) << raw;
  }
  for (std::string_view raw : {"OSSAccessKeyId=ak&Expires=soon&Signature=s", "OSSAccessKeyId=ak&Expires=-5&Signature=s",
                               "OSSAccessKeyId=ak&Expires=99999999999999999999&Signature=s"}) {
    auto parts = parse_presigned_query(query(raw));
    ASSERT_FALSE(parts.ok()) << raw;
    EXPECT_EQ(parts.error().code(), Errc::InvalidArgument) << raw;
  }
}

TEST(ParsePresigned, V2) {
  auto parts = parse_presigned_query(query(
      "x-oss-signature-version=OSS2&x-oss-expires=1701606132&x-oss-access-key-id=ak&x-oss-signature=c2ln"
      "&x-oss-additional-headers=Host%3Brange&security-token=tok"));
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  const SignatureParts& p = **parts;
  EXPECT_EQ(p.scheme, Scheme::V2Query);
  EXPECT_EQ(p.access_key_id, "ak");
  EXPECT_EQ(p.expires, 1701606132);
  EXPECT_EQ(p.additional_headers, (std::vector<std::string>{"host", "range"}));
  EXPECT_EQ(p.security_token, "tok");

  for (std::string_view raw : {"x-oss-signature-version=OSS2&x-oss-expires=1&x-oss-access-key-id=ak",
                               "x-oss-signature-version=OSS2&x-oss-expires=1&x-oss-signature=s",
                               "x-oss-signature-version=OSS2&x-oss-access-key-id=ak&x-oss-signature=s"}) {
    auto missing = parse_presigned_query(query(raw));
    ASSERT_FALSE(missing.ok()) << raw;
    EXPECT_EQ(missing.error().code(), Errc::AccessDenied) << raw;
  }
}

TEST(ParsePresigned, V4) {
  const std::string base =
      "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=ak%2F20231203%2Fcn-hangzhou%2Foss%2F"
      "aliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-signature=abc&x-oss-security-token=tok";
  auto parts = parse_presigned_query(query(base + "&x-oss-expires=600&x-oss-additional-headers=host"));
  ASSERT_TRUE(parts.ok()) << parts.error().to_string();
  const SignatureParts& p = **parts;
  EXPECT_EQ(p.scheme, Scheme::V4Query);
  EXPECT_EQ(p.access_key_id, "ak");
  EXPECT_EQ(p.v4_date, "20231203");
  EXPECT_EQ(p.v4_region, "cn-hangzhou");
  EXPECT_EQ(p.v4_datetime, "20231203T121212Z");
  EXPECT_EQ(p.v4_expires, 600);
  EXPECT_EQ(p.additional_headers, (std::vector<std::string>{"host"}));
  EXPECT_EQ(p.security_token, "tok");

  EXPECT_TRUE(parse_presigned_query(query(base + "&x-oss-expires=1")).ok());
  EXPECT_TRUE(parse_presigned_query(query(base + "&x-oss-expires=604800")).ok());
  for (std::string_view expires : {"0", "604801", "-1", "ten", "1.5"}) {
    auto bad = parse_presigned_query(query(base + "&x-oss-expires=" + std::string(expires)));
    ASSERT_FALSE(bad.ok()) << expires;
    EXPECT_EQ(bad.error().code(), Errc::InvalidArgument) << expires;
    EXPECT_EQ(bad.error().fields().at(0).second, "x-oss-expires");
  }
}

TEST(ParsePresigned, V4MalformedOrIncomplete) {
  const std::string credential = "x-oss-credential=ak%2F20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request";
  const std::string version = "x-oss-signature-version=OSS4-HMAC-SHA256";
  struct Case {
    std::string raw;
    Errc code;
  };
  for (const Case& c : {
           Case{version + "&x-oss-date=20231203T121212Z&x-oss-expires=60&x-oss-signature=s", Errc::AccessDenied},
           Case{version + "&" + credential + "&x-oss-expires=60&x-oss-signature=s", Errc::AccessDenied},
           Case{version + "&" + credential + "&x-oss-date=20231203T121212Z&x-oss-signature=s", Errc::AccessDenied},
           Case{version + "&" + credential + "&x-oss-date=20231203T121212Z&x-oss-expires=60", Errc::AccessDenied},
           Case{version + "&" + credential + "&x-oss-date=2023-12-03&x-oss-expires=60&x-oss-signature=s",
                Errc::InvalidArgument},
           Case{version + "&x-oss-credential=ak&x-oss-date=20231203T121212Z&x-oss-expires=60&x-oss-signature=s",
                Errc::InvalidArgument},
           Case{"x-oss-signature-version=OSS5&" + credential, Errc::InvalidArgument},
           Case{"x-oss-signature=abc", Errc::AccessDenied},
           Case{credential, Errc::AccessDenied},
       }) {
    auto parts = parse_presigned_query(query(c.raw));
    ASSERT_FALSE(parts.ok()) << c.raw;
    EXPECT_EQ(parts.error().code(), c.code) << c.raw << " -> " << parts.error().to_string();
  }
}

TEST(ParseAdditionalHeaders, LowerCasesAndDropsEmpty) {
  EXPECT_EQ(parse_additional_headers(" Host;;RANGE ; "), (std::vector<std::string>{"host", "range"}));
  EXPECT_TRUE(parse_additional_headers("").empty());
}

}  // namespace
}  // namespace osslive::auth
