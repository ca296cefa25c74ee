#pragma once
// The OSS API as a pure request -> response function: addressing, authentication, bucket ACL,
// one route table, and OSS XML errors. Tests call it without sockets.
#include <functional>
#include <memory>
#include <optional>

#include "osslive/auth/verifier.hpp"
#include "osslive/core/clock.hpp"
#include "osslive/core/config.hpp"
#include "osslive/core/http_message.hpp"
#include "osslive/oss/addressing.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::oss {

// One authenticated request on its way to a handler.
struct RequestContext {
  Request& request;
  Address address;
  auth::Identity identity;
  store::BucketInfo bucket;  // filled for bucket- and object-level requests
};

// x-oss-process requests (POST/GET object?x-oss-process, POST /?GenerateVideoPlaylist), provided by
// the live-transcoding layer, which names the operation (request.operation) from its own table.
class ProcessApi {
 public:
  virtual ~ProcessApi() = default;
  virtual Result<Response> handle(RequestContext& context) = 0;
};

struct ServiceDeps {
  store::BucketStore& store;
  const auth::Verifier& verifier;
  const Clock& clock;
  AuthConfig auth;
  ProcessApi* process = nullptr;
  // Requests under /-/ (health, metrics, console); nullopt falls through to 404.
  std::function<std::optional<Response>(Request&)> internal;
};

class OssService {
 public:
  explicit OssService(ServiceDeps deps);

  Response handle(Request& request);
  // Before a large body arrives: addressing, authentication and ACL only.
  std::optional<Response> precheck(Request& request);

  ServiceDeps& deps() { return deps_; }

 private:
  Result<RequestContext> authorize(Request& request);
  Response route(Request& request);
  Response preflight(Request& request);
  void apply_cors(const Request& request, Response& response);
  ServiceDeps deps_;
};

// OSS error response: XML body (none for HEAD), x-oss-ec, x-oss-request-id.
Response error_response(const Request& request, const Error& error);
// A 200 (or `status`) XML body.
Response xml_response(const Request& request, std::string xml, int status = 200);
// Sets x-oss-request-id (every response carries it).
void stamp_request_id(const Request& request, Response& response);

}  // namespace osslive::oss
