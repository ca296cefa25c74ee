#pragma once
// OSS-style request ids: 24 upper-case hex characters, unique per process run.
#include <atomic>
#include <cstdint>
#include <string>

namespace osslive {

class RequestIdSource {
 public:
  RequestIdSource();                      // random 32-bit prefix
  explicit RequestIdSource(std::uint32_t prefix);  // deterministic, for tests
  std::string next();

 private:
  std::uint32_t prefix_;
  std::atomic<std::uint64_t> counter_{0};
};

}  // namespace osslive
