#pragma once
// Process metrics in the Prometheus text format (served at /-/metrics): request counters by
// operation and status, bytes served, a transcode-time histogram, and values read on demand
// (queue depth, cache hits) from the parts that own them.
#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace osslive {

class Metrics {
 public:
  void count_request(std::string_view operation, int status, std::uint64_t body_bytes);
  void observe_transcode(double seconds, bool ok);

  // A value read when /-/metrics is rendered. `type` is "counter" or "gauge".
  void add_probe(std::string name, std::string type, std::string help, std::function<double()> read);

  std::string render() const;

  static constexpr std::array<double, 10> kTranscodeBuckets{0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 60};

 private:
  struct Probe {
    std::string name, type, help;
    std::function<double()> read;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::uint64_t bytes_served_ = 0;
  std::array<std::uint64_t, kTranscodeBuckets.size()> transcode_buckets_{};
  std::uint64_t transcode_count_ = 0;
  double transcode_sum_ = 0;
  std::vector<Probe> probes_;
};

}  // namespace osslive
