#include "session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "message_mapping.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::http {
namespace {

// After an early answer (507, 413-like 400, 403 before the body) the client may still be sending:
// closing with unread bytes makes the kernel send a reset, and most clients then lose the answer
// (they see EPIPE / ECONNRESET instead). So the session shuts its sending side, reads and drops
// what still arrives for at most this long (nginx's lingering close), then closes.
constexpr int kLingerMs = 5000;

}  // namespace

Session::Session(tcp::socket&& socket, std::shared_ptr<SessionContext> context)
    : context_(std::move(context)), stream_(std::move(socket)), send_timer_(stream_.get_executor()) {
  ++context_->live_sessions;
}

Session::~Session() {
  if (request_.body.file) {
    std::error_code ignored;
    std::filesystem::remove(*request_.body.file, ignored);
  }
  if (spool_parser_ && !spool_parser_->get().body().path.empty()) {
    std::error_code ignored;
    std::filesystem::remove(spool_parser_->get().body().path, ignored);
  }
  --context_->live_sessions;
}

void Session::run() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
}

void Session::close_when_idle() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->close_after_response_ = true;
    if (self->idle_) self->close();
  });
}

void Session::read_header() {
  if (closed_) return;
  if (context_->draining || close_after_response_) return close();
  idle_ = true;
  body_pending_ = false;
  request_ = Request{};
  string_parser_.reset();
  spool_parser_.reset();
  header_parser_.emplace();
  header_parser_->header_limit(static_cast<std::uint32_t>(context_->options.http.max_header_bytes));
  header_parser_->body_limit(context_->options.http.max_object_bytes);
  stream_.expires_after(ms(context_->options.http.idle_timeout_ms));
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void Session::on_header(beast::error_code ec) {
  idle_ = false;
  if (ec) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof || closed_)
      return close();
    // Malformed or oversized headers: answer once, then close (the stream is out of sync).
    body_pending_ = true;
    started_ = Clock::now();
    request_.request_id = context_->request_ids.next();
    request_.method = "GET";
    Error error = ec == bhttp::error::header_limit
                      ? Error(Errc::InvalidRequest, "request headers exceed the limit of " +
                                                        std::to_string(context_->options.http.max_header_bytes) + " bytes")
                      : Error(Errc::InvalidRequest, "malformed HTTP request: " + ec.message());
    return fail_request(error, true);
  }
  started_ = Clock::now();
  const auto& message = header_parser_->get();
  beast::error_code remote_ec;
  auto remote = stream_.socket().remote_endpoint(remote_ec);
  request_ = request_from_header(message, remote_ec ? std::string()
                                                    : remote.address().to_string() + ":" + std::to_string(remote.port()));
  request_.request_id = context_->request_ids.next();
  request_keep_alive_ = message.keep_alive();
  start_body();
}

void Session::start_body() {
  auto& parser = *header_parser_;
  if (parser.is_done()) {
    // No body at all is still a body whose MD5 a Content-MD5 header may state (ali-oss sends
    // it for a zero-byte put).
    request_.body.md5 = md5(std::string_view());
    if (wants_sha256()) request_.body.sha256 = sha256(std::string_view());
    return dispatch();
  }

  body_pending_ = true;
  auto length = parser.content_length();
  const auto& http = context_->options.http;
  if (length && *length > http.max_object_bytes)
    return fail_request(Error(Errc::EntityTooLarge, "request body of " + std::to_string(*length) +
                                                        " bytes exceeds the limit of " +
                                                        std::to_string(http.max_object_bytes)),
                        true);
  bool spool = !length || *length > http.memory_body_bytes;
  if (spool && context_->handlers.precheck) {
    if (auto early = context_->handlers.precheck(request_)) {
      close_after_response_ = true;  // the unread body makes the connection unusable
      return send(std::move(*early));
    }
  }

  auto begin = [self = shared_from_this(), spool] {
    if (spool) {
      self->spool_parser_.emplace(std::move(*self->header_parser_));
      self->spool_parser_->body_limit(self->context_->options.http.max_object_bytes);
      self->spool_parser_->get().body().dir = self->context_->options.spool_dir;
      self->spool_parser_->get().body().name_suffix = self->context_->options.spool_name_suffix;
      if (self->wants_sha256()) self->spool_parser_->get().body().sha256.emplace();
      self->read_body(*self->spool_parser_);
    } else {
      self->string_parser_.emplace(std::move(*self->header_parser_));
      self->string_parser_->body_limit(self->context_->options.http.memory_body_bytes);
      self->read_body(*self->string_parser_);
    }
  };
  auto expect = request_.headers.get("expect");
  if (expect && iequals(*expect, "100-continue")) {
    auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
    stream_.expires_after(ms(http.write_timeout_ms));
    bhttp::async_write(stream_, *interim,
                       [self = shared_from_this(), interim, begin](beast::error_code ec, std::size_t) {
                         if (ec) return self->close();
                         begin();
                       });
    return;
  }
  begin();
}

template <class Parser>
void Session::read_body(Parser& parser) {
  // A deadline per read, not per body: a 2 GB upload may take minutes, a stalled one may not.
  stream_.expires_after(ms(context_->options.http.read_timeout_ms));
  bhttp::async_read_some(stream_, buffer_, parser,
                         [self = shared_from_this(), &parser](beast::error_code ec, std::size_t) {
                           if (ec) {
                             if (ec == bhttp::error::body_limit) {
                               int err = self->spool_parser_ ? self->spool_parser_->get().body().write_errno : 0;
                               if (err != 0) return self->fail_request(io_error(err, "storing the request body"), true);
                               return self->fail_request(
                                   Error(Errc::EntityTooLarge, "request body exceeds the configured limit"), true);
                             }
                             return self->close();  // client gone or too slow: nothing to answer
                           }
                           if (parser.is_done()) return self->on_body_done();
                           self->read_body(parser);
                         });
}

void Session::on_body_done() {
  body_pending_ = false;
  if (string_parser_) {
    request_.body.data = std::move(string_parser_->get().body());
    request_.body.size = request_.body.data.size();
    request_.body.md5 = md5(request_.body.data);
    if (wants_sha256()) request_.body.sha256 = sha256(request_.body.data);
  } else if (spool_parser_) {
    auto& body = spool_parser_->get().body();
    if (body.file.file().valid()) {
      auto synced = body.file.file().sync();
      if (!synced.ok()) return fail_request(synced.error(), true);
      body.file.reset(FileHandle());
      request_.body.file = body.path;
      body.path.clear();
    }
    request_.body.size = body.size;
    request_.body.md5 = body.md5.finish();
    if (body.sha256) request_.body.sha256 = body.sha256->finish();
  }
  dispatch();
}

// Hashed while the body arrives, so a spooled body is never read twice.
bool Session::wants_sha256() const {
  auto stated = request_.headers.get("x-oss-content-sha256");
  return stated && is_sha256_hex(*stated);
}

void Session::dispatch() {
  stream_.expires_never();
  net::post(context_->handler_pool, [self = shared_from_this()] {
    Response response;
    try {
      response = self->context_->handlers.handle(self->request_);
    } catch (const std::exception& e) {
      spdlog::error("{} handler threw: {}", self->request_.request_id, e.what());
      response = self->context_->handlers.render_error(self->request_, Error(Errc::InternalError, e.what()));
    }
    net::post(self->stream_.get_executor(),
              [self, response = std::move(response)]() mutable { self->send(std::move(response)); });
  });
}

void Session::fail_request(const Error& error, bool close) {
  if (close) close_after_response_ = true;
  send(context_->handlers.render_error(request_, error));
}

void Session::finish_exchange(int status, std::uint64_t body_bytes) {
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
  if (context_->handlers.on_complete) context_->handlers.on_complete(request_, status, body_bytes, elapsed);
  if (request_.body.file) {
    std::error_code ignored;
    std::filesystem::remove(*request_.body.file, ignored);  // not taken by a handler
    request_.body.file.reset();
  }
  if (close_after_response_ || context_->draining) return body_pending_ ? linger_then_close() : close();
  read_header();
}

void Session::drop_spool() {
  if (!spool_parser_) return;
  auto& body = spool_parser_->get().body();
  body.file.reset(FileHandle());  // a full disk gets its space back now, not when the linger ends
  if (!body.path.empty()) {
    std::error_code ignored;
    std::filesystem::remove(body.path, ignored);
    body.path.clear();
  }
}

void Session::linger_then_close() {
  if (closed_) return;
  drop_spool();
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);  // the client reads the answer, then EOF
  if (ec) return close();
  if (!discard_buffer_) discard_buffer_ = std::make_unique<std::array<char, 16384>>();
  stream_.expires_after(ms(std::min(kLingerMs, context_->options.http.read_timeout_ms)));
  discard_some();
}

void Session::discard_some() {
  stream_.async_read_some(net::buffer(*discard_buffer_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (ec) return self->close();  // the client finished or left, or the linger ended
                            self->discard_some();
                          });
}

void Session::close() {
  if (closed_) return;
  closed_ = true;
  // A body still being received goes now, before the client can see the connection end (not
  // when the last handler lets go of the session).
  drop_spool();
  beast::error_code ec;
  send_timer_.cancel();
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();
}

}  // namespace osslive::http
