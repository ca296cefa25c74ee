#pragma once
// Where Beast's messages meet osslive's own types: a parsed request header becomes a Request, and
// a Response's status and headers become the Beast header that is sent. Pure functions (no
// socket, no clock), so tests/unit/http checks them without a connection.
#include <boost/beast/http.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/http_message.hpp"

namespace osslive::http {

// "example.com:9000" -> "example.com", "[::1]:9000" -> "[::1]"; without a port, unchanged.
std::string host_without_port(std::string_view host);

// Method; the raw request-target, split at its first '?' into path and raw query (nothing is
// decoded here); every header field in arrival order with lower-case names; Host without its
// port; `remote` (the peer's address, for logs).
Request request_from_header(const boost::beast::http::request_header<>& message, std::string remote);

struct ResponseHeaderOptions {
  bool keep_alive = true;        // the connection stays open after this response
  int idle_timeout_ms = 0;       // announced as Keep-Alive: timeout=<s> (at least 1) when it does
  std::int64_t now_seconds = 0;  // the Date header's time, when the handler set none
};

struct MappedHeader {
  boost::beast::http::response_header<> header;
  std::vector<std::string> dropped;  // names of fields dropped for holding a line break
};

// HTTP/1.1, the handler's status and fields; a field whose name holds CR, LF or ':' or whose value
// holds CR or LF is dropped (the last guard against a header that ends early); Server and Date
// added when the handler set none; the Keep-Alive timeout hint when the connection stays open.
// Keep-alive itself is applied to the message by the session (Beast keeps it with the version).
MappedHeader response_header(const Response& response, const ResponseHeaderOptions& options);

}  // namespace osslive::http
