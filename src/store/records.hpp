#pragma once
// The JSON files the store keeps: object sidecars, bucket records, multipart uploads and parts.
// Parsing never throws; a damaged file reads as absent (and is then rebuilt or ignored).
#include <optional>
#include <string>
#include <string_view>

#include "fs_util.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::store::detail {

struct Sidecar {
  ObjectInfo info;  // key not stored: it is the file's path
  FileIdentity data;
};
std::string sidecar_json(const ObjectInfo& info, const FileIdentity& data);
std::optional<Sidecar> parse_sidecar(std::string_view text);

struct BucketRecord {
  std::string acl = "private";
  std::int64_t created = 0;
  std::string cors_xml;
};
std::string bucket_json(const BucketRecord& record);
std::optional<BucketRecord> parse_bucket(std::string_view text);

struct UploadRecord {
  std::string bucket;
  std::string key;
  ObjectMeta meta;
  std::int64_t initiated = 0;
};
std::string upload_json(const UploadRecord& record);
std::optional<UploadRecord> parse_upload(std::string_view text);

struct PartRecord {
  PartInfo info;  // part_number not stored: it is the file name
  FileIdentity data;
};
std::string part_json(const PartInfo& info, const FileIdentity& data);
std::optional<PartRecord> parse_part(std::string_view text);

}  // namespace osslive::store::detail
