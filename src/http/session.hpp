#pragma once
// One keep-alive connection: read a request (headers, then a body into memory or a spool
// file), hand it to the handler pool, write the response (string, file via sendfile, or a
// chunked stream), repeat. Every step runs on the connection's strand.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "osslive/http/server.hpp"
#include "spool_body.hpp"

namespace osslive::http {

// Shorthands for session.cpp and session_send.cpp, the two halves of Session.
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

inline std::chrono::milliseconds ms(int value) { return std::chrono::milliseconds(value); }

// What every session shares with the server.
struct SessionContext {
  SessionContext(ServerOptions options_in, Handlers handlers_in, RequestIdSource& ids, boost::asio::thread_pool& pool)
      : options(std::move(options_in)), handlers(std::move(handlers_in)), request_ids(ids), handler_pool(pool) {}
  ServerOptions options;
  Handlers handlers;
  RequestIdSource& request_ids;
  boost::asio::thread_pool& handler_pool;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> live_sessions{0};
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<SessionContext> context);
  ~Session();

  void run();
  // Server drain: an idle connection closes now, a busy one after its current response.
  void close_when_idle();

 private:
  using Clock = std::chrono::steady_clock;

  void read_header();
  void on_header(boost::beast::error_code ec);
  void start_body();
  template <class Parser>
  void read_body(Parser& parser);
  void on_body_done();
  void dispatch();
  bool wants_sha256() const;  // x-oss-content-sha256 states a digest to check
  void fail_request(const Error& error, bool close);

  void send(Response response);
  void send_simple(Response& response);
  void send_file(FileSlice slice, boost::beast::http::response_header<>&& header);
  void sendfile_some();
  void send_stream(std::shared_ptr<ByteStream> stream, boost::beast::http::response_header<>&& header);
  void stream_next();
  void on_stream_chunk(ByteStream::Chunk chunk);
  void finish_exchange(int status, std::uint64_t body_bytes);
  void set_cork(bool on);
  void drop_spool();
  void linger_then_close();
  void discard_some();
  void close();

  boost::beast::http::response_header<> make_header(Response& response);

  std::shared_ptr<SessionContext> context_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer send_timer_;  // sendfile and stream waits are outside tcp_stream's timers
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> header_parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> string_parser_;
  std::optional<boost::beast::http::request_parser<SpoolBody>> spool_parser_;

  Request request_;
  bool request_keep_alive_ = true;
  bool idle_ = true;
  bool close_after_response_ = false;
  bool closed_ = false;
  bool body_pending_ = false;  // answered before the request body was read to its end
  std::unique_ptr<std::array<char, 16384>> discard_buffer_;
  Clock::time_point started_;

  // Response in flight.
  std::shared_ptr<void> response_holder_;  // keeps the message and serializer alive during async writes
  std::optional<FileSlice> slice_;
  std::uint64_t slice_sent_ = 0;
  std::shared_ptr<ByteStream> byte_stream_;
  std::uint64_t stream_offset_ = 0;
  std::function<void()> stream_write_;  // writes the current chunk through the serializer
  int response_status_ = 0;
  bool response_keep_alive_ = true;
};

}  // namespace osslive::http
