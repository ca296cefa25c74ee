#include "fs_util.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::store::detail {

FileIdentity identity_of(const struct ::stat& st) {
  FileIdentity id;
  id.ino = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::uint64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

namespace {
PathStat to_path_stat(const struct ::stat& st) {
  PathStat out;
  if (S_ISREG(st.st_mode)) out.kind = Kind::File;
  else if (S_ISDIR(st.st_mode)) out.kind = Kind::Directory;
  else out.kind = Kind::Other;
  out.id = identity_of(st);
  out.mtime_s = static_cast<std::int64_t>(st.st_mtim.tv_sec);
  return out;
}
}  // namespace

Result<PathStat> stat_path(const fs::path& path) {
  struct ::stat st{};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return PathStat{};
    return io_error(errno, "lstat " + path.string());
  }
  return to_path_stat(st);
}

Result<PathStat> stat_fd(int fd) {
  struct ::stat st{};
  if (::fstat(fd, &st) != 0) return io_error(errno, "fstat");
  return to_path_stat(st);
}

int open_below(const fs::path& dir, const fs::path& relative) {
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return -1;
  struct open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
  how.resolve = RESOLVE_NO_SYMLINKS;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  // Kernels before 5.6 and some seccomp filters lack openat2.
  if (fd < 0 && (errno == ENOSYS || errno == EPERM))
    fd = ::openat(dir_fd, relative.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  int saved = errno;
  ::close(dir_fd);
  errno = saved;
  return static_cast<int>(fd);
}

std::string random_id() { return hex_upper(random_bytes(16)); }

Result<std::string> read_small_file(const fs::path& path) {
  OSSLIVE_ASSIGN(FileHandle file, FileHandle::open_read(path));
  std::string out;
  char buffer[16384];
  while (true) {
    OSSLIVE_ASSIGN(std::size_t got, file.pread(buffer, sizeof buffer, out.size()));
    if (got == 0) break;
    out.append(buffer, got);
  }
  return out;
}

Status write_new_file(const fs::path& path, std::string_view data) {
  OSSLIVE_ASSIGN(FileHandle file, FileHandle::create_new(path));
  Status written = file.write_all(data);
  if (written.ok()) written = file.sync();
  if (!written.ok()) remove_file(path);
  return written;
}

Status replace_file(const fs::path& tmp_dir, const fs::path& target, std::string_view data) {
  fs::path temp = tmp_dir / ("rec-" + random_id());
  OSSLIVE_TRY(write_new_file(temp, data));
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    int err = errno;
    remove_file(temp);
    return io_error(err, "rename to " + target.string());
  }
  return {};
}

Result<std::string> md5_of(const FileHandle& file, std::uint64_t size) {
  Md5 md5;
  std::vector<char> buffer(1 << 20);
  std::uint64_t offset = 0;
  while (offset < size) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - offset));
    OSSLIVE_ASSIGN(std::size_t got, file.pread(buffer.data(), want, offset));
    if (got == 0) break;  // shrank under us: hash what is there, the identity check catches it
    md5.update(buffer.data(), got);
    offset += got;
  }
  return md5.finish();
}

Status append_file(FileHandle& out, const FileHandle& in, std::uint64_t size) {
  loff_t in_offset = 0;
  std::uint64_t left = size;
  bool fast = true;
  while (left > 0 && fast) {
    std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(left, 1ull << 30));
    ssize_t copied = ::copy_file_range(in.fd(), &in_offset, out.fd(), nullptr, chunk, 0);
    if (copied > 0) {
      left -= static_cast<std::uint64_t>(copied);
      continue;
    }
    if (copied == 0) return Error(Errc::InternalError, "part file shrank while it was being copied");
    if (errno == EINTR) continue;
    // Old kernels, cross-device copies and some file systems: fall back to plain copying.
    if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
      fast = false;
      break;
    }
    return io_error(errno, "copy_file_range");
  }
  std::vector<char> buffer(1 << 20);
  while (left > 0) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), left));
    OSSLIVE_ASSIGN(std::size_t got, in.pread(buffer.data(), want, static_cast<std::uint64_t>(in_offset)));
    if (got == 0) return Error(Errc::InternalError, "part file shrank while it was being copied");
    OSSLIVE_TRY(out.write_all(buffer.data(), got));
    in_offset += static_cast<loff_t>(got);
    left -= got;
  }
  return {};
}

bool remove_empty_dir(const fs::path& path) { return ::rmdir(path.c_str()) == 0; }

void remove_tree(const fs::path& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

void remove_file(const fs::path& path) { ::unlink(path.c_str()); }

}  // namespace osslive::store::detail
