#include "osslive/oss/service.hpp"

#include <algorithm>
#include <array>
#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/oss/cors.hpp"
#include "osslive/oss/xml.hpp"

namespace osslive::oss {
namespace {

enum class Level { Service, Bucket, Object };

struct Route {
  std::string_view name;         // OSS operation name, for logs and metrics
  std::string_view method;
  Level level;
  std::string_view subresource;  // query key that selects the route; "" matches any request
  HandlerResult (*handler)(HandlerEnv&);
  bool anonymous_read;           // allowed anonymously on a public-read bucket
};

// x-oss-process: the live layer's own table picks the handler and names the operation.
HandlerResult process(HandlerEnv& env) {
  if (!env.deps.process) return Error(Errc::NotImplemented, "x-oss-process is not available on this server");
  // A body a presigned URL's signature does not cover could be swapped by anyone holding the URL.
  OSSLIVE_TRY(require_bound_body(env.context, BodyBinding::WhenPresigned));
  return env.deps.process->handle(env.context);
}

// The one route table: method + level + the sub-resource in the query. First match wins.
constexpr std::array kRoutes{
    Route{"ListBuckets", "GET", Level::Service, "", list_buckets, false},
    Route{"GenerateVideoPlaylist", "POST", Level::Service, "GenerateVideoPlaylist", process, false},
    Route{"GetBucketAcl", "GET", Level::Bucket, "acl", get_bucket_acl, false},
    Route{"PutBucketAcl", "PUT", Level::Bucket, "acl", put_bucket_acl, false},
    Route{"GetBucketInfo", "GET", Level::Bucket, "bucketInfo", get_bucket_info, false},
    Route{"PutBucketCors", "PUT", Level::Bucket, "cors", put_bucket_cors, false},
    Route{"GetBucketCors", "GET", Level::Bucket, "cors", get_bucket_cors, false},
    Route{"DeleteBucketCors", "DELETE", Level::Bucket, "cors", delete_bucket_cors, false},
    Route{"GetBucketLocation", "GET", Level::Bucket, "location", get_bucket_location, false},
    Route{"ListMultipartUploads", "GET", Level::Bucket, "uploads", list_multipart_uploads, false},
    Route{"DeleteMultipleObjects", "POST", Level::Bucket, "delete", delete_multiple_objects, false},
    Route{"PutBucket", "PUT", Level::Bucket, "", put_bucket, false},
    Route{"DeleteBucket", "DELETE", Level::Bucket, "", delete_bucket, false},
    Route{"ListObjects", "GET", Level::Bucket, "", list_objects, true},
    Route{"InitiateMultipartUpload", "POST", Level::Object, "uploads", initiate_multipart, false},
    Route{"CompleteMultipartUpload", "POST", Level::Object, "uploadId", complete_multipart, false},
    Route{"PostObjectProcess", "POST", Level::Object, "x-oss-process", process, false},
    Route{"UploadPart", "PUT", Level::Object, "uploadId", upload_part, false},
    Route{"ListParts", "GET", Level::Object, "uploadId", list_parts, false},
    Route{"AbortMultipartUpload", "DELETE", Level::Object, "uploadId", abort_multipart, false},
    Route{"GetObjectProcess", "GET", Level::Object, "x-oss-process", process, true},
    Route{"GetObjectMeta", "HEAD", Level::Object, "objectMeta", get_object_meta, true},
    Route{"GetObjectMeta", "GET", Level::Object, "objectMeta", get_object_meta, true},
    Route{"PutObject", "PUT", Level::Object, "", put_object, false},
    Route{"GetObject", "GET", Level::Object, "", get_object, true},
    Route{"HeadObject", "HEAD", Level::Object, "", head_object, true},
    Route{"DeleteObject", "DELETE", Level::Object, "", delete_object, false},
};

// Sub-resources OSS has and osslive does not: answering them as a plain GET/PUT would be wrong.
constexpr std::array kUnsupportedSubresources{
    "website", "lifecycle", "logging", "referer", "policy", "tagging", "versioning", "versions", "encryption",
    "replication", "inventory", "worm", "symlink", "append", "restore", "qos", "requestPayment", "cname",
    "x-oss-async-process", "select", "stat", "live", "img", "style"};

// Every anonymous refusal reads the same, so it tells nothing about the bucket.
Error anonymous_denied() {
  return Error(Errc::AccessDenied, "You have no right to access this object because of bucket acl.");
}

Level level_of(const Address& address) {
  if (address.bucket.empty()) return Level::Service;
  return address.key.empty() ? Level::Bucket : Level::Object;
}

const Route* find_route(const Request& request, Level level, bool& method_known) {
  method_known = false;
  for (const Route& route : kRoutes) {
    if (route.level != level) continue;
    if (!route.subresource.empty() && !request.query.has(route.subresource)) continue;
    if (route.method == request.method) return &route;
    method_known = method_known || route.subresource.empty();
  }
  return nullptr;
}

}  // namespace

void stamp_request_id(const Request& request, Response& response) {
  response.headers.set("x-oss-request-id", request.request_id);
}

Response error_response(const Request& request, const Error& error) {
  const ErrorInfo& info = error_info(error.code());
  Response response;
  response.status = info.http_status;
  stamp_request_id(request, response);
  response.headers.set("x-oss-ec", std::string(info.ec));
  if (error.code() == Errc::SlowDown || error.code() == Errc::ServiceUnavailable) {
    std::string retry = "1";
    for (const auto& [name, value] : error.fields())
      if (name == "RetryAfter") retry = value;
    response.headers.set("Retry-After", retry);
  }
  if (request.method == "HEAD" || info.http_status == 304) {
    response.omit_body = true;
    response.headers.set("Content-Length", "0");
    return response;
  }
  XmlWriter xml;
  xml.open("Error")
      .element("Code", info.code)
      .element("Message", error.message())
      .element("RequestId", request.request_id)
      .element("HostId", request.host.empty() ? "localhost" : request.host);
  std::vector<std::string_view> written;  // a field added at two layers is rendered once
  for (const auto& [name, value] : error.fields()) {
    if (name == "RetryAfter" || std::find(written.begin(), written.end(), name) != written.end()) continue;
    written.push_back(name);
    xml.element(name, value);
  }
  xml.element("EC", info.ec);
  response.headers.set("Content-Type", "application/xml");
  response.body = xml.finish();
  return response;
}

Response xml_response(const Request& request, std::string xml, int status) {
  Response response;
  response.status = status;
  stamp_request_id(request, response);
  response.headers.set("Content-Type", "application/xml");
  response.body = std::move(xml);
  return response;
}

OssService::OssService(ServiceDeps deps) : deps_(std::move(deps)) {}

namespace {

std::vector<std::string> requested_headers(const Request& request) {
  std::vector<std::string> headers;
  for (std::string_view item : split(request.headers.get("access-control-request-headers").value_or(""), ','))
    if (!trim(item).empty()) headers.push_back(to_lower(trim(item)));
  return headers;
}

Result<CorsConfiguration> bucket_cors(const store::BucketStore& store, const Request& request,
                                      const std::vector<std::string>& endpoints) {
  OSSLIVE_ASSIGN(Address address, resolve_address(request, endpoints));
  if (address.bucket.empty() || !store::is_valid_bucket_name(address.bucket))
    return Error(Errc::AccessDenied, "CORSResponse: This CORS request is not allowed.");
  OSSLIVE_ASSIGN(store::BucketInfo bucket, store.bucket_info(address.bucket));
  if (bucket.cors_xml.empty()) return Error(Errc::AccessDenied, "CORSResponse: CORS is not enabled for this bucket.");
  return parse_cors_configuration(bucket.cors_xml);
}

}  // namespace

// OPTIONS preflight: never signed (browsers send no credentials with it).
Response OssService::preflight(Request& request) {
  request.operation = "Options";
  auto origin = request.headers.get("origin");
  auto method = request.headers.get("access-control-request-method");
  if (!origin || !method)
    return error_response(request, Error(Errc::InvalidRequest, "a CORS preflight needs Origin and Access-Control-Request-Method"));
  // One answer whether the bucket is missing, has no CORS rules or none that match: a preflight
  // is anonymous. A matching rule answers, which tells that origin the bucket exists: its owner
  // published the rule for browsers, and a browser app on a private bucket needs the answer.
  Error refused(Errc::AccessDenied, "CORSResponse: This CORS request is not allowed.");
  auto config = bucket_cors(deps_.store, request, deps_.auth.endpoints);
  if (!config.ok()) return error_response(request, refused);
  const CorsRule* rule = match_cors(*config, *origin, *method, requested_headers(request));
  if (!rule) return error_response(request, refused);
  Response response;
  stamp_request_id(request, response);
  add_cors_headers(response, *config, *rule, *origin, true,
                   request.headers.get("access-control-request-headers").value_or(""));
  response.headers.set("Content-Length", "0");
  return response;
}

// Actual cross-origin requests: the matching rule's headers, on errors too, so a page can read them.
void OssService::apply_cors(const Request& request, Response& response) {
  auto origin = request.headers.get("origin");
  if (!origin) return;
  auto config = bucket_cors(deps_.store, request, deps_.auth.endpoints);
  if (!config.ok()) return;
  std::string method = request.method == "HEAD" ? "HEAD" : request.method;
  if (const CorsRule* rule = match_cors(*config, *origin, method, {}))
    add_cors_headers(response, *config, *rule, *origin, false, "");
}

Result<RequestContext> OssService::authorize(Request& request) {
  if (request.query.params().empty() && !request.raw_query.empty()) {
    auto query = Query::parse(request.raw_query);
    if (!query) return Error(Errc::InvalidArgument, "the query string has a broken percent escape");
    request.query = std::move(*query);
  }
  OSSLIVE_ASSIGN(Address address, resolve_address(request, deps_.auth.endpoints));
  if (!address.bucket.empty() && !store::is_valid_bucket_name(address.bucket))
    return Error(Errc::InvalidBucketName, "bucket names are 3..63 of a-z 0-9 '-', not starting or ending with '-'")
        .with("BucketName", address.bucket);
  if (!address.key.empty()) OSSLIVE_TRY(store::validate_object_key(address.key));

  auth::SignableRequest signable{request.method, address.bucket, address.key, request.query, request.headers};
  OSSLIVE_ASSIGN(auth::Identity identity, deps_.verifier.verify(signable));
  RequestContext context{request, std::move(address), std::move(identity), {}};
  if (!context.address.bucket.empty()) {
    auto bucket = deps_.store.bucket_info(context.address.bucket);
    // Anonymous callers learn nothing about which buckets exist: a missing bucket and a private
    // one get the same answer, before anything else about the request is judged.
    if (context.identity.scheme == auth::Scheme::Anonymous && (!bucket.ok() || bucket->acl != "public-read"))
      return anonymous_denied();
    if (bucket.ok()) context.bucket = std::move(bucket).value();
    else if (!(request.method == "PUT" && context.address.key.empty()))  // PutBucket creates it
      return std::move(bucket).error().with("BucketName", context.address.bucket);
  }
  return context;
}

std::optional<Response> OssService::precheck(Request& request) {
  if (request.path.rfind("/-/", 0) == 0) return std::nullopt;
  auto context = authorize(request);
  if (!context.ok()) return error_response(request, context.error());
  if (context->identity.scheme == auth::Scheme::Anonymous) return error_response(request, anonymous_denied());
  return std::nullopt;
}

Response OssService::handle(Request& request) {
  const auto started = deps_.clock.steady();
  Response response = request.method == "OPTIONS" ? preflight(request) : route(request);
  if (request.method != "OPTIONS") apply_cors(request, response);
  // As OSS does: how long the server worked on the request, in milliseconds (a streamed segment:
  // until its first bytes are ready to go).
  const auto worked = std::chrono::duration_cast<std::chrono::milliseconds>(deps_.clock.steady() - started);
  response.headers.set("x-oss-server-time", std::to_string(worked.count()));
  return response;
}

Response OssService::route(Request& request) {
  if (request.path.rfind("/-/", 0) == 0) {
    // Bucket names cannot start with '-', so /-/ never shadows a bucket.
    if (deps_.internal) {
      if (auto response = deps_.internal(request)) {
        stamp_request_id(request, *response);
        return std::move(*response);
      }
    }
    return error_response(request, Error(Errc::NoSuchKey, "no such endpoint: " + request.path));
  }
  auto context = authorize(request);
  if (!context.ok()) return error_response(request, context.error());

  for (const char* name : kUnsupportedSubresources)
    if (request.query.has(name))
      return error_response(request, Error(Errc::NotImplemented, std::string("the ") + name +
                                                                      " sub-resource is not supported by osslive"));
  Level level = level_of(context->address);
  bool method_known = false;
  const Route* route = find_route(request, level, method_known);
  if (!route)
    return error_response(request, Error(Errc::MethodNotAllowed, "The specified method " + request.method +
                                                                      " is not allowed against this resource."));
  if (context->identity.scheme == auth::Scheme::Anonymous &&
      !(route->anonymous_read && context->bucket.acl == "public-read"))
    return error_response(request, anonymous_denied());
  if (Status bound = check_content_sha256(request); !bound.ok()) return error_response(request, bound.error());

  request.operation = std::string(route->name);
  HandlerEnv env{deps_, *context};
  auto response = route->handler(env);
  if (!response.ok()) {
    Error error = std::move(response).error();
    if (error.code() == Errc::NoSuchKey && !context->address.key.empty()) error.with("Key", context->address.key);
    if (error.code() == Errc::NoSuchBucket) error.with("BucketName", context->address.bucket);
    if (error.http_status() >= 500) spdlog::error("{} {}", request.request_id, error.to_string());
    return error_response(request, error);
  }
  stamp_request_id(request, *response);
  return std::move(response).value();
}

}  // namespace osslive::oss
