#include <gtest/gtest.h>

#include "osslive/auth/verifier.hpp"
#include "test_request.hpp"

namespace osslive::auth {
namespace {

using testing::kAk;
using testing::kNow;
using testing::kSk;
using testing::kToken;
using testing::TestRequest;

constexpr std::string_view kTsKey = "live/play-0a1b-3.ts";
constexpr std::string_view kProcess = "if_status_eq_404{hls/ts,from_bGl2ZS9wbGF5Lm0zdTg}";
constexpr std::string_view kEncodedProcess = "x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_bGl2ZS9wbGF5Lm0zdTg%7D";

std::vector<QueryParam> process_param(std::string_view value = kProcess) {
  return {QueryParam{"x-oss-process", std::string(value), true}};
}

TestRequest get(std::string_view key, std::string_view raw_query) {
  TestRequest request;
  request.method = "GET";
  request.bucket = "examplebucket";
  request.key = std::string(key);
  request.query = Query::parse(raw_query).value();
  return request;
}

char mutate(char c) {
  if (c >= '0' && c <= '9') return c == '9' ? '0' : static_cast<char>(c + 1);
  if (c >= 'a' && c <= 'z') return c == 'z' ? 'a' : static_cast<char>(c + 1);
  if (c >= 'A' && c <= 'Z') return c == 'Z' ? 'A' : static_cast<char>(c + 1);
  return 'x';
}

// Returns a copy of the query with one parameter's value replaced.
Query with_value(const Query& query, std::string_view key, const std::string& value) {
  std::vector<QueryParam> params = query.params();
  for (auto& param : params)
    if (param.key == key) param.value = value;
  return Query(std::move(params));
}

class PresignTest : public ::testing::Test {
 protected:
  Result<Identity> verify(const TestRequest& request) const { return verifier_.verify(request.view()); }

  Identity verified(std::string_view raw_query, std::string_view key) {
    auto identity = verify(get(key, raw_query));
    EXPECT_TRUE(identity.ok()) << identity.error().to_string();
    return identity.ok() ? identity.value() : Identity{};
  }

  // Signs a TS URL like `like`, checks it verifies the same way, then that changing any
  // character of the key, of the process value or of the signature breaks it.
  void round_trip(const Identity& like, std::string_view key, std::string_view signature_param) {
    auto presigned = presign_like(like, kSk, "GET", "examplebucket", key, process_param());
    ASSERT_TRUE(presigned.ok()) << presigned.error().to_string();
    TestRequest request = get(key, *presigned);
    auto identity = verify(request);
    ASSERT_TRUE(identity.ok()) << *presigned << ": " << identity.error().to_string();
    EXPECT_EQ(identity->scheme, like.scheme);
    EXPECT_EQ(identity->access_key_id, like.access_key_id);
    EXPECT_EQ(identity->security_token, like.security_token);
    EXPECT_EQ(identity->expires, like.expires);
    EXPECT_EQ(identity->v4_date, like.v4_date);
    EXPECT_EQ(identity->v4_expires, like.v4_expires);
    EXPECT_EQ(request.query.get("x-oss-process").value_or(""), kProcess);

    for (std::size_t i = 0; i < request.key.size(); ++i) {
      TestRequest changed = request;
      changed.key[i] = mutate(changed.key[i]);
      auto result = verify(changed);
      ASSERT_FALSE(result.ok()) << "key " << changed.key;
      EXPECT_EQ(result.error().code(), Errc::SignatureDoesNotMatch);
    }
    for (std::size_t i = 0; i < kProcess.size(); ++i) {
      std::string value(kProcess);
      value[i] = mutate(value[i]);
      TestRequest changed = request;
      changed.query = with_value(request.query, "x-oss-process", value);
      auto result = verify(changed);
      ASSERT_FALSE(result.ok()) << "process " << value;
      EXPECT_EQ(result.error().code(), Errc::SignatureDoesNotMatch);
    }
    std::string signature(request.query.get(signature_param).value_or(""));
    ASSERT_FALSE(signature.empty());
    for (std::size_t i = 0; i < signature.size(); ++i) {
      std::string value = signature;
      value[i] = mutate(value[i]);
      TestRequest changed = request;
      changed.query = with_value(request.query, signature_param, value);
      auto result = verify(changed);
      ASSERT_FALSE(result.ok()) << "signature " << value;
      EXPECT_EQ(result.error().code(), Errc::SignatureDoesNotMatch);
    }
  }

  StaticCredentials credentials_{{{std::string(kAk), std::string(kSk)}}};
  FixedClock clock_{kNow};
  Verifier verifier_{credentials_, clock_, VerifierOptions{900, "oss-cn-hangzhou"}};
};

TEST_F(PresignTest, V1MatchesAliOssSignatureUrl) {
  // ali-oss signatureUrl('live/play-0a1b-3.ts', {expires: 600, process: ...}) at kNow.
  Identity like;
  like.scheme = Scheme::V1Query;
  like.access_key_id = std::string(kAk);
  like.expires = 1701606132;
  auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, process_param());
  ASSERT_TRUE(presigned.ok());
  EXPECT_EQ(*presigned, std::string(kEncodedProcess) +
                            "&OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701606132"
                            "&Signature=ruZOqix5Abser%2BMXi%2B%2BJq4cjMTs%3D");
}

TEST_F(PresignTest, V4MatchesAliOssSignatureUrlV4) {
  // ali-oss signatureUrlV4('GET', 600, {queries: {x-oss-process}}, 'live/play-0a1b-3.ts') at kNow.
  Identity like;
  like.scheme = Scheme::V4Query;
  like.access_key_id = std::string(kAk);
  like.v4_date = "20231203T121212Z";
  like.v4_expires = 600;
  like.v4_region = "cn-hangzhou";
  auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, process_param());
  ASSERT_TRUE(presigned.ok());
  EXPECT_EQ(*presigned, std::string(kEncodedProcess) +
                            "&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-credential=LTAI5tExampleAccessKey%2F"
                            "20231203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-"
                            "expires=600&x-oss-signature="
                            "f1636a60f9db3c94f09f7a8a6af2d69ad9c60af595d3af9bc543c2ac4df60e6c");
}

TEST_F(PresignTest, V1RoundTripFromAliOssPlaylistUrl) {
  Identity like = verified(
      "OSSAccessKeyId=LTAI5tExampleAccessKey&Expires=1701606132&Signature=DoFDnv8RDvFRFfC01tqlWEJC7hA%3D"
      "&x-oss-process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more",
      "live/play.m3u8");
  ASSERT_EQ(like.security_token, kToken);
  round_trip(like, kTsKey, "Signature");
  round_trip(like, "dir/a b+c%d \xE8\xA7\x86\xE9\xA2\x91-3.ts", "Signature");
}

TEST_F(PresignTest, V2RoundTrip) {
  Identity like = verified(
      "x-oss-process=hls%2Fsign%2Clive_1&security-token=CAIS%2Btoken%2Fwith%3Dchars%26more"
      "&x-oss-signature-version=OSS2&x-oss-expires=1701606132&x-oss-access-key-id=LTAI5tExampleAccessKey"
      "&x-oss-signature=2XVoFvUMNZdP0yyfHmMnn6e99gP5FbFPYE2nL9%2FZgg8%3D",
      "live/play.m3u8");
  ASSERT_EQ(like.scheme, Scheme::V2Query);
  round_trip(like, kTsKey, "x-oss-signature");
  round_trip(like, "dir/a b+c%d \xE8\xA7\x86\xE9\xA2\x91-3.ts", "x-oss-signature");
}

TEST_F(PresignTest, V4RoundTripFromAliOssPlaylistUrl) {
  Identity like = verified(
      "x-oss-process=hls%2Fsign%2Clive_1&x-oss-credential=LTAI5tExampleAccessKey%2F20231203%2Fcn-hangzhou%2Foss%2F"
      "aliyun_v4_request&x-oss-date=20231203T121212Z&x-oss-expires=600&x-oss-signature-version=OSS4-HMAC-SHA256"
      "&x-oss-security-token=CAIS%2Btoken%2Fwith%3Dchars%26more&x-oss-signature="
      "5cefb520edbfbc45fbd35d69345d536a5f78033a2800873b5be39477b558ac2a",
      "live/play.m3u8");
  ASSERT_EQ(like.scheme, Scheme::V4Query);
  round_trip(like, kTsKey, "x-oss-signature");
  round_trip(like, "dir/a b+c%d \xE8\xA7\x86\xE9\xA2\x91-3.ts", "x-oss-signature");
}

TEST_F(PresignTest, SignedTsUrlsExpireWithThePlaylist) {
  Identity like;
  like.scheme = Scheme::V1Query;
  like.access_key_id = std::string(kAk);
  like.expires = kNow + 60;
  auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, process_param());
  ASSERT_TRUE(presigned.ok());
  clock_.set(kNow + 60);
  EXPECT_TRUE(verify(get(kTsKey, *presigned)).ok());
  clock_.set(kNow + 61);
  auto late = verify(get(kTsKey, *presigned));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message(), "Request has expired.");
}

TEST_F(PresignTest, ProcessValuesWithBase64PunctuationSurvive) {
  Identity like;
  like.scheme = Scheme::V4Query;
  like.access_key_id = std::string(kAk);
  like.v4_date = "20231203T121212Z";
  like.v4_expires = 3600;
  like.v4_region = "cn-hangzhou";
  const std::string process = "if_status_eq_404{hls/ts,from_YS8r/w==}";
  auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, process_param(process));
  ASSERT_TRUE(presigned.ok());
  EXPECT_EQ(presigned->rfind("x-oss-process=if_status_eq_404%7Bhls%2Fts%2Cfrom_YS8r%2Fw%3D%3D%7D&", 0), 0u);
  TestRequest request = get(kTsKey, *presigned);
  EXPECT_EQ(request.query.get("x-oss-process").value_or(""), process);
  EXPECT_TRUE(verify(request).ok());
}

TEST_F(PresignTest, PlainSignWithoutExtraParameters) {
  Identity like;
  like.scheme = Scheme::V1Query;
  like.access_key_id = std::string(kAk);
  like.expires = kNow + 60;
  auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, {});
  ASSERT_TRUE(presigned.ok());
  EXPECT_EQ(presigned->substr(0, 15), "OSSAccessKeyId=");
  EXPECT_TRUE(verify(get(kTsKey, *presigned)).ok());
}

TEST_F(PresignTest, AnonymousGetsTheExtraParametersOnly) {
  auto presigned = presign_like(Identity{}, "", "GET", "examplebucket", kTsKey, process_param());
  ASSERT_TRUE(presigned.ok());
  EXPECT_EQ(*presigned, kEncodedProcess);
  auto identity = verify(get(kTsKey, *presigned));
  ASSERT_TRUE(identity.ok());
  EXPECT_EQ(identity->scheme, Scheme::Anonymous);
}

TEST_F(PresignTest, HeaderSchemesCannotBeCarried) {
  for (Scheme scheme : {Scheme::V1Header, Scheme::V2Header, Scheme::V4Header}) {
    Identity like;
    like.scheme = scheme;
    like.access_key_id = std::string(kAk);
    auto presigned = presign_like(like, kSk, "GET", "examplebucket", kTsKey, process_param());
    ASSERT_FALSE(presigned.ok());
    EXPECT_EQ(presigned.error().code(), Errc::InvalidRequest);
  }
}

}  // namespace
}  // namespace osslive::auth
