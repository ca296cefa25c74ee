#pragma once
// Server configuration: a JSON file (config/osslive.json) overridden by command-line flags.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive {

struct Credential {
  std::string access_key_id;
  std::string access_key_secret;
};

struct BucketConfig {
  std::string name;
  std::string acl = "private";  // private | public-read
};

struct HttpConfig {
  std::string listen = "127.0.0.1:9000";
  int io_threads = 0;                 // 0: from the machine
  int handler_threads = 0;            // 0: from the machine
  std::size_t max_header_bytes = 16 * 1024;
  std::uint64_t max_object_bytes = 5ull * 1024 * 1024 * 1024;  // PutObject / UploadPart body limit
  std::size_t memory_body_bytes = 1024 * 1024;  // larger bodies spool to disk
  int read_timeout_ms = 30'000;      // one read (headers or a body chunk) must finish within this
  int idle_timeout_ms = 60'000;      // keep-alive connection without a request
  int write_timeout_ms = 60'000;
  std::size_t max_connections = 10'000;
  int drain_timeout_ms = 30'000;     // SIGTERM: how long in-flight requests may finish
};

struct AuthConfig {
  std::vector<Credential> credentials;  // empty: a dev key is generated into the data dir
  int max_clock_skew_s = 15 * 60;
  std::vector<std::string> endpoints{"localhost"};  // virtual-host style: <bucket>.<endpoint>
  std::string region = "oss-cn-hangzhou";           // region V4 requests are expected to name ("" = any)
};

struct TranscodeConfig {
  int workers = 0;               // concurrent segment jobs; 0: from the machine
  int threads_per_job = 0;       // encoder threads per job; 0: from the machine
  std::size_t queue_limit = 64;  // queued player requests beyond this get 503 SlowDown
  std::size_t prefetch_limit = 64;
  int retry_after_s = 2;
  bool prefetch_yields_to_players = true;  // background jobs wait while a player job runs
  int segment_timeout_ms = 120'000;        // one segment transcode may take this long
  int max_source_width = 8192;
  int max_source_height = 8192;
  std::int64_t max_source_duration_ms = 24ll * 3600 * 1000;
  int max_source_streams = 64;
  std::string x264_preset = "veryfast";
  std::string x265_preset = "ultrafast";
  int keep_freed_memory_mb = 512;  // freed heap kept for the next job (core/memory.hpp); 0: allocator defaults
  std::int64_t max_segment_bytes = 256ll << 20;  // a segment job making more fails (its bytes sit in memory)
  int failed_segment_retry_s = 60;               // a failed segment is not tried again sooner
};

struct Config {
  std::filesystem::path data_dir = "./data";
  std::string log_level = "info";
  HttpConfig http;
  AuthConfig auth;
  TranscodeConfig transcode;
  std::vector<BucketConfig> buckets;
};

// Reads a config file; unknown keys are errors (a typo must not silently fall back to a default).
Result<Config> load_config_file(const std::filesystem::path& path);
Result<Config> parse_config_json(std::string_view text);

struct CommandLine {
  Config config;
  bool show_help = false;
  bool show_version = false;
};

// Parses argv: --config FILE first (if given), then every other flag overrides the file.
Result<CommandLine> parse_command_line(int argc, const char* const* argv);
std::string command_line_help();

}  // namespace osslive
