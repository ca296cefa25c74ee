// OssService as a pure request -> response function: no sockets, a real store in a temp
// folder, real signatures, a fixed clock.
#include "osslive/oss/service.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "../service_requests.hpp"
#include "osslive/auth/signer.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/fs_bucket_store.hpp"

namespace osslive::oss {
namespace {

constexpr std::int64_t kNow = 1764000000;
constexpr const char* kAk = "LTAIunit";
constexpr const char* kSk = "unit-secret";

class ServiceTest : public ::testing::Test {
 protected:
  ServiceTest()
      : dir_(std::filesystem::temp_directory_path() / ("osslive-service-" + hex_lower(random_bytes(6)))),
        clock_(kNow),
        store_(dir_, clock_),
        credentials_({Credential{kAk, kSk}}),
        verifier_(credentials_, clock_, {900, ""}),
        service_(ServiceDeps{store_, verifier_, clock_, AuthConfig{}, nullptr, nullptr}) {
    EXPECT_TRUE(store_.create_bucket("media", "private").ok());
    EXPECT_TRUE(store_.create_bucket("open", "public-read").ok());
  }
  ~ServiceTest() override { std::filesystem::remove_all(dir_); }

  // A V1-signed request, as an SDK would send it.
  Request make(std::string method, std::string target, std::string body = {},
               std::vector<std::pair<std::string, std::string>> headers = {}, bool sign = true) {
    Request r = test_service::request(std::move(method), std::move(target));
    r.headers.add("Date", http_date(kNow));
    if (!body.empty() || r.method == "PUT" || r.method == "POST")
      r.headers.add("Content-Length", std::to_string(body.size()));
    for (auto& [k, v] : headers) r.headers.add(k, v);
    r.body.size = body.size();
    r.body.md5 = md5(body);
    r.body.data = std::move(body);
    if (sign) test_service::sign_v1(r, kAk, kSk);
    return r;
  }

  Response send(Request r) { return service_.handle(r); }

  static std::string body_of(const Response& response) { return test_service::body_of(response); }
  static std::string header(const Response& response, std::string_view name) {
    return test_service::header(response, name);
  }

  std::filesystem::path dir_;
  FixedClock clock_;
  store::FsBucketStore store_;
  auth::StaticCredentials credentials_;
  auth::Verifier verifier_;
  OssService service_;
};

TEST_F(ServiceTest, PutThenGetWithRangeAndOverrides) {
  auto put = send(make("PUT", "/media/dir/a%20b.txt", "hello world", {{"Content-Type", "text/plain"}}));
  ASSERT_EQ(put.status, 200) << body_of(put);
  EXPECT_EQ(header(put, "etag"), "\"" + hex_upper(md5("hello world")) + "\"");
  EXPECT_EQ(header(put, "x-oss-request-id"), "0123456789ABCDEF01234567");

  auto get = send(make("GET", "/media/dir/a%20b.txt?response-content-type=application%2Fjson", {},
                       {{"Range", "bytes=6-"}}));
  EXPECT_EQ(get.status, 206);
  EXPECT_EQ(body_of(get), "world");
  EXPECT_EQ(header(get, "content-range"), "bytes 6-10/11");
  EXPECT_EQ(header(get, "content-type"), "application/json");
  EXPECT_EQ(header(get, "accept-ranges"), "bytes");
  EXPECT_EQ(header(get, "last-modified"), http_date(kNow));
}

// response-* values become headers: a CR/LF in one would let a URL add headers (Set-Cookie) or
// split the response, so it is refused with the parameter named.
TEST_F(ServiceTest, ResponseOverridesWithLineBreaksAreRefused) {
  ASSERT_EQ(send(make("PUT", "/media/page.txt", "hello")).status, 200);
  for (std::string_view value : {"text/html%0D%0ASet-Cookie:%20a=b", "x%0Ay", "x%00y"}) {
    auto get = send(make("GET", "/media/page.txt?response-content-type=" + std::string(value)));
    EXPECT_EQ(get.status, 400) << value;
    EXPECT_NE(body_of(get).find("<ArgumentName>response-content-type</ArgumentName>"), std::string::npos) << body_of(get);
    EXPECT_EQ(header(get, "set-cookie"), "");
  }
  auto fine = send(make("GET", "/media/page.txt?response-content-disposition=attachment%3B%20filename%3D%22a%09b.txt%22"));
  EXPECT_EQ(fine.status, 200);
  EXPECT_EQ(header(fine, "content-disposition"), "attachment; filename=\"a\tb.txt\"");
}

TEST_F(ServiceTest, ErrorsAreOssXmlWithCodeRequestIdAndEc) {
  auto missing = send(make("GET", "/media/nope.txt"));
  EXPECT_EQ(missing.status, 404);
  std::string xml = body_of(missing);
  EXPECT_NE(xml.find("<Code>NoSuchKey</Code>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<RequestId>0123456789ABCDEF01234567</RequestId>"), std::string::npos);
  EXPECT_NE(xml.find("<Key>nope.txt</Key>"), std::string::npos);
  EXPECT_NE(xml.find("<EC>0026-00000001</EC>"), std::string::npos);
  EXPECT_EQ(header(missing, "x-oss-ec"), "0026-00000001");
  EXPECT_EQ(header(missing, "content-type"), "application/xml");

  auto head = send(make("HEAD", "/media/nope.txt"));
  EXPECT_EQ(head.status, 404);
  EXPECT_TRUE(head.omit_body);
  EXPECT_EQ(header(head, "x-oss-request-id"), "0123456789ABCDEF01234567");

  auto no_bucket = send(make("GET", "/nobucket/x"));
  EXPECT_EQ(no_bucket.status, 404);
  EXPECT_NE(body_of(no_bucket).find("<Code>NoSuchBucket</Code>"), std::string::npos);

  auto bad_name = send(make("GET", "/Bad_Name/x"));
  EXPECT_EQ(bad_name.status, 400);
  EXPECT_NE(body_of(bad_name).find("InvalidBucketName"), std::string::npos);
}

TEST_F(ServiceTest, SignatureMismatchReturnsTheServersStringToSign) {
  Request r = make("GET", "/media/x.txt");
  r.path = "/media/y.txt";  // signed for x, sent for y
  auto response = send(std::move(r));
  EXPECT_EQ(response.status, 403);
  std::string xml = body_of(response);
  EXPECT_NE(xml.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<StringToSign>GET\n\n\n" + http_date(kNow) + "\n/media/y.txt</StringToSign>"),
            std::string::npos)
      << xml;
}

TEST_F(ServiceTest, PutChecksContentMd5AndLengthAndForbidOverwrite) {
  auto bad_md5 = send(make("PUT", "/media/m.txt", "abc", {{"Content-MD5", base64_encode(md5("abd"))}}));
  EXPECT_EQ(bad_md5.status, 400);
  EXPECT_NE(body_of(bad_md5).find("InvalidDigest"), std::string::npos);
  EXPECT_EQ(store_.stat_object("media", "m.txt").error().code(), Errc::NoSuchKey);  // nothing stored

  auto good_md5 = send(make("PUT", "/media/m.txt", "abc", {{"Content-MD5", base64_encode(md5("abc"))}}));
  EXPECT_EQ(good_md5.status, 200);

  Request no_length = make("PUT", "/media/n.txt", "", {}, false);
  no_length.headers.remove("content-length");
  auto signed_request = make("PUT", "/media/n.txt");
  no_length.headers.add("Authorization", std::string(*signed_request.headers.get("authorization")));
  EXPECT_EQ(send(std::move(no_length)).status, 411);

  auto forbidden = send(make("PUT", "/media/m.txt", "new", {{"x-oss-forbid-overwrite", "true"}}));
  EXPECT_EQ(forbidden.status, 409);
  EXPECT_EQ(body_of(send(make("GET", "/media/m.txt"))), "abc");
}

TEST_F(ServiceTest, AnonymousReadsOnlyPublicReadBuckets) {
  ASSERT_EQ(send(make("PUT", "/open/o.txt", "public")).status, 200);
  ASSERT_EQ(send(make("PUT", "/media/p.txt", "private")).status, 200);
  EXPECT_EQ(body_of(send(make("GET", "/open/o.txt", {}, {}, false))), "public");
  EXPECT_EQ(send(make("GET", "/media/p.txt", {}, {}, false)).status, 403);
  EXPECT_EQ(send(make("PUT", "/open/w.txt", "x", {}, false)).status, 403);
  EXPECT_EQ(send(make("DELETE", "/open/o.txt", {}, {}, false)).status, 403);
  auto hidden = send(make("GET", "/nobucket/x", {}, {}, false));  // no hint that the bucket is missing
  EXPECT_EQ(hidden.status, 403);
}

// Issue 18: whatever an anonymous caller sends, a private bucket answers like a missing one.
TEST_F(ServiceTest, AnonymousCallersCannotTellPrivateBucketsFromMissingOnes) {
  ASSERT_EQ(send(make("PUT", "/media/p.txt", "private")).status, 200);
  struct Case {
    std::string method;
    std::string target;  // after the bucket
    std::string body;
  };
  const Case cases[] = {{"GET", "/p.txt", ""},     {"HEAD", "/p.txt", ""},  {"GET", "?acl", ""},
                        {"GET", "?website", ""},   {"PATCH", "/p.txt", ""}, {"PUT", "/n.txt", "n"},
                        {"DELETE", "/p.txt", ""},  {"POST", "?delete", "<Delete/>"}, {"GET", "", ""}};
  for (const Case& c : cases) {
    auto in_private = send(make(c.method, "/media" + c.target, c.body, {}, false));
    auto in_missing = send(make(c.method, "/nobucket" + c.target, c.body, {}, false));
    EXPECT_EQ(in_private.status, 403) << c.method << c.target;
    EXPECT_EQ(in_private.status, in_missing.status) << c.method << c.target;
    EXPECT_EQ(header(in_private, "x-oss-ec"), header(in_missing, "x-oss-ec")) << c.method << c.target;
    EXPECT_EQ(body_of(in_private), body_of(in_missing)) << c.method << c.target;
  }
  Request early = make("PUT", "/media/big.bin", {}, {}, false);
  Request early_missing = make("PUT", "/nobucket/big.bin", {}, {}, false);
  auto refused = service_.precheck(early);
  auto refused_missing = service_.precheck(early_missing);
  ASSERT_TRUE(refused && refused_missing);
  EXPECT_EQ(body_of(*refused), body_of(*refused_missing));
  auto preflight = [&](std::string target) {
    Request r = make("OPTIONS", target, {}, {{"Origin", "http://a.example"}, {"Access-Control-Request-Method", "GET"}}, false);
    return send(r);
  };
  EXPECT_EQ(body_of(preflight("/media/p.txt")), body_of(preflight("/nobucket/p.txt")));
}

TEST_F(ServiceTest, DeleteMultipleObjectsNeedsContentMd5) {
  ASSERT_EQ(send(make("PUT", "/media/d.txt", "d")).status, 200);
  std::string body = "<Delete><Object><Key>d.txt</Key></Object></Delete>";
  auto missing = send(make("POST", "/media?delete", body));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(header(missing, "x-oss-ec"), "0016-00000606");
  EXPECT_NE(body_of(missing).find("<Code>MissingArgument</Code>"), std::string::npos) << body_of(missing);
  EXPECT_EQ(send(make("HEAD", "/media/d.txt")).status, 200);
  auto deleted = send(make("POST", "/media?delete", body, {{"Content-MD5", base64_encode(md5(body))}}));
  EXPECT_EQ(deleted.status, 200) << body_of(deleted);
  EXPECT_EQ(send(make("HEAD", "/media/d.txt")).status, 404);
}

TEST_F(ServiceTest, ContentSha256IsCheckedAgainstTheBody) {
  auto wrong = send(make("PUT", "/media/s.txt", "body", {{"x-oss-content-sha256", hex_lower(sha256("other"))}}));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(body_of(wrong).find("<Code>InvalidDigest</Code>"), std::string::npos) << body_of(wrong);
  EXPECT_EQ(send(make("HEAD", "/media/s.txt")).status, 404);
  auto garbled = send(make("PUT", "/media/s.txt", "body", {{"x-oss-content-sha256", "abc"}}));
  EXPECT_EQ(garbled.status, 400);
  EXPECT_NE(body_of(garbled).find("<ArgumentName>x-oss-content-sha256</ArgumentName>"), std::string::npos);
  EXPECT_EQ(send(make("PUT", "/media/s.txt", "body", {{"x-oss-content-sha256", hex_upper(sha256("body"))}})).status, 200);
  EXPECT_EQ(send(make("PUT", "/media/u.txt", "body", {{"x-oss-content-sha256", "UNSIGNED-PAYLOAD"}})).status, 200);
  // A GET states the digest of its empty body.
  EXPECT_EQ(send(make("GET", "/media/s.txt", {}, {{"x-oss-content-sha256", hex_lower(sha256(""))}})).status, 200);
}

TEST_F(ServiceTest, RoutesMethodsAndSubresources) {
  EXPECT_EQ(send(make("PATCH", "/media/x")).status, 405);
  // A known sub-resource with the wrong method is 405, not the plain route of that method.
  EXPECT_EQ(send(make("GET", "/?GenerateVideoPlaylist")).status, 405);
  EXPECT_EQ(send(make("PUT", "/media?delete")).status, 405);
  EXPECT_EQ(send(make("GET", "/media?website")).status, 501);
  auto list = send(make("GET", "/media?prefix=&max-keys=5"));
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(body_of(list).find("<ListBucketResult><Name>media</Name>"), std::string::npos) << body_of(list);
  EXPECT_EQ(send(make("GET", "/media?max-keys=1001")).status, 400);
  auto buckets = send(make("GET", "/"));
  EXPECT_NE(body_of(buckets).find("<Name>open</Name>"), std::string::npos);
  EXPECT_EQ(send(make("GET", "/-/anything")).status, 404);
}

TEST_F(ServiceTest, MultipartThroughTheApi) {
  auto init = send(make("POST", "/media/big.bin?uploads"));
  ASSERT_EQ(init.status, 200);
  std::string xml = body_of(init);
  auto start = xml.find("<UploadId>") + 10;
  std::string upload_id = xml.substr(start, xml.find("</UploadId>") - start);
  std::string part1(100 * 1024, 'a'), part2 = "tail";
  auto p1 = send(make("PUT", "/media/big.bin?partNumber=1&uploadId=" + upload_id, part1));
  auto p2 = send(make("PUT", "/media/big.bin?partNumber=2&uploadId=" + upload_id, part2));
  ASSERT_EQ(p1.status, 200);
  ASSERT_EQ(p2.status, 200);
  std::string complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + header(p1, "etag") +
                         "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + header(p2, "etag") +
                         "</ETag></Part></CompleteMultipartUpload>";
  auto done = send(make("POST", "/media/big.bin?uploadId=" + upload_id, complete));
  ASSERT_EQ(done.status, 200) << body_of(done);
  EXPECT_EQ(body_of(send(make("GET", "/media/big.bin"))), part1 + part2);
  auto malformed = send(make("POST", "/media/big.bin?uploadId=" + upload_id, "<Complete"));
  EXPECT_EQ(malformed.status, 400);
}

TEST_F(ServiceTest, BucketCorsPreflightAndResponseHeaders) {
  EXPECT_EQ(send(make("GET", "/media?cors")).status, 404);  // NoSuchCORSConfiguration
  std::string cors =
      "<CORSConfiguration><CORSRule><AllowedOrigin>http://*.example.com</AllowedOrigin>"
      "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>range</AllowedHeader>"
      "<ExposeHeader>x-oss-request-id</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>";
  ASSERT_EQ(send(make("PUT", "/media?cors", cors)).status, 200);
  EXPECT_EQ(body_of(send(make("GET", "/media?cors"))), cors);
  EXPECT_EQ(send(make("PUT", "/media?cors", "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                                            "</CORSRule></CORSConfiguration>")).status,
            400);

  auto preflight = [&](std::string origin, std::string method, std::string headers) {
    Request r = make("OPTIONS", "/media/v/clip.m3u8", {}, {{"Origin", origin}, {"Access-Control-Request-Method", method}},
                     false);
    if (!headers.empty()) r.headers.add("Access-Control-Request-Headers", headers);
    return send(std::move(r));
  };
  auto allowed = preflight("http://player.example.com", "GET", "Range");
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(header(allowed, "access-control-allow-origin"), "http://player.example.com");
  EXPECT_EQ(header(allowed, "access-control-allow-methods"), "GET, HEAD");
  EXPECT_EQ(header(allowed, "access-control-allow-headers"), "Range");
  EXPECT_EQ(header(allowed, "access-control-max-age"), "600");
  EXPECT_EQ(preflight("http://evil.test", "GET", "").status, 403);
  EXPECT_EQ(preflight("http://player.example.com", "PUT", "").status, 403);
  EXPECT_EQ(preflight("http://player.example.com", "GET", "x-custom").status, 403);

  ASSERT_EQ(send(make("PUT", "/media/v/clip.m3u8", "#EXTM3U\n")).status, 200);
  auto actual = send(make("GET", "/media/v/clip.m3u8", {}, {{"Origin", "http://player.example.com"}}));
  EXPECT_EQ(header(actual, "access-control-allow-origin"), "http://player.example.com");
  EXPECT_EQ(header(actual, "access-control-expose-headers"), "x-oss-request-id");
  auto error = send(make("GET", "/media/v/none.ts", {}, {{"Origin", "http://player.example.com"}}));
  EXPECT_EQ(error.status, 404);
  EXPECT_EQ(header(error, "access-control-allow-origin"), "http://player.example.com");  // readable by the page
  auto other = send(make("GET", "/media/v/clip.m3u8", {}, {{"Origin", "http://evil.test"}}));
  EXPECT_EQ(header(other, "access-control-allow-origin"), "");

  EXPECT_EQ(send(make("DELETE", "/media?cors")).status, 204);
  EXPECT_EQ(preflight("http://player.example.com", "GET", "").status, 403);
}

}  // namespace
}  // namespace osslive::oss
