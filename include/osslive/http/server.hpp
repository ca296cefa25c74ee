#pragma once
// The HTTP front end: an asynchronous Beast server on a small I/O thread pool. Request
// handling runs on a separate handler pool, so slow handlers never stall the sockets.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "osslive/core/config.hpp"
#include "osslive/core/http_message.hpp"
#include "osslive/core/request_id.hpp"

namespace osslive::http {

// What the server calls. `precheck` runs as soon as the headers are in, before a large body
// is received (e.g. to refuse an unsigned 2 GB upload at once); returning a response ends the
// request there. `handle` gets the whole request; `on_complete` observes each finished exchange.
struct Handlers {
  std::function<std::optional<Response>(Request&)> precheck;
  std::function<Response(Request&)> handle;
  std::function<Response(const Request&, const Error&)> render_error;
  std::function<void(const Request&, int status, std::uint64_t body_bytes, std::chrono::microseconds)> on_complete;
};

struct ServerOptions {
  HttpConfig http;
  std::filesystem::path spool_dir;  // where large request bodies are written (same file system as the store)
  // Ends every spool file's name: the store's owner mark (FsBucketStore::temp_suffix), so a node
  // sharing the folder never removes another node's body being received.
  std::string spool_name_suffix;
};

class Server {
 public:
  Server(ServerOptions options, Handlers handlers, RequestIdSource& request_ids);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads; returns the bound port (useful with port 0).
  Result<std::uint16_t> start();
  // Stops accepting, lets in-flight requests finish (up to drain_timeout_ms), closes idle
  // connections and joins the threads.
  void drain_and_stop();
  // Blocks until SIGINT or SIGTERM, then drains.
  void wait_for_signal();

  std::size_t active_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace osslive::http
