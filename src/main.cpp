// The only place that wires concrete classes together.
#include <sys/resource.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <thread>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "osslive/auth/dev_credentials.hpp"
#include "osslive/auth/redaction.hpp"
#include "osslive/auth/verifier.hpp"
#include "osslive/core/clock.hpp"
#include "osslive/core/config.hpp"
#include "osslive/core/memory.hpp"
#include "osslive/core/metrics.hpp"
#include "osslive/core/request_id.hpp"
#include "osslive/http/server.hpp"
#include "osslive/jobs/scheduler.hpp"
#include "osslive/live/live_metrics.hpp"
#include "osslive/live/live_service.hpp"
#include "osslive/live/media_backend.hpp"
#include "osslive/media/logging.hpp"
#include "osslive/oss/internal_endpoints.hpp"
#include "osslive/oss/service.hpp"
#include "osslive/store/fs_bucket_store.hpp"
#include "osslive/store/notes.hpp"

namespace {

using namespace osslive;

// Every connection, spooled body, open object and segment job holds a descriptor; the usual
// soft limit of 1024 would refuse connections long before http.max_connections. The hard limit
// is what the administrator allows, so take all of it. Returns the limit now in force.
rlim_t raise_open_file_limit() {
  struct rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == limit.rlim_max) return limit.rlim_cur;
  rlim_t before = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    std::fprintf(stderr, "osslive: cannot raise the open file limit from %llu to %llu: %s\n",
                 static_cast<unsigned long long>(before), static_cast<unsigned long long>(limit.rlim_max),
                 std::strerror(errno));
    return before;
  }
  return limit.rlim_cur;
}

int run(const Config& config) {
  // A client that hangs up while a file is sent with sendfile(2) (no MSG_NOSIGNAL there) would
  // otherwise end the whole process with SIGPIPE; the write fails with EPIPE instead.
  std::signal(SIGPIPE, SIG_IGN);
  const bool allocator_tuned = keep_freed_memory(static_cast<std::size_t>(config.transcode.keep_freed_memory_mb) << 20);
  rlim_t open_files = raise_open_file_limit();
  // Logs go to stderr: stdout carries only the start-up lines scripts read.
  spdlog::set_default_logger(spdlog::stderr_color_mt("osslive"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  media::route_libav_logs_to_spdlog();
  if (!allocator_tuned) spdlog::warn("the allocator refused transcode.keep_freed_memory_mb: freed memory goes back to the kernel");

  SystemClock clock;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    spdlog::critical("cannot create data dir {}: {}", config.data_dir.string(), ec.message());
    return 1;
  }
  store::FsBucketStore store(config.data_dir, clock);
  if (auto recovered = store.recover(); !recovered.ok())
    spdlog::warn("start-up recovery: {}", recovered.error().to_string());

  std::vector<Credential> credentials = config.auth.credentials;
  bool dev_key = credentials.empty();
  if (dev_key) {
    auto credential = auth::load_or_create_dev_credential(config.data_dir / ".osslive" / "dev-credentials.json");
    if (!credential.ok()) {
      spdlog::critical("{}", credential.error().message());
      return 1;
    }
    credentials.push_back(*credential);
  }
  for (const auto& bucket : config.buckets) {
    auto created = store.create_bucket(bucket.name, bucket.acl);
    if (!created.ok() && created.error().code() != Errc::BucketAlreadyExists) {
      spdlog::critical("config bucket {}: {}", bucket.name, created.error().to_string());
      return 1;
    }
    if (auto acl = store.set_bucket_acl(bucket.name, bucket.acl); !acl.ok()) {
      spdlog::critical("config bucket {}: {}", bucket.name, acl.error().to_string());
      return 1;
    }
  }

  auth::StaticCredentials credential_store(credentials);
  auth::Verifier verifier(credential_store, clock, {config.auth.max_clock_skew_s, config.auth.region});

  TranscodeConfig transcode = config.transcode;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (transcode.workers <= 0) transcode.workers = std::max(2, cores);
  if (transcode.threads_per_job <= 0) transcode.threads_per_job = cores;
  // A paused prefetch must never run into its own segment timeout by waiting.
  const auto max_pause = std::min(std::chrono::milliseconds(20'000), std::chrono::milliseconds(transcode.segment_timeout_ms / 4));
  jobs::Scheduler scheduler(jobs::SchedulerOptions{transcode.workers, 0, transcode.queue_limit, transcode.prefetch_limit,
                                                   transcode.retry_after_s, transcode.prefetch_yields_to_players,
                                                   max_pause},
                            clock);
  live::LibavBackend media(transcode);
  store::FsNotes pending_work(config.data_dir / ".osslive" / "notes" / "initd", store.temp_dir());
  live::LiveService live(live::LiveDeps{store, credential_store, scheduler, media, pending_work, clock, transcode});

  Metrics metrics;
  live::register_live_metrics(metrics, scheduler, live);
  oss::OssService service(
      oss::ServiceDeps{store, verifier, clock, config.auth, &live, oss::internal_endpoints(metrics)});

  RequestIdSource request_ids;
  http::Handlers handlers;
  handlers.precheck = [&](Request& request) { return service.precheck(request); };
  handlers.handle = [&](Request& request) { return service.handle(request); };
  handlers.render_error = [](const Request& request, const Error& error) { return oss::error_response(request, error); };
  handlers.on_complete = [&metrics](const Request& request, int status, std::uint64_t bytes,
                                    std::chrono::microseconds took) {
    metrics.count_request(request.operation, status, bytes);
    spdlog::info("{} {} {} {} {} {} {}B {:.1f}ms", request.request_id, request.remote, request.operation,
                 request.method, auth::redact_credentials(request.target), status, bytes, static_cast<double>(took.count()) / 1000.0);
  };
  http::Server server(http::ServerOptions{config.http, store.temp_dir()}, std::move(handlers), request_ids);
  auto port = server.start();
  if (!port.ok()) {
    spdlog::critical("{}", port.error().message());
    return 1;
  }
  std::string host = config.http.listen.substr(0, config.http.listen.rfind(':'));
  // One machine-readable line on stdout: tests and scripts read the port from it.
  std::printf("osslive listening on http://%s:%u\n", host.c_str(), static_cast<unsigned>(*port));
  if (dev_key)
    std::printf("dev access key: AccessKeyId=%s AccessKeySecret=%s (kept in %s)\n",
                credentials[0].access_key_id.c_str(), credentials[0].access_key_secret.c_str(),
                (config.data_dir / ".osslive" / "dev-credentials.json").c_str());
  std::fflush(stdout);
  live.resume();
  spdlog::info("open file limit {}", static_cast<unsigned long long>(open_files));
  spdlog::info("data in {}, {} bucket(s)", std::filesystem::absolute(config.data_dir).string(),
               store.list_buckets().ok() ? store.list_buckets()->size() : 0);
  server.wait_for_signal();
  scheduler.shutdown();  // running segment jobs end before what they use goes away
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto command_line = osslive::parse_command_line(argc, argv);
  if (!command_line.ok()) {
    std::fprintf(stderr, "osslive: %s\n\n%s", command_line.error().message().c_str(),
                 osslive::command_line_help().c_str());
    return 2;
  }
  if (command_line->show_help) {
    std::fputs(osslive::command_line_help().c_str(), stdout);
    return 0;
  }
  if (command_line->show_version) {
    std::printf("osslive %s\n", OSSLIVE_VERSION);
    return 0;
  }
  return run(command_line->config);
}
