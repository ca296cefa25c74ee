#pragma once
// The storage interface between the OSS API and the disk. Buckets are folders; an object's
// bytes are a plain file in its bucket folder, its metadata a sidecar beside it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"

namespace osslive::store {

// What PutObject stores besides the bytes.
struct ObjectMeta {
  std::string content_type;  // empty: guessed from the key's extension when served
  std::string cache_control;
  std::string content_disposition;
  std::string content_encoding;
  std::string expires;
  // x-oss-meta-* headers, names lower-cased with the prefix kept ("x-oss-meta-author"), in order.
  std::vector<std::pair<std::string, std::string>> user_meta;
};

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;                // upper-case hex MD5, or "<hex>-<parts>" for multipart; no quotes
  std::int64_t last_modified = 0;  // epoch seconds
  std::string object_type = "Normal";  // Normal | Multipart
  ObjectMeta meta;
};

// An object opened for reading: the handle pins the inode, so a concurrent
// overwrite (rename) never tears what this reader serves.
struct OpenObject {
  ObjectInfo info;
  std::shared_ptr<const FileHandle> file;
};

struct BucketInfo {
  std::string name;
  std::string acl = "private";  // private | public-read
  std::int64_t created = 0;     // epoch seconds
  std::string cors_xml;         // the stored PutBucketCors body, empty when none
};

struct ListRequest {
  std::string prefix;
  std::string marker;     // V1 marker / V2 start-after or decoded continuation token: keys > marker
  std::string delimiter;  // empty: no grouping
  int max_keys = 1000;    // 1..1000
};

struct ListResult {
  std::vector<ObjectInfo> objects;       // sorted by key (byte order)
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_marker;  // last key or common prefix returned, when truncated
};

// Bytes to store: in memory, or a spooled temp file (under temp_dir()) that the store moves in.
// Passing a spooled file hands it over: the store renames it into place or deletes it on failure.
struct PutBody {
  std::string data;
  std::optional<std::filesystem::path> file;
  std::uint64_t size = 0;
  std::string md5;  // raw 16 bytes when the caller already computed it, else empty
};

// Progressive write (a segment being transcoded): invisible until commit(), discarded if
// destroyed without commit.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual Status write(std::string_view bytes) = 0;
  virtual Result<ObjectInfo> commit(const ObjectMeta& meta) = 0;
};

struct PartInfo {
  int part_number = 0;
  std::string etag;  // upper-case hex MD5 of the part
  std::uint64_t size = 0;
  std::int64_t last_modified = 0;
};

struct UploadInfo {
  std::string key;
  std::string upload_id;
  std::int64_t initiated = 0;
};

struct CompletePart {
  int part_number = 0;
  std::string etag;  // as the client sent it; quotes and case are ignored
};

// A claim on making one object, shared by every process that uses the store (every node of a
// cluster on one shared folder): one holder at a time, until it releases the lease or `expires`
// passes, so a holder that died cannot keep it.
struct Lease {
  bool held = false;   // true: this caller holds it and must release it
  std::string token;   // the holder's: "<node id>/<random>"
  std::chrono::system_clock::time_point expires;
  // The holder's node id (the part of the token before '/').
  std::string_view holder_node() const { return std::string_view(token).substr(0, token.rfind('/')); }
};

class BucketStore {
 public:
  virtual ~BucketStore() = default;

  // Buckets
  virtual Status create_bucket(std::string_view bucket, std::string_view acl) = 0;  // 409 BucketAlreadyExists
  virtual Result<BucketInfo> bucket_info(std::string_view bucket) const = 0;        // 404 NoSuchBucket
  virtual Result<std::vector<BucketInfo>> list_buckets() const = 0;                 // sorted by name
  virtual Status delete_bucket(std::string_view bucket) = 0;                        // 409 BucketNotEmpty
  virtual Status set_bucket_acl(std::string_view bucket, std::string_view acl) = 0;
  virtual Status set_bucket_cors(std::string_view bucket, std::string_view cors_xml) = 0;  // "" deletes

  // Objects. Keys are validated here too (InvalidObjectName): no component may leave the bucket.
  virtual Result<ObjectInfo> put_object(std::string_view bucket, std::string_view key, PutBody body,
                                        const ObjectMeta& meta) = 0;
  virtual Result<ObjectInfo> stat_object(std::string_view bucket, std::string_view key) const = 0;
  virtual Result<OpenObject> open_object(std::string_view bucket, std::string_view key) const = 0;
  // Whether the object's bytes are there, without reading its metadata: one stat(2), for the
  // prefetch window that is checked after every segment request.
  virtual bool object_exists(std::string_view bucket, std::string_view key) const = 0;
  virtual Status delete_object(std::string_view bucket, std::string_view key) = 0;  // ok when absent
  virtual Result<ListResult> list_objects(std::string_view bucket, const ListRequest& request) const = 0;
  virtual Result<std::unique_ptr<ObjectWriter>> begin_write(std::string_view bucket, std::string_view key) = 0;

  // Multipart upload
  virtual Result<std::string> initiate_multipart(std::string_view bucket, std::string_view key,
                                                 const ObjectMeta& meta) = 0;
  virtual Result<PartInfo> upload_part(std::string_view bucket, std::string_view key, std::string_view upload_id,
                                       int part_number, PutBody body) = 0;
  virtual Result<ObjectInfo> complete_multipart(std::string_view bucket, std::string_view key,
                                                std::string_view upload_id,
                                                const std::vector<CompletePart>& parts) = 0;
  virtual Status abort_multipart(std::string_view bucket, std::string_view key, std::string_view upload_id) = 0;
  virtual Result<std::vector<PartInfo>> list_parts(std::string_view bucket, std::string_view key,
                                                   std::string_view upload_id) const = 0;
  virtual Result<std::vector<UploadInfo>> list_uploads(std::string_view bucket, std::string_view prefix) const = 0;

  // Cluster-wide leases (see Lease). A held lease whose expiry passed is taken over.
  virtual Result<Lease> try_lease(std::string_view bucket, std::string_view key, std::chrono::milliseconds ttl) = 0;
  // Moves a held lease's expiry to now + ttl (a holder renews while it works, well before it
  // expires); an error when someone took it over meanwhile.
  virtual Status renew_lease(std::string_view bucket, std::string_view key, Lease& lease,
                             std::chrono::milliseconds ttl) = 0;
  // Gives the lease up if it is still `lease`'s; a lease someone took over stays theirs.
  virtual void release_lease(std::string_view bucket, std::string_view key, const Lease& lease) = 0;
  // Whether someone holds the lease now (not expired, holder not known to be gone): a quick look
  // for work queued ahead of players, which leaves such a segment to its maker.
  virtual bool leased(std::string_view bucket, std::string_view key) const = 0;
  // Who this store is in leases and temp names: "<host>+<pid space>+<pid>+<random>", fixed for
  // the process (the pid space names the kernel boot and pid namespace the pid belongs to).
  virtual const std::string& node_id() const = 0;

  // Where request bodies are spooled: on the same file system as the buckets, so a rename moves them in.
  virtual std::filesystem::path temp_dir() const = 0;
};

// Bucket names: 3..63 of a-z 0-9 '-', not starting or ending with '-'.
bool is_valid_bucket_name(std::string_view name);
// Object keys: 1..1023 bytes of UTF-8, no NUL, and nothing that could leave the bucket folder.
Status validate_object_key(std::string_view key);

}  // namespace osslive::store
