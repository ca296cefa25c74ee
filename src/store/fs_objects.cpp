// FsBucketStore objects: atomic install, torn-free reads with self-healing sidecars, deletes, writers.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "fs_util.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/content_type.hpp"
#include "osslive/store/fs_bucket_store.hpp"
#include "osslive/store/key_path.hpp"
#include "records.hpp"

namespace osslive::store {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// How often a writer rebuilds folders that a concurrent delete pruned before it gives up.
constexpr int kInstallAttempts = 16;
// How often a reader reopens a key that is being replaced before it settles for what it holds.
constexpr int kLoadAttempts = 4;

// No Key field: the OSS layer adds it from the request address (see fs_bucket_store.cpp).
Error no_such_key() { return Error(Errc::NoSuchKey); }

// The first `n` components of `key`: "a/b/c", 2 -> "a/b".
std::string key_prefix(std::string_view key, std::size_t n) {
  std::size_t end = 0;
  for (std::size_t i = 0; i < n; ++i) {
    end = key.find('/', i == 0 ? 0 : end + 1);
    if (end == std::string_view::npos) return std::string(key);
  }
  return std::string(key.substr(0, end));
}

Error conflict_with_object(std::string_view key, const std::string& object) {
  return Error(Errc::FileAlreadyExists, "The key \"" + std::string(key) + "\" needs the folder \"" + object +
                                            "/\", but the object \"" + object +
                                            "\" exists; a folder-backed store cannot hold both.")
      .with("Key", std::string(key));
}

Error conflict_with_folder(std::string_view key) {
  return Error(Errc::FileAlreadyExists, "The key \"" + std::string(key) + "\" is the folder \"" + std::string(key) +
                                            "/\" that holds objects; a folder-backed store cannot hold both.")
      .with("Key", std::string(key));
}

Error too_long(std::string_view key) {
  return Error(Errc::InvalidObjectName, "The object name is too long for the file system.").with("Key", std::string(key));
}

}  // namespace

Result<DirChain> FsBucketStore::make_parents(const Location& where) const {
  const std::size_t depth = where.components.size() - 1;
  for (int attempt = 0; attempt < kInstallAttempts; ++attempt) {
    DirChain chain = open_dir_chain(where.bucket_dir, where.components, 0);
    if (!chain.complete(0)) {
      if (chain.error == ENOENT || chain.error == ENOTDIR) return Error(Errc::NoSuchBucket);
      return io_error(chain.error, "open bucket folder " + where.bucket_dir.string());
    }
    // Each folder is made and then opened from the one before without following links, so a
    // link planted where a folder belongs is a conflict, never a way out of the bucket.
    bool restart = false;
    for (std::size_t i = 0; i < depth && !restart; ++i) {
      const char* name = where.components[i].c_str();
      if (::mkdirat(chain.last(), name, 0755) != 0 && errno != EEXIST) {
        int err = errno;
        if (err == ENOENT) { restart = true; continue; }  // a concurrent delete pruned the folder we are in
        if (err == ENAMETOOLONG) return too_long(where.key);
        return io_error(err, "create folder " + where.components[i]);
      }
      int fd = ::openat(chain.last(), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        int err = errno;
        if (err == ENOENT) { restart = true; continue; }  // pruned between mkdirat and openat
        if (err == ENOTDIR || err == ELOOP) return conflict_with_object(where.key, key_prefix(where.key, i + 1));
        return io_error(err, "open folder " + where.components[i]);
      }
      chain.dirs.emplace_back(fd);
    }
    if (!restart) return chain;
  }
  return Error(Errc::InternalError, "the folders of \"" + where.key + "\" kept disappearing while writing it");
}

void FsBucketStore::prune_parents(const Location& where) const {
  DirChain chain = open_dir_chain(where.bucket_dir, where.components, where.components.size() - 1);
  // dirs[k] is the folder of the first k components: remove the deepest while they are empty.
  for (std::size_t k = chain.dirs.size(); k-- > 1;)
    if (::unlinkat(chain.dirs[k - 1].fd(), where.components[k - 1].c_str(), AT_REMOVEDIR) != 0) break;
}

Result<ObjectInfo> FsBucketStore::install(const Location& where, const fs::path& temp_data, ObjectInfo info) {
  info.key = where.key;
  OSSLIVE_ASSIGN(PathStat staged, stat_path(temp_data));
  if (staged.kind != Kind::File) return Error(Errc::InternalError, "the staged body " + temp_data.string() + " is gone");

  OSSLIVE_ASSIGN(TempFile side, create_temp("meta"));
  Status written = side.file.write_all(sidecar_json(info, staged.id));
  if (written.ok()) written = side.file.sync();
  side.file = FileHandle();
  auto fail = [&](Error error) -> Error {
    remove_file(side.path);
    return error;
  };
  if (!written.ok()) return fail(std::move(written).error());

  const std::string& name = where.components.back();
  const std::string sidecar = sidecar_name(name);
  for (int attempt = 0; attempt < kInstallAttempts; ++attempt) {
    auto parents = make_parents(where);
    if (!parents.ok()) return fail(std::move(parents).error());
    const int dir = parents->last();
    // Writers of one key take turns for the two renames, so a sidecar always follows its own data.
    std::unique_lock lock(key_lock(where.bucket, where.key));
    if (::renameat(AT_FDCWD, temp_data.c_str(), dir, name.c_str()) != 0) {
      int err = errno;
      lock.unlock();
      if (err == ENOENT || err == ENOTDIR) {
        if (!same_file(parents->dirs.front().fd(), where.bucket_dir))
          return fail(Error(Errc::NoSuchBucket));  // deleted meanwhile
        auto still = stat_path(temp_data);
        if (still.ok() && still->kind == Kind::File) continue;  // a parent was pruned: make it again
        return fail(Error(Errc::InternalError, "the staged body " + temp_data.string() + " disappeared"));
      }
      if (err == EISDIR) {
        if (::unlinkat(dir, name.c_str(), AT_REMOVEDIR) == 0) continue;  // an empty folder left behind: take its place
        return fail(conflict_with_folder(where.key));
      }
      if (err == ENAMETOOLONG) return fail(too_long(where.key));
      return fail(io_error(err, "move object into " + where.data.string()));
    }
    // The folders were reached through handles: if the bucket was deleted (moved away) meanwhile,
    // the object landed in what is being removed. Say so instead of reporting a write nobody can read.
    if (!same_file(parents->dirs.front().fd(), where.bucket_dir)) {
      ::unlinkat(dir, name.c_str(), 0);
      return fail(Error(Errc::NoSuchBucket));
    }
    if (::renameat(AT_FDCWD, side.path.c_str(), dir, sidecar.c_str()) != 0) {
      // The bytes are in place; readers derive their metadata until a sidecar is written.
      return fail(io_error(errno, "move metadata into " + where.sidecar.string()));
    }
    return info;
  }
  return fail(Error(Errc::InternalError, "the folders of \"" + where.key + "\" kept disappearing while writing it"));
}

Result<OpenObject> FsBucketStore::load(const Location& where, bool keep_file) const {
  for (int attempt = 1;; ++attempt) {
    int fd = open_below(where.bucket_dir, where.data.lexically_relative(where.bucket_dir));
    if (fd < 0) {
      int err = errno;
      if (err == ENOENT || err == ENOTDIR || err == ELOOP || err == ENAMETOOLONG) return no_such_key();
      return io_error(err, "open " + where.data.string());
    }
    auto file = std::make_shared<FileHandle>(fd);
    OSSLIVE_ASSIGN(PathStat pinned, stat_fd(fd));
    if (pinned.kind != Kind::File) return no_such_key();  // a folder

    auto described = [&]() -> std::optional<ObjectInfo> {
      auto text = read_below(where.bucket_dir, where.sidecar);
      if (!text.ok()) return std::nullopt;
      auto sidecar = parse_sidecar(*text);
      if (!sidecar || !(sidecar->data == pinned.id) || sidecar->info.size != pinned.id.size) return std::nullopt;
      sidecar->info.key = where.key;
      return std::move(sidecar->info);
    };
    auto result = [&](ObjectInfo info) {
      OpenObject out;
      out.info = std::move(info);
      if (keep_file) out.file = file;
      return out;
    };

    if (auto info = described()) return result(std::move(*info));
    {
      // Writers hold this lock across their two renames: once we hold it, the sidecar on disk
      // belongs to whatever data file is at the path.
      std::lock_guard lock(key_lock(where.bucket, where.key));
      if (auto info = described()) return result(std::move(*info));
      auto now = stat_below(where.bucket_dir, where.data);
      bool replaced = !now.ok() || now->kind != Kind::File || now->id.ino != pinned.id.ino;
      if (replaced && attempt < kLoadAttempts) continue;  // a newer object arrived: serve that one
    }

    // No sidecar describes these bytes (dropped in by hand, edited in place, a crash between the
    // two renames): derive the metadata from the pinned file and cache it for the next reader.
    OSSLIVE_ASSIGN(std::string digest, md5_of(*file, pinned.id.size));
    ObjectInfo info;
    info.key = where.key;
    info.size = pinned.id.size;
    info.etag = hex_upper(digest);
    info.last_modified = pinned.mtime_s;
    info.meta.content_type = guess_content_type(where.key);

    std::lock_guard lock(key_lock(where.bucket, where.key));
    auto now = stat_below(where.bucket_dir, where.data);
    auto after = stat_fd(fd);
    if (now.ok() && after.ok() && now->kind == Kind::File && now->id == pinned.id && after->id == pinned.id) {
      auto temp = create_temp("heal");
      if (temp.ok()) {
        bool ok = temp->file.write_all(sidecar_json(info, pinned.id)).ok() && temp->file.sync().ok();
        temp->file = FileHandle();
        std::vector<std::string> names = names_below(where.bucket_dir, where.sidecar);
        DirChain chain = open_dir_chain(where.bucket_dir, names, names.size() - 1);
        if (!ok || !chain.complete(names.size() - 1) ||
            ::renameat(AT_FDCWD, temp->path.c_str(), chain.last(), names.back().c_str()) != 0)
          remove_file(temp->path);
      }
    }
    return result(std::move(info));
  }
}

Result<FsBucketStore::Staged> FsBucketStore::stage_body(const PutBody& body) const {
  Staged staged;
  if (body.file) {
    auto opened = FileHandle::open_read(*body.file);
    if (!opened.ok()) return Error(Errc::InternalError, "the spooled body " + body.file->string() + " is gone");
    FileHandle file = std::move(opened).value();
    OSSLIVE_ASSIGN(staged.size, file.size());
    if (body.md5.size() == 16) {
      staged.md5 = body.md5;
    } else {
      OSSLIVE_ASSIGN(staged.md5, md5_of(file, staged.size));
    }
    OSSLIVE_TRY(file.sync());
    staged.path = *body.file;
    return staged;
  }
  OSSLIVE_ASSIGN(TempFile temp, create_temp("put"));
  Status written = temp.file.write_all(body.data);
  if (written.ok()) written = temp.file.sync();
  if (!written.ok()) {
    remove_file(temp.path);
    return std::move(written).error();
  }
  staged.path = temp.path;
  staged.md5 = body.md5.size() == 16 ? body.md5 : md5(body.data);
  staged.size = body.data.size();
  staged.owned = true;
  return staged;
}

Result<ObjectInfo> FsBucketStore::put_object(std::string_view bucket, std::string_view key, PutBody body,
                                             const ObjectMeta& meta) {
  SpoolGuard spool(body.file);
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(Staged staged, stage_body(body));
  ObjectInfo info;
  info.size = staged.size;
  info.etag = hex_upper(staged.md5);
  info.last_modified = clock_.now_seconds();
  info.object_type = "Normal";
  info.meta = meta;
  auto installed = install(where, staged.path, std::move(info));
  if (installed.ok()) spool.release();
  else if (staged.owned) remove_file(staged.path);
  return installed;
}

Result<ObjectInfo> FsBucketStore::stat_object(std::string_view bucket, std::string_view key) const {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(OpenObject object, load(where, false));
  return std::move(object.info);
}

Result<OpenObject> FsBucketStore::open_object(std::string_view bucket, std::string_view key) const {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  return load(where, true);
}

bool FsBucketStore::object_exists(std::string_view bucket, std::string_view key) const {
  auto where = locate(bucket, key);
  if (!where.ok()) return false;
  auto st = stat_below(where->bucket_dir, where->data);
  return st.ok() && st->kind == Kind::File;
}

Status FsBucketStore::delete_object(std::string_view bucket, std::string_view key) {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  {
    std::lock_guard lock(key_lock(where.bucket, where.key));
    // The folder is reached without following links and both names are removed through it: a
    // link planted where a folder belongs leads nowhere (no object there), never outside.
    const std::size_t depth = where.components.size() - 1;
    DirChain parent = open_dir_chain(where.bucket_dir, where.components, depth);
    if (!parent.complete(depth)) {
      if (parent.error == ENOENT || parent.error == ENOTDIR || parent.error == ELOOP) return {};
      return io_error(parent.error, "open the folder of " + where.data.string());
    }
    const std::string& name = where.components.back();
    struct ::stat st{};
    bool present = ::fstatat(parent.last(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (!present && errno != ENOENT) return io_error(errno, "lstat " + where.data.string());
    if (present && !S_ISREG(st.st_mode)) return {};  // a folder or a link: no object
    if (present && ::unlinkat(parent.last(), name.c_str(), 0) != 0 && errno != ENOENT)
      return io_error(errno, "delete " + where.data.string());
    ::unlinkat(parent.last(), sidecar_name(name).c_str(), 0);
  }
  prune_parents(where);
  return {};
}

// ---- progressive writes ------------------------------------------------------------------------

class FsObjectWriter final : public ObjectWriter {
 public:
  FsObjectWriter(FsBucketStore& store, FsBucketStore::Location where, FsBucketStore::TempFile temp)
      : store_(store), where_(std::move(where)), temp_(std::move(temp)) {
    out_.reset(std::move(temp_.file));
  }
  ~FsObjectWriter() override {
    if (!committed_) remove_file(temp_.path);
  }

  Status write(std::string_view bytes) override {
    if (committed_ || failed_) return Error(Errc::InternalError, "write on a finished object writer");
    Status written = out_.append(bytes);
    if (!written.ok()) {
      failed_ = true;
      return written;
    }
    md5_.update(bytes);
    size_ += bytes.size();
    return {};
  }

  Result<ObjectInfo> commit(const ObjectMeta& meta) override {
    if (committed_ || failed_) return Error(Errc::InternalError, "commit on a finished object writer");
    failed_ = true;  // until install succeeds
    OSSLIVE_TRY(out_.flush());
    OSSLIVE_TRY(out_.file().sync());
    out_.reset(FileHandle());
    ObjectInfo info;
    info.size = size_;
    info.etag = hex_upper(md5_.finish());
    info.last_modified = store_.clock_.now_seconds();
    info.meta = meta;
    OSSLIVE_ASSIGN(info, store_.install(where_, temp_.path, std::move(info)));
    committed_ = true;
    failed_ = false;
    return info;
  }

 private:
  FsBucketStore& store_;
  FsBucketStore::Location where_;
  FsBucketStore::TempFile temp_;
  BufferedFileWriter out_;  // the temp file, written in large pieces
  Md5 md5_;
  std::uint64_t size_ = 0;
  bool committed_ = false;
  bool failed_ = false;
};

Result<std::unique_ptr<ObjectWriter>> FsBucketStore::begin_write(std::string_view bucket, std::string_view key) {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(TempFile temp, create_temp("write"));
  return std::unique_ptr<ObjectWriter>(std::make_unique<FsObjectWriter>(*this, std::move(where), std::move(temp)));
}

}  // namespace osslive::store
