#pragma once
// File-system helpers the FsBucketStore sources share: identities, small files, copies, MD5.
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"

namespace osslive::store::detail {

namespace fs = std::filesystem;

// What a sidecar records about its data file. A sidecar whose identity differs from the file
// describes other bytes (a writer between its two renames, a crash there, an edit by hand).
struct FileIdentity {
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

enum class Kind { Missing, File, Directory, Other };

struct PathStat {
  Kind kind = Kind::Missing;
  FileIdentity id;
  std::int64_t mtime_s = 0;
};

FileIdentity identity_of(const struct ::stat& st);
// lstat: symlinks are Other, so a link dropped into a bucket never leads outside it.
Result<PathStat> stat_path(const fs::path& path);
Result<PathStat> stat_fd(int fd);

// Opens `dir / relative` read-only without following any symlink below `dir` (openat2
// RESOLVE_NO_SYMLINKS; plain O_NOFOLLOW on kernels without it). -1 with errno on failure;
// a symlink on the way is ELOOP.
int open_below(const fs::path& dir, const fs::path& relative);

// 32 upper-case hex characters from the CSPRNG (upload ids, temp names).
std::string random_id();

// Whole small file (sidecars, records); NoSuchKey when absent.
Result<std::string> read_small_file(const fs::path& path);
// Creates `path` exclusively, writes and fdatasyncs it.
Status write_new_file(const fs::path& path, std::string_view data);
// Writes `data` to a fresh temp file in `tmp_dir` and renames it over `target`.
Status replace_file(const fs::path& tmp_dir, const fs::path& target, std::string_view data);

Result<std::string> md5_of(const FileHandle& file, std::uint64_t size);
// Appends `size` bytes of `in` (from offset 0) to `out`: copy_file_range, read/write where unsupported.
Status append_file(FileHandle& out, const FileHandle& in, std::uint64_t size);

// rmdir; false when not empty or gone (both fine for best-effort pruning).
bool remove_empty_dir(const fs::path& path);
void remove_tree(const fs::path& path);
void remove_file(const fs::path& path);

// A spooled request body passed to the store is the store's from then on: moved into place on
// success, deleted on any failure (the request gave it up, so nobody else would).
class SpoolGuard {
 public:
  explicit SpoolGuard(std::optional<fs::path> file) : file_(std::move(file)) {}
  ~SpoolGuard() {
    if (file_) remove_file(*file_);
  }
  SpoolGuard(const SpoolGuard&) = delete;
  SpoolGuard& operator=(const SpoolGuard&) = delete;
  void release() { file_.reset(); }

 private:
  std::optional<fs::path> file_;
};

}  // namespace osslive::store::detail
