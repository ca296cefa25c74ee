#include "osslive/oss/internal_endpoints.hpp"

#include <array>
#include <string_view>

#include "osslive/console/console.hpp"

namespace osslive::oss {
namespace {

Response health(const Request& request) {
  Response response;
  response.headers.set("Content-Type", "text/plain");
  response.body = std::string("ok\n");
  response.omit_body = request.method == "HEAD";
  return response;
}

Response metrics_text(const Metrics& metrics) {
  Response response;
  response.headers.set("Content-Type", "text/plain; version=0.0.4");
  response.body = metrics.render();
  return response;
}

}  // namespace

InternalEndpoints internal_endpoints(const Metrics& metrics) {
  return [&metrics](Request& request) -> std::optional<Response> {
    if (request.path == "/-/health") return health(request);
    if (request.path == "/-/metrics") return metrics_text(metrics);
    return console::serve_console(request);  // nullopt unless one of its files
  };
}

}  // namespace osslive::oss
