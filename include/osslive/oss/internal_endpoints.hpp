#pragma once
// Requests under /-/, answered before any authentication: /-/health (for load balancers and
// compose), /-/metrics (Prometheus text) and /-/console (the built-in web page). Bucket names
// cannot start with '-', so /-/ never shadows a bucket.
#include <functional>
#include <optional>

#include "osslive/core/http_message.hpp"
#include "osslive/core/metrics.hpp"

namespace osslive::oss {

using InternalEndpoints = std::function<std::optional<Response>(Request&)>;

// The endpoints, for ServiceDeps::internal; nullopt for any other /-/ path. `metrics` must
// outlive them.
InternalEndpoints internal_endpoints(const Metrics& metrics);

}  // namespace osslive::oss
