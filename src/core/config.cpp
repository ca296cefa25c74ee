#include "osslive/core/config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "osslive/core/strings.hpp"

namespace osslive {

// The JSON form of each config section: keys are the member names (docs/configuration.md), and a
// key left out keeps the member's default.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Credential, access_key_id, access_key_secret)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(BucketConfig, name, acl)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HttpConfig, listen, io_threads, handler_threads, max_header_bytes,
                                                max_object_bytes, memory_body_bytes, read_timeout_ms, idle_timeout_ms,
                                                write_timeout_ms, max_connections, drain_timeout_ms)
// credentials are read apart (each entry is checked), so they are not listed here.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AuthConfig, max_clock_skew_s, endpoints, region)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TranscodeConfig, workers, threads_per_job, queue_limit, prefetch_limit,
                                                retry_after_s, prefetch_yields_to_players, segment_timeout_ms,
                                                max_source_width, max_source_height, max_source_duration_ms,
                                                max_source_streams, x264_preset, x265_preset, keep_freed_memory_mb,
                                                max_segment_bytes, failed_segment_retry_s)

namespace {

using nlohmann::json;

Error config_error(const std::string& where, const std::string& what) {
  return Error(Errc::InvalidArgument, "config " + where + ": " + what);
}

// Reads one section into `out`: every key must be one `out` has (a typo must not fall back to a
// default), a null keeps the default, and a value of the wrong type names its key.
template <typename Section>
Status read_section(const json& j, const std::string& where, Section& out) {
  if (!j.is_object()) return config_error(where, "must be an object");
  json merged = out;  // every key the section knows, with its value so far
  for (const auto& [key, value] : j.items()) {
    if (!merged.contains(key)) return config_error(where, "unknown key \"" + key + "\"");
    if (value.is_null()) continue;
    json trial = merged;
    trial[key] = value;
    try {
      (void)trial.get<Section>();
    } catch (const json::exception& e) {
      return config_error(where + "." + key, e.what());
    }
    merged[key] = value;
  }
  merged.get_to(out);
  return {};
}

Status read_auth(const json& j, AuthConfig& auth) {
  if (!j.is_object()) return config_error("auth", "must be an object");
  json rest = j;
  if (auto creds = rest.find("credentials"); creds != rest.end()) {
    if (!creds->is_array()) return config_error("auth.credentials", "must be an array");
    for (const json& c : *creds) {
      Credential cred;
      OSSLIVE_TRY(read_section(c, "auth.credentials[]", cred));
      if (cred.access_key_id.empty() || cred.access_key_secret.empty())
        return config_error("auth.credentials", "access_key_id and access_key_secret are required");
      auth.credentials.push_back(std::move(cred));
    }
    rest.erase(creds);
  }
  return read_section(rest, "auth", auth);
}

Status read_transcode(const json& j, TranscodeConfig& t) {
  OSSLIVE_TRY(read_section(j, "transcode", t));
  if (t.keep_freed_memory_mb < 0 || t.keep_freed_memory_mb > 2047)
    return config_error("transcode.keep_freed_memory_mb", "must be 0..2047");
  if (t.max_segment_bytes < 4096) return config_error("transcode.max_segment_bytes", "must be at least 4096");
  if (t.failed_segment_retry_s < 0 || t.failed_segment_retry_s > 86400)
    return config_error("transcode.failed_segment_retry_s", "must be 0..86400");
  return {};
}

Status read_buckets(const json& j, std::vector<BucketConfig>& buckets) {
  if (!j.is_array()) return config_error("buckets", "must be an array");
  for (const json& b : j) {
    BucketConfig bucket;
    OSSLIVE_TRY(read_section(b, "buckets[]", bucket));
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
  for (const auto& [key, value] : root.items()) {
    if (value.is_null()) continue;
    if (key == "data_dir" || key == "log_level") {
      if (!value.is_string()) return config_error(key, "must be a string");
      if (key == "log_level") config.log_level = value.get<std::string>();
      else if (!value.get_ref<const std::string&>().empty()) config.data_dir = value.get<std::string>();
    } else if (key == "http") {
      OSSLIVE_TRY(read_section(value, "http", config.http));
    } else if (key == "auth") {
      OSSLIVE_TRY(read_auth(value, config.auth));
    } else if (key == "transcode") {
      OSSLIVE_TRY(read_transcode(value, config.transcode));
    } else if (key == "buckets") {
      OSSLIVE_TRY(read_buckets(value, config.buckets));
    } else {
      return config_error("file", "unknown key \"" + key + "\"");
    }
  }
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
