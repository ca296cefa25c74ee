#pragma once
// Handlers of the route table. Each takes the authorised request and returns the response;
// failures come back as Error and are rendered once, in OssService.
#include "osslive/oss/object_reads.hpp"
#include "osslive/oss/service.hpp"

namespace osslive::oss {

using HandlerResult = Result<Response>;

struct HandlerEnv {
  ServiceDeps& deps;
  RequestContext& context;
  Request& request() { return context.request; }
  const std::string& bucket() const { return context.address.bucket; }
  const std::string& key() const { return context.address.key; }
};

// Service and buckets
HandlerResult list_buckets(HandlerEnv& env);
HandlerResult put_bucket(HandlerEnv& env);
HandlerResult delete_bucket(HandlerEnv& env);
HandlerResult get_bucket_acl(HandlerEnv& env);
HandlerResult put_bucket_acl(HandlerEnv& env);
HandlerResult get_bucket_info(HandlerEnv& env);
HandlerResult get_bucket_location(HandlerEnv& env);
HandlerResult list_objects(HandlerEnv& env);
HandlerResult delete_multiple_objects(HandlerEnv& env);
HandlerResult put_bucket_cors(HandlerEnv& env);
HandlerResult get_bucket_cors(HandlerEnv& env);
HandlerResult delete_bucket_cors(HandlerEnv& env);

// Objects
HandlerResult put_object(HandlerEnv& env);
HandlerResult get_object(HandlerEnv& env);
HandlerResult head_object(HandlerEnv& env);
HandlerResult delete_object(HandlerEnv& env);
HandlerResult get_object_meta(HandlerEnv& env);

// Multipart
HandlerResult initiate_multipart(HandlerEnv& env);
HandlerResult upload_part(HandlerEnv& env);
HandlerResult complete_multipart(HandlerEnv& env);
HandlerResult abort_multipart(HandlerEnv& env);
HandlerResult list_parts(HandlerEnv& env);
HandlerResult list_multipart_uploads(HandlerEnv& env);

// Shared pieces
store::ObjectMeta meta_from_headers(const Headers& headers);
std::string quoted_etag(std::string_view etag);
std::string owner_id(const RequestContext& context);
// Renders the headers an object carries (ETag, Last-Modified, type, user meta ...).
void add_object_headers(Response& response, const store::ObjectInfo& info, std::string_view key);
// Checks Content-MD5 against the body's digest (InvalidDigest).
Status check_content_md5(const Request& request);
// Checks a hex x-oss-content-sha256 against the body (InvalidDigest); UNSIGNED-PAYLOAD and no
// header pass, anything else is InvalidArgument. Every signature scheme signs the header, so this
// is what makes it bind the body.
Status check_content_sha256(const Request& request);
// Whether the signature binds the body (MissingArgument otherwise). ContentMd5: the header must
// be there, as OSS requires on DeleteMultipleObjects. WhenPresigned: a presigned request with a
// body must carry Content-MD5 or a hex x-oss-content-sha256 (both signed, both checked), because
// the URL is handed to someone else; header-signed requests are left alone, as oss2's
// process_object sends no Content-MD5.
enum class BodyBinding { ContentMd5, WhenPresigned };
Status require_bound_body(const RequestContext& context, BodyBinding rule);
// Bytes of the body as a store PutBody (moves the spooled file).
store::PutBody take_body(Request& request);

}  // namespace osslive::oss
