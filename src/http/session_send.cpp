// The writing half of a Session: a response's header, then its body from memory, a file
// (sendfile, corked) or a stream of chunks. session.cpp reads requests and owns the lifecycle.
#include "session.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <spdlog/spdlog.h>

#include "message_mapping.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::http {
namespace {

constexpr std::size_t kSendfileBurst = 8u << 20;  // yield the strand after this much, for fairness

}  // namespace

bhttp::response_header<> Session::make_header(Response& response) {
  bool keep = request_keep_alive_ && !close_after_response_ && !context_->draining;
  response_keep_alive_ = keep;  // applied to the message: Beast keeps it in the version/Connection pair
  if (!keep) close_after_response_ = true;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  MappedHeader mapped = response_header(response, {keep, context_->options.http.idle_timeout_ms, now.count()});
  for (const auto& name : mapped.dropped)
    spdlog::error("{} dropped response header {} with a line break", request_.request_id, name);
  return std::move(mapped.header);
}

void Session::send(Response response) {
  if (closed_) return;
  response_status_ = response.status;
  auto header = make_header(response);
  bool no_body_status = response.status == 304 || response.status == 204 || response.status < 200;

  if (auto* slice = std::get_if<FileSlice>(&response.body); slice && !response.omit_body && !no_body_status)
    return send_file(std::move(*slice), std::move(header));
  if (auto* stream = std::get_if<std::shared_ptr<ByteStream>>(&response.body);
      stream && !response.omit_body && !no_body_status)
    return send_stream(std::move(*stream), std::move(header));

  if (response.omit_body || no_body_status) {
    auto message = std::make_shared<bhttp::response<bhttp::empty_body>>(std::move(header));
    message->keep_alive(response_keep_alive_);
    if (!no_body_status && message->find(bhttp::field::content_length) == message->end()) {
      std::uint64_t length = 0;
      if (auto* text = std::get_if<std::string>(&response.body)) length = text->size();
      if (auto* slice = std::get_if<FileSlice>(&response.body)) length = slice->length;
      message->content_length(length);
    }
    stream_.expires_after(ms(context_->options.http.write_timeout_ms));
    bhttp::async_write(stream_, *message, [self = shared_from_this(), message](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->finish_exchange(self->response_status_, 0);
    });
    return;
  }
  auto message = std::make_shared<bhttp::response<bhttp::string_body>>(std::move(header));
  message->keep_alive(response_keep_alive_);
  message->body() = std::move(std::get<std::string>(response.body));
  message->prepare_payload();
  std::uint64_t size = message->body().size();
  stream_.expires_after(ms(context_->options.http.write_timeout_ms));
  bhttp::async_write(stream_, *message, [self = shared_from_this(), message, size](beast::error_code ec, std::size_t) {
    if (ec) return self->close();
    self->finish_exchange(self->response_status_, size);
  });
}

void Session::send_file(FileSlice slice, bhttp::response_header<>&& header) {
  auto message = std::make_shared<bhttp::response<bhttp::empty_body>>(std::move(header));
  message->keep_alive(response_keep_alive_);
  message->content_length(slice.length);
  auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*message);
  response_holder_ = serializer;
  slice_ = std::move(slice);
  slice_sent_ = 0;
  // Corked, the header and the file leave in full-sized segments instead of a small header packet
  // and whatever each sendfile call hands over (nginx's tcp_nopush; about 1.5x the rate of large
  // stored segments on loopback). Uncorked when the file is out, which flushes the tail.
  set_cork(true);
  stream_.expires_after(ms(context_->options.http.write_timeout_ms));
  bhttp::async_write_header(stream_, *serializer,
                            [self = shared_from_this(), message, serializer](beast::error_code ec, std::size_t) {
                              if (ec) return self->close();
                              self->stream_.expires_never();
                              self->sendfile_some();
                            });
}

void Session::set_cork(bool on) {
  int value = on ? 1 : 0;
  // Best effort: without it the bytes still go out, only in smaller packets.
  ::setsockopt(stream_.socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
}

void Session::sendfile_some() {
  auto& socket = stream_.socket();
  beast::error_code ec;
  socket.native_non_blocking(true, ec);
  if (ec) return close();
  std::size_t burst = 0;
  while (slice_sent_ < slice_->length) {
    if (burst >= kSendfileBurst) {
      net::post(stream_.get_executor(), [self = shared_from_this()] { self->sendfile_some(); });
      return;
    }
    off_t offset = static_cast<off_t>(slice_->offset + slice_sent_);
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(slice_->length - slice_sent_, 1u << 20));
    ssize_t sent = ::sendfile(socket.native_handle(), slice_->file->fd(), &offset, want);
    if (sent > 0) {
      slice_sent_ += static_cast<std::uint64_t>(sent);
      burst += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      send_timer_.expires_after(ms(context_->options.http.write_timeout_ms));
      send_timer_.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
        if (!timer_ec) self->close();  // the client stopped reading
      });
      socket.async_wait(tcp::socket::wait_write, [self = shared_from_this()](beast::error_code wait_ec) {
        self->send_timer_.cancel();
        if (wait_ec) return self->close();
        self->sendfile_some();
      });
      return;
    }
    // sendfile failed or the file ended early (it cannot shrink: writers replace by rename).
    spdlog::warn("{} sendfile stopped after {} of {} bytes: {}", request_.request_id, slice_sent_, slice_->length,
                 sent < 0 ? std::strerror(errno) : "unexpected end of file");
    return close();
  }
  set_cork(false);
  std::uint64_t sent = slice_sent_;
  slice_.reset();
  response_holder_.reset();
  finish_exchange(response_status_, sent);
}

namespace {
struct StreamResponse {
  explicit StreamResponse(bhttp::response_header<>&& header) : message(std::move(header)), serializer(message) {}
  bhttp::response<bhttp::buffer_body> message;
  bhttp::response_serializer<bhttp::buffer_body> serializer;
  std::shared_ptr<const std::string> chunk;  // the bytes the serializer points at
  bool header_sent = false;
};
}  // namespace

void Session::send_stream(std::shared_ptr<ByteStream> stream, bhttp::response_header<>&& header) {
  auto state = std::make_shared<StreamResponse>(std::move(header));
  state->message.keep_alive(response_keep_alive_);
  state->message.chunked(true);
  state->message.body().data = nullptr;
  state->message.body().more = true;
  response_holder_ = state;
  byte_stream_ = std::move(stream);
  stream_offset_ = 0;
  stream_next();
}

void Session::stream_next() {
  // The callback owns the session: while a segment is being made no socket operation is pending,
  // so nothing else keeps it alive. Every stream ends (data, end or error), which releases it.
  byte_stream_->async_read(stream_offset_, [self = shared_from_this()](ByteStream::Chunk chunk) {
    net::post(self->stream_.get_executor(),
              [self, chunk = std::move(chunk)]() mutable { self->on_stream_chunk(std::move(chunk)); });
  });
}

void Session::on_stream_chunk(ByteStream::Chunk chunk) {
  if (closed_) return;
  auto state = std::static_pointer_cast<StreamResponse>(response_holder_);
  if (chunk.error) {
    if (!state->header_sent) {  // nothing sent yet: a proper error response is still possible
      byte_stream_.reset();
      response_holder_.reset();
      return send(context_->handlers.render_error(request_, *chunk.error));
    }
    spdlog::warn("{} stream failed after {} bytes: {}", request_.request_id, stream_offset_, chunk.error->to_string());
    return close();  // the client sees a truncated chunked body, never a wrong one
  }
  state->header_sent = true;
  auto& body = state->message.body();
  bool end = chunk.end;
  if (chunk.size > 0) {
    state->chunk = chunk.bytes;
    body.data = const_cast<char*>(chunk.bytes->data() + chunk.begin);
    body.size = chunk.size;
    body.more = true;
  } else {
    body.data = nullptr;
    body.size = 0;
    body.more = !end;
  }
  std::size_t size = chunk.size;
  stream_.expires_after(ms(context_->options.http.write_timeout_ms));
  bhttp::async_write(stream_, state->serializer,
                     [self = shared_from_this(), state, size, end](beast::error_code ec, std::size_t) {
                       if (ec == bhttp::error::need_buffer) ec = {};
                       if (ec) return self->close();
                       self->stream_offset_ += size;
                       if (size > 0 && end) {  // data written; now the final empty chunk
                         self->on_stream_chunk(ByteStream::Chunk{nullptr, 0, 0, true, std::nullopt});
                         return;
                       }
                       if (end) {
                         std::uint64_t total = self->stream_offset_;
                         self->byte_stream_.reset();
                         self->response_holder_.reset();
                         return self->finish_exchange(self->response_status_, total);
                       }
                       self->stream_next();
                     });
}

}  // namespace osslive::http
