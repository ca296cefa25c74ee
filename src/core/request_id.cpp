#include "osslive/core/request_id.hpp"

#include <cstdio>
#include <cstring>

#include "osslive/core/digest.hpp"

namespace osslive {

RequestIdSource::RequestIdSource() {
  std::string bytes = random_bytes(sizeof prefix_);
  std::memcpy(&prefix_, bytes.data(), sizeof prefix_);
}

RequestIdSource::RequestIdSource(std::uint32_t prefix) : prefix_(prefix) {}

std::string RequestIdSource::next() {
  char buf[25];
  std::snprintf(buf, sizeof buf, "%08X%016llX", prefix_,
                static_cast<unsigned long long>(counter_.fetch_add(1, std::memory_order_relaxed)));
  return buf;
}

}  // namespace osslive
