// Pieces several handlers share: metadata from headers, object headers, body access.
#include <fstream>

#include "handlers.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/content_type.hpp"

namespace osslive::oss {

store::ObjectMeta meta_from_headers(const Headers& headers) {
  store::ObjectMeta meta;
  meta.content_type = std::string(headers.get("content-type").value_or(""));
  meta.cache_control = std::string(headers.get("cache-control").value_or(""));
  meta.content_disposition = std::string(headers.get("content-disposition").value_or(""));
  meta.content_encoding = std::string(headers.get("content-encoding").value_or(""));
  meta.expires = std::string(headers.get("expires").value_or(""));
  for (const auto& [name, value] : headers.fields())
    if (name.rfind("x-oss-meta-", 0) == 0) meta.user_meta.emplace_back(name, value);
  return meta;
}

std::string quoted_etag(std::string_view etag) { return "\"" + std::string(etag) + "\""; }

std::string owner_id(const RequestContext& context) {
  return context.identity.access_key_id.empty() ? std::string("anonymous") : context.identity.access_key_id;
}

void add_object_headers(Response& response, const store::ObjectInfo& info, std::string_view key) {
  auto& h = response.headers;
  // Players rely on these two whatever the uploader said.
  std::string type = info.meta.content_type;
  std::string guessed(store::guess_content_type(key));
  if (type.empty() || guessed == "application/vnd.apple.mpegurl" || guessed == "video/MP2T") type = guessed;
  h.set("Content-Type", type);
  h.set("ETag", quoted_etag(info.etag));
  h.set("Last-Modified", http_date(info.last_modified));
  h.set("Accept-Ranges", "bytes");
  h.set("x-oss-object-type", info.object_type);
  h.set("x-oss-storage-class", "Standard");
  if (!info.meta.cache_control.empty()) h.set("Cache-Control", info.meta.cache_control);
  if (!info.meta.content_disposition.empty()) h.set("Content-Disposition", info.meta.content_disposition);
  if (!info.meta.content_encoding.empty()) h.set("Content-Encoding", info.meta.content_encoding);
  if (!info.meta.expires.empty()) h.set("Expires", info.meta.expires);
  for (const auto& [name, value] : info.meta.user_meta) h.add(name, value);
}

Status check_content_md5(const Request& request) {
  auto header = request.headers.get("content-md5");
  if (!header) return {};
  auto expected = base64_decode(trim(*header));
  if (!expected || expected->size() != 16)
    return Error(Errc::InvalidDigest, "Content-MD5 must be the base64 of 16 bytes");
  if (*expected != request.body.md5)
    return Error(Errc::InvalidDigest, "The Content-MD5 you specified did not match what we received.");
  return {};
}

Status check_content_sha256(const Request& request) {
  auto stated = request.headers.get("x-oss-content-sha256");
  if (!stated || *stated == auth::kUnsignedPayload) return {};
  if (!is_sha256_hex(*stated))
    return invalid_argument("x-oss-content-sha256", "must be UNSIGNED-PAYLOAD or the hex SHA-256 of the body", *stated);
  std::string actual = request.body.sha256;
  if (actual.empty()) {
    // The session hashes every body that states a digest; a request made without one (tests,
    // tools) is hashed here while it is still in memory.
    if (request.body.file) return Error(Errc::InternalError, "the spooled body was not hashed with SHA-256");
    actual = sha256(request.body.data);
  }
  if (to_lower(*stated) != hex_lower(actual))
    return Error(Errc::InvalidDigest, "The x-oss-content-sha256 you specified did not match what we received.")
        .with("ContentSha256", std::string(*stated));
  return {};
}

Status require_bound_body(const RequestContext& context, BodyBinding rule) {
  const Request& request = context.request;
  bool has_md5 = request.headers.has("content-md5");
  if (rule == BodyBinding::ContentMd5) {
    if (has_md5) return {};
    return Error(Errc::MissingArgument, "Missing Some Required Arguments: this request needs a Content-MD5 header.")
        .with("ArgumentName", "Content-MD5");
  }
  if (!auth::is_presigned(context.identity.scheme) || request.body.size == 0 || has_md5) return {};
  auto stated = request.headers.get("x-oss-content-sha256");
  if (stated && is_sha256_hex(*stated)) return {};
  return Error(Errc::MissingArgument,
               "Missing Some Required Arguments: a presigned URL that carries a body must sign its Content-MD5 "
               "(or a hex x-oss-content-sha256), or anyone holding the URL could send another body.")
      .with("ArgumentName", "Content-MD5");
}

store::PutBody take_body(Request& request) {
  store::PutBody body;
  body.size = request.body.size;
  body.md5 = request.body.md5;
  if (request.body.file) {
    body.file = std::move(request.body.file);
    request.body.file.reset();
  } else {
    body.data = std::move(request.body.data);
  }
  return body;
}

Result<std::string> body_text(Request& request, std::size_t limit) {
  if (request.body.size > limit)
    return Error(Errc::InvalidArgument, "request body larger than " + std::to_string(limit) + " bytes");
  if (!request.body.file) return request.body.data;
  std::ifstream in(*request.body.file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

Result<SmallObject> read_small_object(const store::BucketStore& store, std::string_view bucket, std::string_view key,
                                      std::uint64_t limit, std::string_view what) {
  OSSLIVE_ASSIGN(store::OpenObject object, store.open_object(bucket, key));
  if (object.info.size > limit)
    return Error(Errc::InvalidArgument, std::string(what) + " " + std::string(key) + " is larger than " +
                                            std::to_string(limit) + " bytes");
  SmallObject out{object.info, std::string(object.info.size, '\0')};
  std::size_t done = 0;
  while (done < out.text.size()) {
    OSSLIVE_ASSIGN(std::size_t got, object.file->pread(out.text.data() + done, out.text.size() - done, done));
    if (got == 0) break;
    done += got;
  }
  out.text.resize(done);
  return out;
}

}  // namespace osslive::oss
