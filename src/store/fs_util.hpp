#pragma once
// File-system helpers the FsBucketStore sources share: identities, small files, copies, MD5.
#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Opens `dir / relative` read-only (plus `flags`, e.g. O_DIRECTORY) without following any
// symlink below `dir`: openat2 RESOLVE_NO_SYMLINKS, or on kernels without it one
// openat(O_NOFOLLOW) per name. O_NONBLOCK, so a FIFO never blocks the open. -1 with errno on
// failure; a symlink on the way is ELOOP.
int open_below(const fs::path& dir, const fs::path& relative, int flags = 0);

// The folders from `dir` down through the first `count` of `components` (encoded names), each
// opened from the one before with O_DIRECTORY | O_NOFOLLOW, so no symlink on the way is followed
// on any kernel. Acting on a name through the last handle (unlinkat, renameat, mkdirat) stays
// below `dir` even if a link replaces a folder meanwhile. The chain stops at the first step that
// fails: complete when it holds count + 1 handles, else `error` says why (ELOOP or ENOTDIR: a
// link or a file on the way; ENOENT: missing).
struct DirChain {
  std::vector<FileHandle> dirs;
  int error = 0;
  bool complete(std::size_t count) const { return dirs.size() == count + 1; }
  int last() const { return dirs.back().fd(); }
};
DirChain open_dir_chain(const fs::path& dir, const std::vector<std::string>& components, std::size_t count);

// `path` (below `dir`) opened, stat'ed or read through open_below: Missing when absent, Other
// for a link on the way (or anything but a file or folder at the end).
Result<PathStat> stat_below(const fs::path& dir, const fs::path& path);
// NoSuchKey when absent, a link or not a regular file.
Result<std::string> read_below(const fs::path& dir, const fs::path& path);
// The names from `dir` down to `path`.
std::vector<std::string> names_below(const fs::path& dir, const fs::path& path);
// Whether `path` is (still) the file or folder `fd` holds open.
bool same_file(int fd, const fs::path& path);

// 32 upper-case hex characters from the CSPRNG (upload ids, temp names).
std::string random_id();

// Whole small file (sidecars, records); NoSuchKey when absent.
Result<std::string> read_small_file(const fs::path& path);
Result<std::string> read_small_file(const FileHandle& file);
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
