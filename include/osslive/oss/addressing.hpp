#pragma once
// Path style (/bucket/key) and virtual-host style (Host: bucket.endpoint, /key) addressing.
#include <string>
#include <vector>

#include "osslive/core/http_message.hpp"
#include "osslive/core/result.hpp"

namespace osslive::oss {

struct Address {
  std::string bucket;  // empty: service level (ListBuckets)
  std::string key;     // decoded; empty: bucket level
  bool virtual_host = false;
};

// `endpoints` are the configured host names for virtual-host style. Keys are percent-decoded
// ("%2F" is a '/'); a broken escape is InvalidURI-like InvalidArgument.
Result<Address> resolve_address(const Request& request, const std::vector<std::string>& endpoints);

}  // namespace osslive::oss
