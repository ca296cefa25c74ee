#include "message_mapping.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "osslive/core/strings.hpp"

namespace osslive::http {
namespace {

namespace bhttp = boost::beast::http;

// The header as the session gets it: raw bytes through Beast's parser.
Request parsed(const std::string& raw, std::string remote = "127.0.0.1:5000") {
  bhttp::request_parser<bhttp::empty_body> parser;
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(raw), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_header_done());
  return request_from_header(parser.get(), std::move(remote));
}

TEST(RequestFromHeader, SplitsTheTargetAtItsFirstQuestionMarkAndDecodesNothing) {
  Request r = parsed("GET /media/dir/a%20b%2Bc.ts?x-oss-process=hls%2Fsign%2Clive_1&a=1?b&c HTTP/1.1\r\n"
                     "Host: media.localhost:9000\r\n\r\n");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/media/dir/a%20b%2Bc.ts?x-oss-process=hls%2Fsign%2Clive_1&a=1?b&c");
  EXPECT_EQ(r.path, "/media/dir/a%20b%2Bc.ts");
  EXPECT_EQ(r.raw_query, "x-oss-process=hls%2Fsign%2Clive_1&a=1?b&c");
  EXPECT_EQ(r.host, "media.localhost");
  EXPECT_EQ(r.remote, "127.0.0.1:5000");
  EXPECT_TRUE(r.query.params().empty()) << "the query is parsed by the OSS layer, not here";
}

TEST(RequestFromHeader, TargetsWithoutOrWithAnEmptyQuery) {
  Request root = parsed("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(root.path, "/");
  EXPECT_EQ(root.raw_query, "");
  Request empty = parsed("HEAD /b/k? HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(empty.method, "HEAD");
  EXPECT_EQ(empty.path, "/b/k");
  EXPECT_EQ(empty.raw_query, "");
  EXPECT_EQ(empty.target, "/b/k?");
  Request uploads = parsed("POST /b/k?uploads HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(uploads.method, "POST");
  EXPECT_EQ(uploads.raw_query, "uploads");
}

TEST(RequestFromHeader, KeepsEveryFieldInOrderUnderLowerCaseNames) {
  Request r = parsed("PUT /b/k HTTP/1.1\r\nHost: h\r\nX-Oss-Meta-A: one\r\nx-oss-meta-a: two\r\n"
                     "Content-Type: text/plain\r\nContent-Length: 0\r\nAuthorization: OSS ak:sig\r\n\r\n");
  std::vector<std::pair<std::string, std::string>> want{{"host", "h"}, {"x-oss-meta-a", "one"}, {"x-oss-meta-a", "two"},
      {"content-type", "text/plain"}, {"content-length", "0"}, {"authorization", "OSS ak:sig"}};
  EXPECT_EQ(r.headers.fields(), want);
  EXPECT_EQ(r.headers.get("Content-Type"), "text/plain");
}

TEST(RequestFromHeader, HostWithoutItsPort) {
  EXPECT_EQ(parsed("GET / HTTP/1.1\r\nHost: [::1]:9000\r\n\r\n").host, "[::1]");
  EXPECT_EQ(parsed("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n").host, "[::1]");
  EXPECT_EQ(parsed("GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n").host, "127.0.0.1");
  EXPECT_EQ(parsed("GET / HTTP/1.1\r\nHost: bucket.oss-cn-hangzhou.aliyuncs.com\r\n\r\n").host,
            "bucket.oss-cn-hangzhou.aliyuncs.com");
  EXPECT_EQ(parsed("GET / HTTP/1.0\r\n\r\n").host, "");
  EXPECT_EQ(host_without_port("h:"), "h");
  EXPECT_EQ(host_without_port("[::1"), "[::1");
}

std::string wire(const MappedHeader& mapped) {
  bhttp::response<bhttp::empty_body> message(mapped.header);
  std::ostringstream out;
  out << message.base();
  return out.str();
}

TEST(ResponseHeader, StatusAndFieldsAsTheHandlerSetThem) {
  Response r;
  r.status = 206;
  r.headers.add("content-range", "bytes 0-1/100");
  r.headers.add("x-oss-request-id", "ABC");
  r.headers.add("x-oss-meta-a", "1");
  r.headers.add("x-oss-meta-a", "2");
  MappedHeader mapped = response_header(r, {true, 60'000, 1'796'249'370});
  EXPECT_TRUE(mapped.dropped.empty());
  EXPECT_EQ(wire(mapped),
            "HTTP/1.1 206 Partial Content\r\n"
            "Content-Range: bytes 0-1/100\r\n"
            "x-oss-request-id: ABC\r\n"
            "x-oss-meta-a: 1\r\n"
            "x-oss-meta-a: 2\r\n"
            "Server: osslive\r\n"
            "Date: " + http_date(1'796'249'370) + "\r\n"
            "Keep-Alive: timeout=60\r\n\r\n");
}

TEST(ResponseHeader, ALineBreakInANameOrValueDropsThatFieldOnly) {
  Response r;
  r.headers.add("x-oss-meta-a", "ok");
  r.headers.add("x-oss-meta-b", "evil\r\nSet-Cookie: x=1");
  r.headers.add("x-bad:name", "v");
  r.headers.add("x-oss-meta-c", "line\nfeed");
  MappedHeader mapped = response_header(r, {false, 60'000, 0});
  EXPECT_EQ(mapped.dropped, (std::vector<std::string>{"x-oss-meta-b", "x-bad:name", "x-oss-meta-c"}));
  const std::string text = wire(mapped);
  EXPECT_NE(text.find("x-oss-meta-a: ok\r\n"), std::string::npos);
  EXPECT_EQ(text.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(text.find("evil"), std::string::npos);
  EXPECT_EQ(text.find("x-bad"), std::string::npos);
}

TEST(ResponseHeader, TheHandlersServerAndDateWin) {
  Response r;
  r.headers.add("server", "AliyunOSS");
  r.headers.add("date", "Thu, 01 Jan 1970 00:00:00 GMT");
  const std::string text = wire(response_header(r, {true, 60'000, 1'796'249'370}));
  EXPECT_NE(text.find("Server: AliyunOSS\r\n"), std::string::npos);
  EXPECT_EQ(text.find("osslive"), std::string::npos);
  EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"), std::string::npos);
  EXPECT_EQ(text.find("2026"), std::string::npos);
}

TEST(ResponseHeader, KeepAliveHintOnlyWhenTheConnectionStaysOpen) {
  Response r;
  EXPECT_NE(wire(response_header(r, {true, 1'500, 0})).find("Keep-Alive: timeout=1\r\n"), std::string::npos);
  EXPECT_NE(wire(response_header(r, {true, 400, 0})).find("Keep-Alive: timeout=1\r\n"), std::string::npos)
      << "never timeout=0: clients read that as do not reuse at all";
  EXPECT_NE(wire(response_header(r, {true, 90'000, 0})).find("Keep-Alive: timeout=90\r\n"), std::string::npos);
  EXPECT_EQ(wire(response_header(r, {false, 90'000, 0})).find("Keep-Alive"), std::string::npos);
  Response own;
  own.headers.add("keep-alive", "timeout=5, max=10");
  const std::string text = wire(response_header(own, {true, 90'000, 0}));
  EXPECT_NE(text.find("Keep-Alive: timeout=5, max=10\r\n"), std::string::npos);
  EXPECT_EQ(text.find("timeout=90"), std::string::npos);
}

}  // namespace
}  // namespace osslive::http
