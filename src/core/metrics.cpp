#include "osslive/core/metrics.hpp"

#include <cstdio>

namespace osslive {

void Metrics::count_request(std::string_view operation, int status, std::uint64_t body_bytes) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(operation.empty() ? "Other" : operation), status}];
  bytes_served_ += body_bytes;
}

void Metrics::observe_transcode(double seconds, bool ok) {
  if (!ok) return;  // failures are counted by the scheduler; their time says nothing about speed
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kTranscodeBuckets.size(); ++i)
    if (seconds <= kTranscodeBuckets[i]) ++transcode_buckets_[i];
  ++transcode_count_;
  transcode_sum_ += seconds;
}

void Metrics::add_probe(std::string name, std::string type, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  probes_.push_back({std::move(name), std::move(type), std::move(help), std::move(read)});
}

namespace {
std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP osslive_requests_total HTTP requests by OSS operation and status.\n";
  out += "# TYPE osslive_requests_total counter\n";
  for (const auto& [key, count] : requests_)
    out += "osslive_requests_total{operation=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"} " +
           std::to_string(count) + "\n";
  out += "# HELP osslive_response_body_bytes_total Response body bytes sent.\n";
  out += "# TYPE osslive_response_body_bytes_total counter\n";
  out += "osslive_response_body_bytes_total " + std::to_string(bytes_served_) + "\n";
  out += "# HELP osslive_segment_transcode_seconds Wall time of successful segment transcodes.\n";
  out += "# TYPE osslive_segment_transcode_seconds histogram\n";
  for (std::size_t i = 0; i < kTranscodeBuckets.size(); ++i)
    out += "osslive_segment_transcode_seconds_bucket{le=\"" + number(kTranscodeBuckets[i]) + "\"} " +
           std::to_string(transcode_buckets_[i]) + "\n";
  out += "osslive_segment_transcode_seconds_bucket{le=\"+Inf\"} " + std::to_string(transcode_count_) + "\n";
  out += "osslive_segment_transcode_seconds_sum " + number(transcode_sum_) + "\n";
  out += "osslive_segment_transcode_seconds_count " + std::to_string(transcode_count_) + "\n";
  for (const auto& probe : probes_) {
    out += "# HELP " + probe.name + " " + probe.help + "\n";
    out += "# TYPE " + probe.name + " " + probe.type + "\n";
    out += probe.name + " " + number(probe.read()) + "\n";
  }
  return out;
}

}  // namespace osslive
