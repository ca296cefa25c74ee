#pragma once
// BucketStore on a local directory.
//
// Layout under the data directory:
//   <bucket>/<key path>          the object's bytes, a plain file (see key_path.hpp for the escaping)
//   <bucket>/.../.%m.<name>      the object's metadata sidecar (JSON), beside its data file
//   .osslive/buckets/<b>.json    acl, created, cors_xml (a folder without one is a private bucket)
//   .osslive/tmp/                temp files and spooled request bodies (temp_dir())
//   .osslive/multipart/<id>/     upload.json + parts "<n>" with "<n>.json"
// Files dropped into a bucket folder by hand are objects: their ETag is computed once and cached
// in a sidecar. Symbolic links inside bucket folders are ignored: never listed, served, followed
// to write or followed to delete (every path below a bucket folder is opened name by name).
//
// Writes go to a temp file, then two renames: data, then sidecar (which records the data file's
// inode, size and mtime). Readers pin the data file's descriptor and trust only a sidecar that
// describes that very file, so they see the old or the new object whole, with its own ETag.
// One process per data directory: the short per-key locks that order the two renames are in-process.
//
// A spooled PutBody::file belongs to the store once passed to put_object / upload_part: it is
// renamed into place on success and deleted on any failure.
//
// A folder-backed store cannot hold object "a" and object "a/b" at once: the second one gets
// 409 FileAlreadyExists.
#include <array>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "osslive/core/clock.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::store {

namespace detail {
struct DirChain;
}

class FsBucketStore final : public BucketStore {
 public:
  // Touches nothing on disk; missing .osslive folders are created on first use.
  FsBucketStore(std::filesystem::path data_dir, const Clock& clock);
  ~FsBucketStore() override;
  FsBucketStore(const FsBucketStore&) = delete;
  FsBucketStore& operator=(const FsBucketStore&) = delete;

  // Start-up recovery; the constructor does not call it, main does, once, before serving.
  // Creates the data directory layout, then deletes everything in .osslive/tmp/ (a crash
  // mid-write leaves only invisible temp files, but this also removes bodies being spooled, so it
  // must not run while requests are served), sidecars whose data file is gone, bucket records
  // whose folder is gone and multipart uploads that are unreadable or whose bucket is gone.
  Status recover();

  const std::filesystem::path& data_dir() const { return data_dir_; }

  Status create_bucket(std::string_view bucket, std::string_view acl) override;
  Result<BucketInfo> bucket_info(std::string_view bucket) const override;
  Result<std::vector<BucketInfo>> list_buckets() const override;
  Status delete_bucket(std::string_view bucket) override;
  Status set_bucket_acl(std::string_view bucket, std::string_view acl) override;
  Status set_bucket_cors(std::string_view bucket, std::string_view cors_xml) override;

  Result<ObjectInfo> put_object(std::string_view bucket, std::string_view key, PutBody body,
                                const ObjectMeta& meta) override;
  Result<ObjectInfo> stat_object(std::string_view bucket, std::string_view key) const override;
  Result<OpenObject> open_object(std::string_view bucket, std::string_view key) const override;
  bool object_exists(std::string_view bucket, std::string_view key) const override;
  Status delete_object(std::string_view bucket, std::string_view key) override;
  Result<ListResult> list_objects(std::string_view bucket, const ListRequest& request) const override;
  Result<std::unique_ptr<ObjectWriter>> begin_write(std::string_view bucket, std::string_view key) override;

  Result<std::string> initiate_multipart(std::string_view bucket, std::string_view key,
                                         const ObjectMeta& meta) override;
  Result<PartInfo> upload_part(std::string_view bucket, std::string_view key, std::string_view upload_id,
                               int part_number, PutBody body) override;
  Result<ObjectInfo> complete_multipart(std::string_view bucket, std::string_view key, std::string_view upload_id,
                                        const std::vector<CompletePart>& parts) override;
  Status abort_multipart(std::string_view bucket, std::string_view key, std::string_view upload_id) override;
  Result<std::vector<PartInfo>> list_parts(std::string_view bucket, std::string_view key,
                                           std::string_view upload_id) const override;
  Result<std::vector<UploadInfo>> list_uploads(std::string_view bucket, std::string_view prefix) const override;

  std::filesystem::path temp_dir() const override { return tmp_dir_; }

 private:
  friend class FsObjectWriter;

  // Where one object lives; built only from a validated bucket and key.
  struct Location {
    std::string bucket;
    std::string key;
    std::filesystem::path bucket_dir;
    std::vector<std::string> components;  // encoded; the last one is the data file
    std::filesystem::path data;
    std::filesystem::path sidecar;
  };

  struct TempFile {
    FileHandle file;
    std::filesystem::path path;
  };

  // A body on disk, synced, ready to be renamed into place.
  struct Staged {
    std::filesystem::path path;
    std::string md5;  // raw
    std::uint64_t size = 0;
    bool owned = false;  // a temp file the store made; a spool is removed by SpoolGuard instead
  };

  Result<std::filesystem::path> existing_bucket_dir(std::string_view bucket) const;
  Result<Location> locate(std::string_view bucket, std::string_view key) const;
  Result<OpenObject> load(const Location& where, bool keep_file) const;
  // Moves the synced temp file `temp_data` into place with its sidecar. Leaves `temp_data`
  // where it was on failure (the caller owns it until this succeeds).
  Result<ObjectInfo> install(const Location& where, const std::filesystem::path& temp_data, ObjectInfo info);
  // The folders down to the object's parent, made where missing and opened without following
  // links (a link or a file in the way is FileAlreadyExists).
  Result<detail::DirChain> make_parents(const Location& where) const;
  void prune_parents(const Location& where) const;
  Result<TempFile> create_temp(std::string_view tag) const;
  // The spooled file itself (hashed if body.md5 is empty), or `data` written to a temp file.
  Result<Staged> stage_body(const PutBody& body) const;
  std::mutex& key_lock(std::string_view scope, std::string_view key) const;
  // Rewrites the bucket's record, changing what is given.
  Status update_bucket_record(std::string_view bucket, std::optional<std::string_view> acl,
                              std::optional<std::string_view> cors_xml);
  void remove_uploads_of(std::string_view bucket) const;

  std::filesystem::path data_dir_;
  std::filesystem::path state_dir_;
  std::filesystem::path tmp_dir_;
  std::filesystem::path buckets_dir_;
  std::filesystem::path uploads_dir_;
  const Clock& clock_;
  mutable std::array<std::mutex, 64> key_locks_;
  std::mutex bucket_mutex_;  // bucket create / delete / record updates
};

}  // namespace osslive::store
