#include "osslive/core/config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "osslive/core/strings.hpp"

namespace osslive {
namespace {

using nlohmann::json;

Error config_error(const std::string& where, const std::string& what) {
  return Error(Errc::InvalidArgument, "config " + where + ": " + what);
}

// Copies known keys of `object` into fields and rejects the rest.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {}

  template <typename T>
  Status get(const char* key, T& out) {
    seen_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return {};
    try {
      out = it->get<T>();
    } catch (const json::exception& e) {
      return config_error(where_ + "." + key, e.what());
    }
    return {};
  }

  const json* child(const char* key) {
    seen_.insert(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  Status finish() const {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (!seen_.count(it.key())) return config_error(where_, "unknown key \"" + it.key() + "\"");
    return {};
  }

 private:
  const json& object_;
  std::string where_;
  std::set<std::string> seen_;
};

Status read_http(const json& j, HttpConfig& http) {
  Reader r(j, "http");
  OSSLIVE_TRY(r.get("listen", http.listen));
  OSSLIVE_TRY(r.get("io_threads", http.io_threads));
  OSSLIVE_TRY(r.get("handler_threads", http.handler_threads));
  OSSLIVE_TRY(r.get("max_header_bytes", http.max_header_bytes));
  OSSLIVE_TRY(r.get("max_object_bytes", http.max_object_bytes));
  OSSLIVE_TRY(r.get("memory_body_bytes", http.memory_body_bytes));
  OSSLIVE_TRY(r.get("read_timeout_ms", http.read_timeout_ms));
  OSSLIVE_TRY(r.get("idle_timeout_ms", http.idle_timeout_ms));
  OSSLIVE_TRY(r.get("write_timeout_ms", http.write_timeout_ms));
  OSSLIVE_TRY(r.get("max_connections", http.max_connections));
  OSSLIVE_TRY(r.get("drain_timeout_ms", http.drain_timeout_ms));
  return r.finish();
}

Status read_auth(const json& j, AuthConfig& auth) {
  Reader r(j, "auth");
  OSSLIVE_TRY(r.get("max_clock_skew_s", auth.max_clock_skew_s));
  OSSLIVE_TRY(r.get("endpoints", auth.endpoints));
  OSSLIVE_TRY(r.get("region", auth.region));
  if (const json* creds = r.child("credentials")) {
    if (!creds->is_array()) return config_error("auth.credentials", "must be an array");
    for (const json& c : *creds) {
      if (!c.is_object()) return config_error("auth.credentials", "entries must be objects");
      Reader cr(c, "auth.credentials[]");
      Credential cred;
      OSSLIVE_TRY(cr.get("access_key_id", cred.access_key_id));
      OSSLIVE_TRY(cr.get("access_key_secret", cred.access_key_secret));
      OSSLIVE_TRY(cr.finish());
      if (cred.access_key_id.empty() || cred.access_key_secret.empty())
        return config_error("auth.credentials", "access_key_id and access_key_secret are required");
      auth.credentials.push_back(std::move(cred));
    }
  }
  return r.finish();
}

Status read_transcode(const json& j, TranscodeConfig& t) {
  Reader r(j, "transcode");
  OSSLIVE_TRY(r.get("workers", t.workers));
  OSSLIVE_TRY(r.get("threads_per_job", t.threads_per_job));
  OSSLIVE_TRY(r.get("queue_limit", t.queue_limit));
  OSSLIVE_TRY(r.get("prefetch_limit", t.prefetch_limit));
  OSSLIVE_TRY(r.get("retry_after_s", t.retry_after_s));
  OSSLIVE_TRY(r.get("prefetch_yields_to_players", t.prefetch_yields_to_players));
  OSSLIVE_TRY(r.get("segment_timeout_ms", t.segment_timeout_ms));
  OSSLIVE_TRY(r.get("max_source_width", t.max_source_width));
  OSSLIVE_TRY(r.get("max_source_height", t.max_source_height));
  OSSLIVE_TRY(r.get("max_source_duration_ms", t.max_source_duration_ms));
  OSSLIVE_TRY(r.get("max_source_streams", t.max_source_streams));
  OSSLIVE_TRY(r.get("x264_preset", t.x264_preset));
  OSSLIVE_TRY(r.get("x265_preset", t.x265_preset));
  OSSLIVE_TRY(r.get("keep_freed_memory_mb", t.keep_freed_memory_mb));
  if (t.keep_freed_memory_mb < 0 || t.keep_freed_memory_mb > 2047)
    return config_error("transcode.keep_freed_memory_mb", "must be 0..2047");
  OSSLIVE_TRY(r.get("max_segment_bytes", t.max_segment_bytes));
  if (t.max_segment_bytes < 4096) return config_error("transcode.max_segment_bytes", "must be at least 4096");
  OSSLIVE_TRY(r.get("failed_segment_retry_s", t.failed_segment_retry_s));
  if (t.failed_segment_retry_s < 0 || t.failed_segment_retry_s > 86400)
    return config_error("transcode.failed_segment_retry_s", "must be 0..86400");
  return r.finish();
}

Status read_buckets(const json& j, std::vector<BucketConfig>& buckets) {
  if (!j.is_array()) return config_error("buckets", "must be an array");
  for (const json& b : j) {
    if (!b.is_object()) return config_error("buckets", "entries must be objects");
    Reader r(b, "buckets[]");
    BucketConfig bucket;
    OSSLIVE_TRY(r.get("name", bucket.name));
    OSSLIVE_TRY(r.get("acl", bucket.acl));
    OSSLIVE_TRY(r.finish());
    if (bucket.acl != "private" && bucket.acl != "public-read")
      return config_error("buckets[" + bucket.name + "].acl", "must be private or public-read");
    buckets.push_back(std::move(bucket));
  }
  return {};
}

}  // namespace

Result<Config> parse_config_json(std::string_view text) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    return config_error("file", e.what());
  }
  if (!root.is_object()) return config_error("file", "top level must be an object");
  Config config;
  Reader r(root, "");
  std::string data_dir;
  OSSLIVE_TRY(r.get("data_dir", data_dir));
  if (!data_dir.empty()) config.data_dir = data_dir;
  OSSLIVE_TRY(r.get("log_level", config.log_level));
  if (const json* j = r.child("http")) OSSLIVE_TRY(read_http(*j, config.http));
  if (const json* j = r.child("auth")) OSSLIVE_TRY(read_auth(*j, config.auth));
  if (const json* j = r.child("transcode")) OSSLIVE_TRY(read_transcode(*j, config.transcode));
  if (const json* j = r.child("buckets")) OSSLIVE_TRY(read_buckets(*j, config.buckets));
  OSSLIVE_TRY(r.finish());
  return config;
}

Result<Config> load_config_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return config_error(path.string(), "cannot be opened");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto config = parse_config_json(buffer.str());
  if (!config.ok()) return std::move(config).error().context(path.string());
  // A relative data_dir in a file is relative to where the server starts, like the flag.
  return config;
}

std::string command_line_help() {
  return "Usage: osslive [options]\n"
         "\n"
         "An OSS-compatible object store with on-demand HLS live transcoding.\n"
         "\n"
         "Options:\n"
         "  --config FILE               JSON configuration (see docs/configuration.md)\n"
         "  --listen HOST:PORT          address to listen on (default 127.0.0.1:9000; port 0 picks one)\n"
         "  --data-dir DIR              folder holding the buckets (default ./data)\n"
         "  --access-key-id ID          access key accepted for signed requests\n"
         "  --access-key-secret SECRET  its secret (both flags together replace the file's keys)\n"
         "  --endpoint NAME             host name for virtual-host style <bucket>.NAME (repeatable)\n"
         "  --log-level LEVEL           trace, debug, info, warn, error (default info)\n"
         "  --transcode-workers N       concurrent segment transcodes (default: from the machine)\n"
         "  --help                      show this text\n"
         "  --version                   show the version\n";
}

Result<CommandLine> parse_command_line(int argc, const char* const* argv) {
  CommandLine cl;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  // The file first, so every other flag overrides it whatever the order.
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) return Error(Errc::InvalidArgument, "--config needs a value");
      OSSLIVE_ASSIGN(cl.config, load_config_file(std::string(args[i + 1])));
    }
  }
  std::string key_id, key_secret;
  bool endpoints_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (flag == "--help" || flag == "-h") { cl.show_help = true; continue; }
    if (flag == "--version") { cl.show_version = true; continue; }
    if (i + 1 >= args.size()) return Error(Errc::InvalidArgument, "unknown flag or missing value: " + std::string(flag));
    std::string value(args[++i]);
    if (flag == "--config") continue;
    else if (flag == "--listen") cl.config.http.listen = value;
    else if (flag == "--data-dir") cl.config.data_dir = value;
    else if (flag == "--access-key-id") key_id = value;
    else if (flag == "--access-key-secret") key_secret = value;
    else if (flag == "--log-level") cl.config.log_level = value;
    else if (flag == "--endpoint") {
      if (!endpoints_given) cl.config.auth.endpoints.clear();
      endpoints_given = true;
      cl.config.auth.endpoints.push_back(value);
    } else if (flag == "--transcode-workers") {
      auto n = parse_int(value);
      if (!n || *n < 1 || *n > 256) return Error(Errc::InvalidArgument, "--transcode-workers must be 1..256");
      cl.config.transcode.workers = static_cast<int>(*n);
    } else {
      return Error(Errc::InvalidArgument, "unknown flag: " + std::string(flag));
    }
  }
  if (key_id.empty() != key_secret.empty())
    return Error(Errc::InvalidArgument, "--access-key-id and --access-key-secret go together");
  if (!key_id.empty()) cl.config.auth.credentials = {Credential{key_id, key_secret}};
  return cl;
}

}  // namespace osslive
