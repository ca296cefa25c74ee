#pragma once
// BucketStore on a local directory.
//
// Layout under the data directory:
//   <bucket>/<key path>          the object's bytes, a plain file (see key_path.hpp for the escaping)
//   <bucket>/.../.%m.<name>      the object's metadata sidecar (JSON), beside its data file
//   .osslive/buckets/<b>.json    acl, created, cors_xml (a folder without one is a private bucket)
//   .osslive/tmp/                temp files and spooled request bodies (temp_dir())
//   .osslive/multipart/<id>/     upload.json + parts "<n>" with "<n>.json"
//   .osslive/locks/<hash>        a writer's claim on one key while it renames data and sidecar
//   .osslive/leases/<hash>       a node's lease on making one object (try_lease)
// Files dropped into a bucket folder by hand are objects: their ETag is computed once and cached
// in a sidecar. Symbolic links inside bucket folders are ignored: never listed, served, followed
// to write or followed to delete (every path below a bucket folder is opened name by name).
//
// Writes go to a temp file, then two renames: data, then sidecar (which records the data file's
// inode, size and mtime). Readers pin the data file's descriptor and trust only a sidecar that
// describes that very file, so they see the old or the new object whole, with its own ETag.
//
// Several processes may share one data directory (a cluster on a shared file system,
// docs/cluster.md): writers of one key take turns for the two renames through a claim file in
// .osslive/locks (claim_file.hpp: link(2) and rename(2) only, no flock) besides an in-process
// mutex; temp files carry their owner's node id, and recover() removes only those that are
// provably stale. Multipart parts need no lock: a part's record holds nothing its bytes cannot give.
//
// A spooled PutBody::file belongs to the store once passed to put_object / upload_part: it is
// renamed into place on success and deleted on any failure.
//
// A folder-backed store cannot hold object "a" and object "a/b" at once: the second one gets
// 409 FileAlreadyExists.
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "osslive/core/clock.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::store {

namespace detail {
struct DirChain;
class ClaimFiles;
}

class FsBucketStore final : public BucketStore {
 public:
  // Touches nothing on disk; missing .osslive folders are created on first use.
  FsBucketStore(std::filesystem::path data_dir, const Clock& clock);
  ~FsBucketStore() override;
  FsBucketStore(const FsBucketStore&) = delete;
  FsBucketStore& operator=(const FsBucketStore&) = delete;

  // Start-up recovery; the constructor does not call it, main does, once, before serving.
  // Creates the data directory layout, then deletes what a crash left and nobody can be using:
  // temp files (.osslive/tmp) with no owner, of an earlier process on this host that is gone, or
  // untouched for kStaleAfter; expired locks and leases; and, once older than a minute (so a write
  // of another node in progress is never taken for debris), sidecars whose data file is gone,
  // bucket records whose folder is gone and multipart uploads that are unreadable. Uploads whose
  // bucket is gone go at once. Other processes may be serving from the same folder meanwhile.
  Status recover();

  // A temp file nobody touched for this long is debris whoever made it (a live writer appends to
  // its temp file all the time; a request body has a read deadline far shorter than this).
  static constexpr std::chrono::seconds kStaleAfter{3600};

  // A fresh name for a temp file in temp_dir(), "<tag>-<random>@<node id>", so that recovery
  // knows whose it is. Request bodies spooled by the HTTP layer end with temp_suffix() too.
  std::filesystem::path temp_path(std::string_view tag) const;
  std::string temp_suffix() const { return "@" + node_id_; }

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

  Result<Lease> try_lease(std::string_view bucket, std::string_view key, std::chrono::milliseconds ttl) override;
  Status renew_lease(std::string_view bucket, std::string_view key, Lease& lease,
                     std::chrono::milliseconds ttl) override;
  void release_lease(std::string_view bucket, std::string_view key, const Lease& lease) override;
  bool leased(std::string_view bucket, std::string_view key) const override;
  const std::string& node_id() const override { return node_id_; }

  std::filesystem::path temp_dir() const override { return tmp_dir_; }

 private:
  friend class FsObjectWriter;

  // Held while a writer renames one key's data and sidecar (or a reader heals a sidecar): the
  // in-process mutex first, then the claim file every process respects.
  class KeyGuard {
   public:
    KeyGuard(std::unique_lock<std::mutex> local, const FsBucketStore& store, std::filesystem::path path, std::string token)
        : local_(std::move(local)), store_(&store), path_(std::move(path)), token_(std::move(token)) {}
    KeyGuard(KeyGuard&& other) noexcept
        : local_(std::move(other.local_)), store_(other.store_), path_(std::move(other.path_)),
          token_(std::exchange(other.token_, {})) {}
    KeyGuard& operator=(KeyGuard&&) = delete;
    ~KeyGuard();

   private:
    std::unique_lock<std::mutex> local_;  // destroyed last: the claim goes first
    const FsBucketStore* store_;
    std::filesystem::path path_;
    std::string token_;
  };

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
  // The key's in-process mutex and claim file; fails only when another process held the claim
  // for longer than a lock may live (it is then broken) and kept taking it back.
  Result<KeyGuard> lock_key(std::string_view scope, std::string_view key) const;
  // The file under `dir` for the claim on scope/key: a hash, so any key fits in one name.
  std::filesystem::path claim_path(const std::filesystem::path& dir, std::string_view scope, std::string_view key) const;
  std::string new_token() const;
  std::int64_t now_ms() const;
  // Whether the process `node` (a node id) is known to be gone: it ran on this machine, in this
  // pid namespace, and has exited (or its pid is this process's now).
  bool owner_gone(std::string_view node) const;
  // Whether recover() may delete `name` in temp_dir(), last modified at `mtime_s`.
  bool stale_temp(const std::string& name, std::int64_t mtime_s) const;
  void recover_claims(const std::filesystem::path& dir) const;
  // Rewrites the bucket's record, changing what is given.
  Status update_bucket_record(std::string_view bucket, std::optional<std::string_view> acl,
                              std::optional<std::string_view> cors_xml);
  void remove_uploads_of(std::string_view bucket) const;

  std::filesystem::path data_dir_;
  std::filesystem::path state_dir_;
  std::filesystem::path tmp_dir_;
  std::filesystem::path buckets_dir_;
  std::filesystem::path uploads_dir_;
  std::filesystem::path locks_dir_;
  std::filesystem::path leases_dir_;
  const Clock& clock_;
  std::string node_id_;
  std::unique_ptr<detail::ClaimFiles> claims_;
  mutable std::array<std::mutex, 64> key_locks_;
  std::mutex bucket_mutex_;  // bucket create / delete / record updates
};

}  // namespace osslive::store
