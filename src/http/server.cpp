#include "osslive/http/server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <list>
#include <mutex>
#include <spdlog/spdlog.h>
#include <thread>

#include "osslive/core/strings.hpp"
#include "session.hpp"

namespace osslive::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

int from_machine(int configured, int minimum, int per_core) {
  if (configured > 0) return configured;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::max(minimum, cores * per_core);
}

Result<tcp::endpoint> parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return Error(Errc::InvalidArgument, "listen must be HOST:PORT, got " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = parse_int(listen.substr(colon + 1));
  if (!port || *port > 65535) return Error(Errc::InvalidArgument, "listen port must be 0..65535, got " + listen);
  boost::system::error_code ec;
  auto address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return Error(Errc::InvalidArgument, "listen host must be an IP address, got " + host);
  return tcp::endpoint(address, static_cast<unsigned short>(*port));
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handlers handlers, RequestIdSource& request_ids)
      : handler_pool_(static_cast<std::size_t>(from_machine(options.http.handler_threads, 4, 2))),
        io_threads_(from_machine(options.http.io_threads, 2, 1)),
        acceptor_(net::make_strand(ioc_)) {
    context_ = std::make_shared<SessionContext>(std::move(options), std::move(handlers), request_ids, handler_pool_);
  }

  ~Impl() { drain_and_stop(); }

  Result<std::uint16_t> start() {
    OSSLIVE_ASSIGN(auto endpoint, parse_listen(context_->options.http.listen));
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Error(Errc::InternalError, "cannot listen on " + context_->options.http.listen + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    accept();
    for (int i = 0; i < io_threads_; ++i) threads_.emplace_back([this] { ioc_.run(); });
    started_ = true;
    return port_;
  }

  void drain_and_stop() {
    if (!started_ || stopped_) return;
    stopped_ = true;
    context_->draining = true;
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      accept_backoff_.cancel();
    });
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(context_->options.http.drain_timeout_ms);
    // Busy sessions finish their response and close; idle ones close at once. Repeat, since a
    // session that was busy a moment ago may be idle now.
    while (context_->live_sessions > 0 && std::chrono::steady_clock::now() < deadline) {
      close_idle_sessions();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (context_->live_sessions > 0)
      spdlog::warn("drain timeout: {} connections still open", context_->live_sessions.load());
    ioc_.stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    handler_pool_.join();
  }

  void wait_for_signal() {
    net::io_context signal_context;
    net::signal_set signals(signal_context, SIGINT, SIGTERM);
    signals.async_wait([](const boost::system::error_code&, int signal) {
      spdlog::info("received signal {}, draining in-flight requests", signal);
    });
    signal_context.run();
    drain_and_stop();
  }

  std::size_t active_connections() const { return context_->live_sessions; }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        if (context_->live_sessions >= context_->options.http.max_connections) {
          boost::system::error_code ignored;
          socket.close(ignored);  // over the connection limit: refuse cheaply
        } else {
          auto session = std::make_shared<Session>(std::move(socket), context_);
          remember(session);
          session->run();
        }
      } else if (ec == net::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
                 ec == net::error::no_buffer_space || ec == net::error::no_memory) {
        // Out of descriptors or memory: accepting again at once would spin on the same error.
        // Pause, so the connections being served can finish and give descriptors back.
        spdlog::warn("accept: {}; pausing new connections for {} ms", ec.message(), kAcceptBackoffMs);
        accept_backoff_.expires_after(std::chrono::milliseconds(kAcceptBackoffMs));
        accept_backoff_.async_wait([this](boost::system::error_code wait) {
          if (!wait && acceptor_.is_open()) accept();
        });
        return;
      }
      accept();
    });
  }

  void remember(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(sessions_mutex_);
    if (++remembered_since_prune_ > 1024) {
      sessions_.remove_if([](const auto& weak) { return weak.expired(); });
      remembered_since_prune_ = 0;
    }
    sessions_.push_back(session);
  }

  void close_idle_sessions() {
    std::lock_guard lock(sessions_mutex_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (auto session = it->lock()) {
        session->close_when_idle();
        ++it;
      } else {
        it = sessions_.erase(it);
      }
    }
  }

  net::io_context ioc_;
  net::thread_pool handler_pool_;
  int io_threads_;
  tcp::acceptor acceptor_;
  net::steady_timer accept_backoff_{ioc_};
  static constexpr int kAcceptBackoffMs = 100;
  std::shared_ptr<SessionContext> context_;
  std::vector<std::thread> threads_;
  std::mutex sessions_mutex_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::size_t remembered_since_prune_ = 0;
  std::uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

Server::Server(ServerOptions options, Handlers handlers, RequestIdSource& request_ids)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers), request_ids)) {}
Server::~Server() = default;
Result<std::uint16_t> Server::start() { return impl_->start(); }
void Server::drain_and_stop() { impl_->drain_and_stop(); }
void Server::wait_for_signal() { impl_->wait_for_signal(); }
std::size_t Server::active_connections() const { return impl_->active_connections(); }

}  // namespace osslive::http
