// ListBuckets, Put/DeleteBucket, bucket ACL and info, ListObjects (V1 and V2), DeleteMultipleObjects.
#include "handlers.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/oss/cors.hpp"
#include "osslive/oss/xml.hpp"

namespace osslive::oss {
namespace {

constexpr std::string_view kLocation = "oss-cn-local";

Result<std::string> acl_from_header(const Request& request, std::string_view fallback) {
  auto acl = request.headers.get("x-oss-acl");
  if (!acl) return std::string(fallback);
  if (*acl == "private" || *acl == "public-read") return std::string(*acl);
  if (*acl == "public-read-write")
    return Error(Errc::InvalidArgument, "x-oss-acl public-read-write is not supported (anonymous writes are never allowed)")
        .with("ArgumentName", "x-oss-acl")
        .with("ArgumentValue", std::string(*acl));
  return invalid_argument("x-oss-acl", "must be private or public-read", *acl);
}

Result<int> max_keys(const Query& query, int fallback) {
  auto text = query.get("max-keys");
  if (!text) return fallback;
  auto value = parse_int(*text);
  if (!value || *value < 1 || *value > 1000) return invalid_argument("max-keys", "must be in [1, 1000]", *text);
  return static_cast<int>(*value);
}

void write_owner(XmlWriter& xml, const RequestContext& context) {
  xml.open("Owner").element("ID", owner_id(context)).element("DisplayName", owner_id(context)).close();
}

}  // namespace

HandlerResult list_buckets(HandlerEnv& env) {
  const Query& query = env.request().query;
  OSSLIVE_ASSIGN(auto buckets, env.deps.store.list_buckets());
  std::string prefix(query.get("prefix").value_or(""));
  std::string marker(query.get("marker").value_or(""));
  OSSLIVE_ASSIGN(int limit, max_keys(query, 1000));
  XmlWriter xml;
  xml.open("ListAllMyBucketsResult");
  write_owner(xml, env.context);
  if (query.has("prefix")) xml.element("Prefix", prefix);
  if (query.has("marker")) xml.element("Marker", marker);
  xml.open("Buckets");
  int count = 0;
  std::string last;
  bool truncated = false;
  for (const auto& bucket : buckets) {
    if (bucket.name.rfind(prefix, 0) != 0 || bucket.name <= marker) continue;
    if (count == limit) {
      truncated = true;
      break;
    }
    xml.open("Bucket")
        .element("CreationDate", iso8601_extended(bucket.created))
        .element("ExtranetEndpoint", env.request().host)
        .element("IntranetEndpoint", env.request().host)
        .element("Location", kLocation)
        .element("Name", bucket.name)
        .element("Region", kLocation.substr(4))
        .element("StorageClass", "Standard")
        .close();
    last = bucket.name;
    ++count;
  }
  xml.close();
  if (query.has("max-keys") || truncated) {
    xml.element("IsTruncated", truncated ? "true" : "false");
    if (truncated) xml.element("NextMarker", last);
  }
  return xml_response(env.request(), xml.finish());
}

HandlerResult put_bucket(HandlerEnv& env) {
  OSSLIVE_ASSIGN(std::string acl, acl_from_header(env.request(), "private"));
  OSSLIVE_TRY(env.deps.store.create_bucket(env.bucket(), acl));
  Response response;
  response.headers.set("Location", "/" + env.bucket());
  response.headers.set("Content-Length", "0");
  return response;
}

HandlerResult delete_bucket(HandlerEnv& env) {
  OSSLIVE_TRY(env.deps.store.delete_bucket(env.bucket()));
  Response response;
  response.status = 204;
  return response;
}

HandlerResult get_bucket_acl(HandlerEnv& env) {
  XmlWriter xml;
  xml.open("AccessControlPolicy");
  write_owner(xml, env.context);
  xml.open("AccessControlList").element("Grant", env.context.bucket.acl).close();
  return xml_response(env.request(), xml.finish());
}

HandlerResult put_bucket_acl(HandlerEnv& env) {
  OSSLIVE_ASSIGN(std::string acl, acl_from_header(env.request(), env.context.bucket.acl));
  OSSLIVE_TRY(env.deps.store.set_bucket_acl(env.bucket(), acl));
  Response response;
  response.headers.set("Content-Length", "0");
  return response;
}

HandlerResult get_bucket_info(HandlerEnv& env) {
  const auto& bucket = env.context.bucket;
  XmlWriter xml;
  xml.open("BucketInfo").open("Bucket");
  xml.element("CreationDate", iso8601_extended(bucket.created))
      .element("ExtranetEndpoint", env.request().host)
      .element("IntranetEndpoint", env.request().host)
      .element("Location", kLocation)
      .element("Name", bucket.name)
      .element("StorageClass", "Standard");
  write_owner(xml, env.context);
  xml.open("AccessControlList").element("Grant", bucket.acl).close();
  return xml_response(env.request(), xml.finish());
}

HandlerResult get_bucket_location(HandlerEnv& env) {
  XmlWriter xml;
  xml.element("LocationConstraint", kLocation);
  return xml_response(env.request(), xml.finish());
}

HandlerResult list_objects(HandlerEnv& env) {
  const Query& query = env.request().query;
  bool v2 = query.get("list-type").value_or("") == "2";
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(query));

  store::ListRequest list;
  list.prefix = std::string(query.get("prefix").value_or(""));
  list.delimiter = std::string(query.get("delimiter").value_or(""));
  OSSLIVE_ASSIGN(list.max_keys, max_keys(query, 100));
  std::string start_after, continuation;
  if (v2) {
    start_after = std::string(query.get("start-after").value_or(""));
    list.marker = start_after;
    if (auto token = query.get("continuation-token")) {
      continuation = std::string(*token);
      auto decoded = base64_decode(continuation);
      if (!decoded) return invalid_argument("continuation-token", "must be a token from a previous listing", continuation);
      if (*decoded > list.marker) list.marker = *decoded;
    }
  } else {
    list.marker = std::string(query.get("marker").value_or(""));
  }
  OSSLIVE_ASSIGN(store::ListResult result, env.deps.store.list_objects(env.bucket(), list));

  for (std::string_view text : {std::string_view(list.prefix), std::string_view(list.marker),
                                std::string_view(start_after), std::string_view(list.delimiter),
                                std::string_view(result.next_marker)})
    enc.cover(text);
  for (const auto& object : result.objects) enc.cover(object.key);
  for (const auto& prefix : result.common_prefixes) enc.cover(prefix);

  bool fetch_owner = !v2 || query.get("fetch-owner").value_or("") == "true";
  XmlWriter xml;
  xml.open("ListBucketResult");
  xml.element("Name", env.bucket()).element("Prefix", enc(list.prefix));
  if (v2) {
    if (query.has("start-after")) xml.element("StartAfter", enc(start_after));
    if (query.has("continuation-token")) xml.element("ContinuationToken", continuation);
  } else {
    xml.element("Marker", enc(list.marker));
  }
  xml.element("MaxKeys", list.max_keys).element("Delimiter", enc(list.delimiter));
  enc.declare(xml);
  xml.element("IsTruncated", result.truncated ? "true" : "false");
  if (result.truncated) {
    if (v2) xml.element("NextContinuationToken", base64_encode(result.next_marker));
    else xml.element("NextMarker", enc(result.next_marker));
  }
  if (v2) xml.element("KeyCount", static_cast<std::int64_t>(result.objects.size() + result.common_prefixes.size()));
  for (const auto& object : result.objects) {
    xml.open("Contents")
        .element("Key", enc(object.key))
        .element("LastModified", iso8601_extended(object.last_modified))
        .element("ETag", quoted_etag(object.etag))
        .element("Type", object.object_type)
        .element("Size", static_cast<std::int64_t>(object.size))
        .element("StorageClass", "Standard");
    if (fetch_owner) write_owner(xml, env.context);
    xml.close();
  }
  for (const auto& prefix : result.common_prefixes) xml.open("CommonPrefixes").element("Prefix", enc(prefix)).close();
  return xml_response(env.request(), xml.finish());
}

HandlerResult delete_multiple_objects(HandlerEnv& env) {
  Request& request = env.request();
  OSSLIVE_TRY(require_bound_body(env.context, BodyBinding::ContentMd5));
  OSSLIVE_TRY(check_content_md5(request));
  OSSLIVE_ASSIGN(std::string text, body_text(request, 2 << 20));
  OSSLIVE_ASSIGN(XmlNode root, parse_xml(text));
  if (root.name != "Delete") return Error(Errc::MalformedXML, "the root element must be <Delete>");
  bool quiet = root.child_text("Quiet") == "true";
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(request.query));
  auto objects = root.children_named("Object");
  if (objects.empty() || objects.size() > 1000)
    return Error(Errc::MalformedXML, "<Delete> needs 1..1000 <Object> elements");
  for (const XmlNode* object : objects) enc.cover(object->child_text("Key"));
  XmlWriter xml;
  xml.open("DeleteResult");
  enc.declare(xml);
  for (const XmlNode* object : objects) {
    std::string key = object->child_text("Key");
    OSSLIVE_TRY(store::validate_object_key(key));
    OSSLIVE_TRY(env.deps.store.delete_object(env.bucket(), key));
    if (!quiet) xml.open("Deleted").element("Key", enc(key)).close();
  }
  return xml_response(request, xml.finish());
}

HandlerResult put_bucket_cors(HandlerEnv& env) {
  OSSLIVE_ASSIGN(std::string text, body_text(env.request(), 64 * 1024));
  OSSLIVE_TRY(parse_cors_configuration(text));  // store only what parses, as given
  OSSLIVE_TRY(env.deps.store.set_bucket_cors(env.bucket(), text));
  Response response;
  response.headers.set("Content-Length", "0");
  return response;
}

HandlerResult get_bucket_cors(HandlerEnv& env) {
  if (env.context.bucket.cors_xml.empty()) return Error(Errc::NoSuchCORSConfiguration).with("BucketName", env.bucket());
  return xml_response(env.request(), env.context.bucket.cors_xml);
}

HandlerResult delete_bucket_cors(HandlerEnv& env) {
  OSSLIVE_TRY(env.deps.store.set_bucket_cors(env.bucket(), ""));
  Response response;
  response.status = 204;
  return response;
}

}  // namespace osslive::oss
