#include "message_mapping.hpp"

#include <algorithm>

#include "osslive/core/strings.hpp"

namespace osslive::http {

namespace bhttp = boost::beast::http;

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // [::1]:9000
    auto end = host.find(']');
    return std::string(host.substr(0, end == std::string_view::npos ? host.size() : end + 1));
  }
  auto colon = host.rfind(':');
  return std::string(colon == std::string_view::npos ? host : host.substr(0, colon));
}

Request request_from_header(const bhttp::request_header<>& message, std::string remote) {
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.raw_query = request.target.substr(question + 1);
  for (const auto& field : message) request.headers.add(field.name_string(), field.value());
  request.host = host_without_port(message[bhttp::field::host]);
  request.remote = std::move(remote);
  return request;
}

MappedHeader response_header(const Response& response, const ResponseHeaderOptions& options) {
  MappedHeader out;
  auto& header = out.header;
  header.version(11);
  header.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.fields()) {
    if (value.find_first_of("\r\n") != std::string::npos || name.find_first_of("\r\n:") != std::string::npos) {
      out.dropped.push_back(name);
      continue;
    }
    auto field = bhttp::string_to_field(name);
    if (field != bhttp::field::unknown) header.insert(field, value);
    else header.insert(name, value);
  }
  if (header.find(bhttp::field::server) == header.end()) header.set(bhttp::field::server, "osslive");
  if (header.find(bhttp::field::date) == header.end()) header.set(bhttp::field::date, http_date(options.now_seconds));
  // The idle timeout as a hint: clients that honour it (undici / Node fetch, curl) stop reusing
  // the connection before the server closes it, instead of racing a request into the close.
  if (options.keep_alive && header.find(bhttp::field::keep_alive) == header.end())
    header.set(bhttp::field::keep_alive, "timeout=" + std::to_string(std::max(1, options.idle_timeout_ms / 1000)));
  return out;
}

}  // namespace osslive::http
