// A Server on a loopback port, driven by raw requests: what handlers receive (mapping, bodies in
// memory or spooled with their MD5), keep-alive, the early answers (precheck, header limit), a
// throwing handler, and streamed (chunked) responses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>

#include "osslive/core/digest.hpp"
#include "osslive/http/server.hpp"

namespace osslive::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;
using tcp = net::ip::tcp;

// What a handler saw of one request (the spooled file is read while it still exists).
struct Seen {
  Request request;
  std::string spooled;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spool_ = fs::temp_directory_path() / ("osslive-http-test-" + std::to_string(::getpid()));
    fs::create_directories(spool_);
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(spool_);
  }

  void start(Handlers handlers = {}) {
    ServerOptions options;
    options.http.listen = "127.0.0.1:0";
    options.http.io_threads = 1;
    options.http.handler_threads = 2;
    options.http.memory_body_bytes = 1024;
    options.http.max_header_bytes = 2048;
    options.spool_dir = spool_;
    if (!handlers.handle) {
      handlers.handle = [this](Request& request) {
        Seen seen{request, {}};
        if (request.body.file) {
          std::ifstream in(*request.body.file, std::ios::binary);
          seen.spooled.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        std::lock_guard lock(mutex_);
        seen_.push_back(std::move(seen));
        Response response;
        response.headers.set("content-type", "text/plain");
        response.body = std::string("answer to ") + request.method + " " + request.path;
        return response;
      };
    }
    if (!handlers.render_error) {
      handlers.render_error = [](const Request&, const Error& error) {
        Response response;
        response.status = error.http_status();
        response.body = error.to_string();
        return response;
      };
    }
    server_ = std::make_unique<Server>(options, handlers, ids_);
    auto port = server_->start();
    ASSERT_TRUE(port.ok()) << port.error().to_string();
    port_ = *port;
  }

  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

  fs::path spool_;
  RequestIdSource ids_{7};
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

// One raw connection.
struct Connection {
  explicit Connection(std::uint16_t port) { socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port)); }
  void send(const std::string& raw) { net::write(socket, net::buffer(raw)); }
  bhttp::response<bhttp::string_body> read() {
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    return response;
  }
  // True once the server has closed its side (nothing more to read).
  bool closed() {
    char byte;
    beast::error_code ec;
    socket.read_some(net::buffer(&byte, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::flat_buffer buffer;
};

TEST_F(ServerTest, HandlersGetTheMappedRequestAndAConnectionServesSeveral) {
  start();
  Connection c(port_);
  c.send("GET /b/a%20b.txt?acl&x=1 HTTP/1.1\r\nHost: b.localhost:9000\r\nX-Oss-Meta-K: v\r\n\r\n");
  auto first = c.read();
  EXPECT_EQ(first.result_int(), 200);
  EXPECT_EQ(first.body(), "answer to GET /b/a%20b.txt");
  EXPECT_EQ(first[bhttp::field::server], "osslive");
  EXPECT_TRUE(first.keep_alive());
  c.send("DELETE /b/k HTTP/1.1\r\nHost: h\r\n\r\n");
  auto second = c.read();
  EXPECT_EQ(second.body(), "answer to DELETE /b/k");
  auto requests = seen();
  ASSERT_EQ(requests.size(), 2u);
  const Request& r = requests[0].request;
  EXPECT_EQ(r.raw_query, "acl&x=1");
  EXPECT_EQ(r.host, "b.localhost");
  EXPECT_EQ(r.headers.get("x-oss-meta-k"), "v");
  EXPECT_EQ(r.body.md5, md5(std::string_view()));
  EXPECT_TRUE(r.remote.rfind("127.0.0.1:", 0) == 0) << r.remote;
  EXPECT_NE(r.request_id, requests[1].request.request_id);
  c.send("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(c.read().keep_alive());
  EXPECT_TRUE(c.closed());
}

TEST_F(ServerTest, SmallBodiesArriveInMemoryLargeOnesSpooledWithTheirMd5) {
  start();
  Connection c(port_);
  const std::string small(1000, 's');
  c.send("PUT /b/small HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\n" + small);
  EXPECT_EQ(c.read().result_int(), 200);
  std::string large;
  for (int i = 0; i < 5000; ++i) large += static_cast<char>('a' + i % 26);
  c.send("PUT /b/large HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n" + large);
  EXPECT_EQ(c.read().result_int(), 200);
  c.send("PUT /b/chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 200);
  auto requests = seen();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].request.body.data, small);
  EXPECT_FALSE(requests[0].request.body.file);
  EXPECT_EQ(requests[0].request.body.md5, md5(small));
  EXPECT_TRUE(requests[1].request.body.data.empty());
  ASSERT_TRUE(requests[1].request.body.file);
  EXPECT_EQ(requests[1].request.body.file->parent_path(), spool_);
  EXPECT_EQ(requests[1].spooled, large);
  EXPECT_EQ(requests[1].request.body.size, 5000u);
  EXPECT_EQ(requests[1].request.body.md5, md5(large));
  EXPECT_EQ(requests[2].spooled, "hello") << "a body of unknown length is spooled";
  EXPECT_EQ(requests[2].request.body.md5, md5("hello"));
  // Spool files no handler took go when the exchange ends, just after the answer is written.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!fs::is_empty(spool_) && std::chrono::steady_clock::now() < until) std::this_thread::yield();
  EXPECT_TRUE(fs::is_empty(spool_));
}

TEST_F(ServerTest, PrecheckAnswersBeforeALargeBodyIsRead) {
  std::atomic<int> handled{0};
  Handlers handlers;
  handlers.precheck = [](Request& request) -> std::optional<Response> {
    if (!request.headers.has("authorization")) {
      Response refused;
      refused.status = 403;
      refused.body = std::string("unsigned");
      return refused;
    }
    return std::nullopt;
  };
  handlers.handle = [&](Request&) {
    ++handled;
    return Response{};
  };
  start(handlers);
  Connection c(port_);
  // Only the headers: the answer must come without the 10 MB the request announces.
  c.send("PUT /b/huge HTTP/1.1\r\nHost: h\r\nContent-Length: 10000000\r\n\r\n");
  auto answer = c.read();
  EXPECT_EQ(answer.result_int(), 403);
  EXPECT_EQ(answer.body(), "unsigned");
  EXPECT_FALSE(answer.keep_alive()) << "the unread body makes the connection unusable";
  EXPECT_EQ(handled, 0);
}

TEST_F(ServerTest, OversizedHeadersAndMalformedRequestsGetAnErrorThenTheConnectionCloses) {
  start();
  Connection big(port_);
  big.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(4000, 'x') + "\r\n\r\n");
  auto answer = big.read();
  EXPECT_EQ(answer.result_int(), 400);
  EXPECT_EQ(answer.body(), "InvalidRequest: request headers exceed the limit of 2048 bytes");
  EXPECT_TRUE(big.closed());
  Connection bad(port_);
  bad.send("GET / HTTP/1.1\r\nHost: h\r\nBroken header line\r\n\r\n");
  auto malformed = bad.read();
  EXPECT_EQ(malformed.result_int(), 400);
  EXPECT_EQ(malformed.body().rfind("InvalidRequest: malformed HTTP request", 0), 0u) << malformed.body();
  EXPECT_TRUE(bad.closed());
  EXPECT_TRUE(seen().empty());
}

TEST_F(ServerTest, AHandlerThatThrowsGetsAnInternalErrorAnswer) {
  Handlers handlers;
  handlers.handle = [](Request&) -> Response { throw std::runtime_error("boom"); };
  start(handlers);
  Connection c(port_);
  c.send("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");
  auto answer = c.read();
  EXPECT_EQ(answer.result_int(), 500);
  EXPECT_EQ(answer.body(), "InternalError: boom");
  c.send("GET /again HTTP/1.1\r\nHost: h\r\n\r\n");
  EXPECT_EQ(c.read().result_int(), 500) << "the connection still serves";
}

// A stream that hands out its chunks as they are asked for, or fails before the first.
class ListStream final : public ByteStream {
 public:
  ListStream(std::vector<std::string> chunks, std::optional<Error> error = std::nullopt)
      : chunks_(std::move(chunks)), error_(std::move(error)) {}
  void async_read(std::uint64_t offset, std::function<void(Chunk)> on_chunk) override {
    if (error_) return on_chunk(Chunk{nullptr, 0, 0, false, error_});
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < chunks_.size(); ++i) {
      if (offset < at + chunks_[i].size()) {
        auto bytes = std::make_shared<const std::string>(chunks_[i]);
        auto begin = static_cast<std::size_t>(offset - at);
        return on_chunk(Chunk{bytes, begin, bytes->size() - begin, i + 1 == chunks_.size(), std::nullopt});
      }
      at += chunks_[i].size();
    }
    on_chunk(Chunk{nullptr, 0, 0, true, std::nullopt});
  }

 private:
  std::vector<std::string> chunks_;
  std::optional<Error> error_;
};

TEST_F(ServerTest, StreamedBodiesGoOutChunkedAndAStreamFailingFirstGetsAnErrorAnswer) {
  Handlers handlers;
  handlers.handle = [](Request& request) {
    Response response;
    if (request.path == "/fails") response.body = std::make_shared<ListStream>(std::vector<std::string>{},
                                                                               Error(Errc::SourceChanged, "gone"));
    else response.body = std::make_shared<ListStream>(std::vector<std::string>{"first ", "second ", "third"});
    return response;
  };
  start(handlers);
  Connection c(port_);
  c.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n");
  auto streamed = c.read();
  EXPECT_EQ(streamed.result_int(), 200);
  EXPECT_TRUE(streamed.chunked());
  EXPECT_EQ(streamed.body(), "first second third");
  c.send("GET /fails HTTP/1.1\r\nHost: h\r\n\r\n");
  auto failed = c.read();
  EXPECT_EQ(failed.result_int(), 409);
  EXPECT_EQ(failed.body(), "SourceChanged: gone");
}

}  // namespace
}  // namespace osslive::http
