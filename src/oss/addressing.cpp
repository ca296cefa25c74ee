#include "osslive/oss/addressing.hpp"

#include "osslive/core/strings.hpp"

namespace osslive::oss {

Result<Address> resolve_address(const Request& request, const std::vector<std::string>& endpoints) {
  Address address;
  std::string_view path = request.path;
  if (path.empty() || path.front() != '/') {
    // Absolute-form targets ("http://host/b/k") are legal HTTP; keep only the path.
    auto scheme = path.find("://");
    auto slash = scheme == std::string_view::npos ? std::string_view::npos : path.find('/', scheme + 3);
    if (slash == std::string_view::npos) return Error(Errc::InvalidArgument, "request target must be a path");
    path = path.substr(slash);
  }
  std::string host = to_lower(request.host);
  for (const auto& endpoint : endpoints) {
    std::string suffix = "." + to_lower(endpoint);
    if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
      address.bucket = host.substr(0, host.size() - suffix.size());
      address.virtual_host = true;
      break;
    }
  }
  std::string_view rest = path.substr(1);
  if (!address.virtual_host) {
    auto slash = rest.find('/');
    auto bucket = percent_decode(rest.substr(0, slash));
    if (!bucket) return Error(Errc::InvalidArgument, "the bucket name in the path has a broken percent escape");
    address.bucket = std::move(*bucket);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  auto key = percent_decode(rest);
  if (!key) return Error(Errc::InvalidArgument, "the object key in the path has a broken percent escape");
  address.key = std::move(*key);
  return address;
}

}  // namespace osslive::oss
