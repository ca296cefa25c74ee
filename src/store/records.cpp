#include "records.hpp"

#include <nlohmann/json.hpp>

#include "osslive/core/strings.hpp"
#include "osslive/store/key_path.hpp"

namespace osslive::store::detail {
namespace {

using nlohmann::json;

// JSON strings must be UTF-8 but header values need not be: those are kept as {"b64": ...}
// so every byte survives the round trip.
json text(std::string_view s) {
  if (is_valid_utf8(s)) return std::string(s);
  return json{{"b64", base64_encode(s)}};
}

std::string text_of(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto b = it->find("b64");
    if (b != it->end() && b->is_string()) {
      if (auto decoded = base64_decode(b->get<std::string>())) return *decoded;
    }
  }
  return {};
}

std::string text_value(const json& j) {
  json wrapper{{"v", j}};
  return text_of(wrapper, "v");
}

template <typename T>
bool number_of(const json& j, const char* name, T& out) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return false;
  out = it->get<T>();
  return true;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"; }

std::optional<json> parse_object(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

json identity_json(const FileIdentity& id) {
  return json{{"ino", id.ino}, {"size", id.size}, {"mtime_ns", id.mtime_ns}};
}

bool identity_of_json(const json& j, FileIdentity& id) {
  auto it = j.find("data_file");
  if (it == j.end() || !it->is_object()) return false;
  return number_of(*it, "ino", id.ino) && number_of(*it, "size", id.size) && number_of(*it, "mtime_ns", id.mtime_ns);
}

json meta_json(const ObjectMeta& meta) {
  json user = json::array();
  for (const auto& [name, value] : meta.user_meta) user.push_back(json::array({text(name), text(value)}));
  return json{{"content_type", text(meta.content_type)},
              {"cache_control", text(meta.cache_control)},
              {"content_disposition", text(meta.content_disposition)},
              {"content_encoding", text(meta.content_encoding)},
              {"expires", text(meta.expires)},
              {"user_meta", std::move(user)}};
}

ObjectMeta meta_of_json(const json& j) {
  ObjectMeta meta;
  meta.content_type = text_of(j, "content_type");
  meta.cache_control = text_of(j, "cache_control");
  meta.content_disposition = text_of(j, "content_disposition");
  meta.content_encoding = text_of(j, "content_encoding");
  meta.expires = text_of(j, "expires");
  auto user = j.find("user_meta");
  if (user != j.end() && user->is_array()) {
    for (const json& pair : *user)
      if (pair.is_array() && pair.size() == 2) meta.user_meta.emplace_back(text_value(pair[0]), text_value(pair[1]));
  }
  return meta;
}

}  // namespace

std::string sidecar_json(const ObjectInfo& info, const FileIdentity& data) {
  json j = meta_json(info.meta);
  j["size"] = info.size;
  j["etag"] = info.etag;
  j["last_modified"] = info.last_modified;
  j["object_type"] = info.object_type;
  j["data_file"] = identity_json(data);
  return dump(j);
}

std::optional<Sidecar> parse_sidecar(std::string_view text) {
  auto j = parse_object(text);
  if (!j) return std::nullopt;
  Sidecar out;
  if (!number_of(*j, "size", out.info.size) || !number_of(*j, "last_modified", out.info.last_modified) ||
      !identity_of_json(*j, out.data))
    return std::nullopt;
  out.info.etag = text_of(*j, "etag");
  out.info.object_type = text_of(*j, "object_type");
  if (out.info.etag.empty() || out.info.object_type.empty()) return std::nullopt;
  out.info.meta = meta_of_json(*j);
  return out;
}

std::string bucket_json(const BucketRecord& record) {
  return dump(json{{"acl", record.acl}, {"created", record.created}, {"cors_xml", text(record.cors_xml)}});
}

std::optional<BucketRecord> parse_bucket(std::string_view text) {
  auto j = parse_object(text);
  if (!j) return std::nullopt;
  BucketRecord out;
  out.acl = text_of(*j, "acl");
  if (out.acl.empty()) out.acl = "private";
  number_of(*j, "created", out.created);
  out.cors_xml = text_of(*j, "cors_xml");
  return out;
}

std::string upload_json(const UploadRecord& record) {
  return dump(json{{"bucket", record.bucket},
                   {"key", text(record.key)},
                   {"meta", meta_json(record.meta)},
                   {"initiated", record.initiated}});
}

std::optional<UploadRecord> parse_upload(std::string_view text) {
  auto j = parse_object(text);
  if (!j) return std::nullopt;
  UploadRecord out;
  out.bucket = text_of(*j, "bucket");
  out.key = text_of(*j, "key");
  if (out.bucket.empty() || out.key.empty() || !number_of(*j, "initiated", out.initiated)) return std::nullopt;
  auto meta = j->find("meta");
  if (meta != j->end() && meta->is_object()) out.meta = meta_of_json(*meta);
  return out;
}

std::string part_json(const PartInfo& info, const FileIdentity& data) {
  return dump(json{{"etag", info.etag},
                   {"size", info.size},
                   {"last_modified", info.last_modified},
                   {"data_file", identity_json(data)}});
}

std::optional<PartRecord> parse_part(std::string_view text) {
  auto j = parse_object(text);
  if (!j) return std::nullopt;
  PartRecord out;
  out.info.etag = text_of(*j, "etag");
  if (out.info.etag.empty() || !number_of(*j, "size", out.info.size) ||
      !number_of(*j, "last_modified", out.info.last_modified) || !identity_of_json(*j, out.data))
    return std::nullopt;
  return out;
}

}  // namespace osslive::store::detail
