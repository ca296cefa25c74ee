// PutObject, GetObject, HeadObject, DeleteObject, GetObjectMeta.
#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/oss/range.hpp"
#include "osslive/oss/xml.hpp"

namespace osslive::oss {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kResponseOverrides{{
    {"response-content-type", "Content-Type"},
    {"response-content-language", "Content-Language"},
    {"response-expires", "Expires"},
    {"response-cache-control", "Cache-Control"},
    {"response-content-disposition", "Content-Disposition"},
    {"response-content-encoding", "Content-Encoding"},
}};

}  // namespace

HandlerResult serve_object(const store::BucketStore& store, Request& request, std::string_view bucket,
                           std::string_view key, bool with_body) {
  // The overrides become response headers: a CR or LF would let the URL add headers of its own
  // (or split the response), so control characters are refused.
  for (const auto& [param, header] : kResponseOverrides) {
    auto value = request.query.get(param);
    if (value && std::any_of(value->begin(), value->end(), [](char c) {
          return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
        }))
      return invalid_argument(param, "must not contain control characters", "(refused)");
  }
  OSSLIVE_ASSIGN(store::OpenObject object, store.open_object(bucket, key));
  switch (evaluate_preconditions(request.headers, object.info.etag, object.info.last_modified)) {
    case Precondition::Failed: return Error(Errc::PreconditionFailed);
    case Precondition::NotModified: {
      Response response;
      response.status = 304;
      response.headers.set("ETag", quoted_etag(object.info.etag));
      response.headers.set("Last-Modified", http_date(object.info.last_modified));
      return response;
    }
    case Precondition::Proceed: break;
  }
  Response response;
  add_object_headers(response, object.info, key);
  for (const auto& [param, header] : kResponseOverrides)
    if (auto value = request.query.get(param)) response.headers.set(header, *value);

  std::uint64_t size = object.info.size;
  FileSlice slice{object.file, 0, size};
  if (auto range_header = request.headers.get("range")) {
    if (auto range = parse_range(*range_header, size)) {
      response.status = 206;
      slice.offset = range->first;
      slice.length = range->length();
      response.headers.set("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                std::to_string(range->last) + "/" + std::to_string(size));
    }
  }
  response.headers.set("Content-Length", std::to_string(slice.length));
  response.body = std::move(slice);
  response.omit_body = !with_body;
  return response;
}

HandlerResult put_object(HandlerEnv& env) {
  Request& request = env.request();
  if (!request.headers.has("content-length") && !request.headers.has("transfer-encoding"))
    return Error(Errc::MissingContentLength);
  OSSLIVE_TRY(check_content_md5(request));
  if (auto forbid = request.headers.get("x-oss-forbid-overwrite"); forbid && iequals(*forbid, "true")) {
    if (env.deps.store.stat_object(env.bucket(), env.key()).ok())
      return Error(Errc::FileAlreadyExists, "The object you specified already exists and can not be overwritten.");
  }
  if (request.headers.has("x-oss-copy-source"))
    return Error(Errc::NotImplemented, "CopyObject is not supported by osslive");
  OSSLIVE_ASSIGN(store::ObjectInfo info,
                 env.deps.store.put_object(env.bucket(), env.key(), take_body(request), meta_from_headers(request.headers)));
  Response response;
  response.headers.set("ETag", quoted_etag(info.etag));
  response.headers.set("Content-Length", "0");
  return response;
}

HandlerResult get_object(HandlerEnv& env) {
  return serve_object(env.deps.store, env.request(), env.bucket(), env.key(), true);
}
HandlerResult head_object(HandlerEnv& env) {
  return serve_object(env.deps.store, env.request(), env.bucket(), env.key(), false);
}

HandlerResult get_object_meta(HandlerEnv& env) {
  OSSLIVE_ASSIGN(store::ObjectInfo info, env.deps.store.stat_object(env.bucket(), env.key()));
  Response response;
  response.headers.set("ETag", quoted_etag(info.etag));
  response.headers.set("Last-Modified", http_date(info.last_modified));
  response.headers.set("x-oss-object-type", info.object_type);
  response.headers.set("Content-Length", std::to_string(info.size));
  response.omit_body = true;
  return response;
}

HandlerResult delete_object(HandlerEnv& env) {
  OSSLIVE_TRY(env.deps.store.delete_object(env.bucket(), env.key()));
  Response response;
  response.status = 204;
  return response;
}

}  // namespace osslive::oss
