// InitiateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/oss/xml.hpp"

namespace osslive::oss {
namespace {

std::string upload_id(const Request& request) { return std::string(request.query.get("uploadId").value_or("")); }

}  // namespace

HandlerResult initiate_multipart(HandlerEnv& env) {
  OSSLIVE_ASSIGN(std::string id, env.deps.store.initiate_multipart(env.bucket(), env.key(),
                                                                   meta_from_headers(env.request().headers)));
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(env.request().query));
  enc.cover(env.key());
  XmlWriter xml;
  xml.open("InitiateMultipartUploadResult");
  enc.declare(xml);
  xml.element("Bucket", env.bucket()).element("Key", enc(env.key())).element("UploadId", id);
  return xml_response(env.request(), xml.finish());
}

HandlerResult upload_part(HandlerEnv& env) {
  Request& request = env.request();
  auto number_text = request.query.get("partNumber");
  if (!number_text) return Error(Errc::InvalidArgument, "partNumber is required with uploadId").with("ArgumentName", "partNumber");
  auto number = parse_int(*number_text);
  if (!number || *number < 1 || *number > 10000)
    return invalid_argument("partNumber", "must be in [1, 10000]", *number_text);
  if (!request.headers.has("content-length") && !request.headers.has("transfer-encoding"))
    return Error(Errc::MissingContentLength);
  OSSLIVE_TRY(check_content_md5(request));
  OSSLIVE_ASSIGN(store::PartInfo part, env.deps.store.upload_part(env.bucket(), env.key(), upload_id(request),
                                                                   static_cast<int>(*number), take_body(request)));
  Response response;
  response.headers.set("ETag", quoted_etag(part.etag));
  response.headers.set("Content-Length", "0");
  return response;
}

HandlerResult complete_multipart(HandlerEnv& env) {
  Request& request = env.request();
  std::vector<store::CompletePart> parts;
  auto complete_all = request.headers.get("x-oss-complete-all");
  if (complete_all && *complete_all == "yes") {
    if (request.body.size > 0)
      return Error(Errc::InvalidArgument, "x-oss-complete-all: yes needs an empty body");
    OSSLIVE_ASSIGN(auto uploaded, env.deps.store.list_parts(env.bucket(), env.key(), upload_id(request)));
    for (const auto& part : uploaded) parts.push_back({part.part_number, part.etag});
  } else {
    OSSLIVE_ASSIGN(std::string text, body_text(request, 4 << 20));
    OSSLIVE_ASSIGN(XmlNode root, parse_xml(text));
    if (root.name != "CompleteMultipartUpload")
      return Error(Errc::MalformedXML, "the root element must be <CompleteMultipartUpload>");
    for (const XmlNode* part : root.children_named("Part")) {
      auto number = parse_int(part->child_text("PartNumber"));
      if (!number || *number < 1 || *number > 10000)
        return Error(Errc::MalformedXML, "each <Part> needs a <PartNumber> in [1, 10000]");
      parts.push_back({static_cast<int>(*number), part->child_text("ETag")});
    }
    if (parts.empty()) return Error(Errc::MalformedXML, "<CompleteMultipartUpload> lists no <Part>");
  }
  OSSLIVE_ASSIGN(store::ObjectInfo info,
                 env.deps.store.complete_multipart(env.bucket(), env.key(), upload_id(request), parts));
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(request.query));
  enc.cover(env.key());
  std::string key = enc(env.key());
  XmlWriter xml;
  xml.open("CompleteMultipartUploadResult");
  enc.declare(xml);
  xml.element("Location", "http://" + request.host + "/" + env.bucket() + "/" + key)
      .element("Bucket", env.bucket())
      .element("Key", key)
      .element("ETag", quoted_etag(info.etag));
  Response response = xml_response(request, xml.finish());
  response.headers.set("ETag", quoted_etag(info.etag));
  return response;
}

HandlerResult abort_multipart(HandlerEnv& env) {
  OSSLIVE_TRY(env.deps.store.abort_multipart(env.bucket(), env.key(), upload_id(env.request())));
  Response response;
  response.status = 204;
  return response;
}

HandlerResult list_parts(HandlerEnv& env) {
  const Query& query = env.request().query;
  OSSLIVE_ASSIGN(auto parts, env.deps.store.list_parts(env.bucket(), env.key(), upload_id(env.request())));
  int marker = 0;
  if (auto text = query.get("part-number-marker")) {
    auto value = parse_int(*text);
    if (!value || *value > 10000) return invalid_argument("part-number-marker", "must be in [0, 10000]", *text);
    marker = static_cast<int>(*value);
  }
  int max_parts = 1000;
  if (auto text = query.get("max-parts")) {
    auto value = parse_int(*text);
    if (!value || *value < 1 || *value > 1000) return invalid_argument("max-parts", "must be in [1, 1000]", *text);
    max_parts = static_cast<int>(*value);
  }
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(query));
  enc.cover(env.key());
  XmlWriter xml;
  xml.open("ListPartsResult");
  enc.declare(xml);
  xml.element("Bucket", env.bucket())
      .element("Key", enc(env.key()))
      .element("UploadId", upload_id(env.request()))
      .element("PartNumberMarker", marker)
      .element("MaxParts", max_parts);
  int count = 0;
  int next = marker;
  bool truncated = false;
  for (const auto& part : parts) {
    if (part.part_number <= marker) continue;
    if (count == max_parts) {
      truncated = true;
      break;
    }
    ++count;
    next = part.part_number;
  }
  xml.element("NextPartNumberMarker", next).element("IsTruncated", truncated ? "true" : "false");
  count = 0;
  for (const auto& part : parts) {
    if (part.part_number <= marker || count == max_parts) continue;
    ++count;
    xml.open("Part")
        .element("PartNumber", part.part_number)
        .element("LastModified", iso8601_extended(part.last_modified))
        .element("ETag", quoted_etag(part.etag))
        .element("Size", static_cast<std::int64_t>(part.size))
        .close();
  }
  return xml_response(env.request(), xml.finish());
}

HandlerResult list_multipart_uploads(HandlerEnv& env) {
  const Query& query = env.request().query;
  std::string prefix(query.get("prefix").value_or(""));
  OSSLIVE_ASSIGN(auto uploads, env.deps.store.list_uploads(env.bucket(), prefix));
  OSSLIVE_ASSIGN(KeyEncoding enc, KeyEncoding::from_query(query));
  enc.cover(prefix);
  for (const auto& upload : uploads) enc.cover(upload.key);
  XmlWriter xml;
  xml.open("ListMultipartUploadsResult");
  enc.declare(xml);
  xml.element("Bucket", env.bucket())
      .element("KeyMarker", "")
      .element("UploadIdMarker", "")
      .element("NextKeyMarker", "")
      .element("NextUploadIdMarker", "")
      .element("Delimiter", "")
      .element("Prefix", enc(prefix))
      .element("MaxUploads", 1000)
      .element("IsTruncated", "false");
  for (const auto& upload : uploads)
    xml.open("Upload")
        .element("Key", enc(upload.key))
        .element("UploadId", upload.upload_id)
        .element("StorageClass", "Standard")
        .element("Initiated", iso8601_extended(upload.initiated))
        .close();
  return xml_response(env.request(), xml.finish());
}

}  // namespace osslive::oss
