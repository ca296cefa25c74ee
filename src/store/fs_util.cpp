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

namespace {

// One step down: `name` in the folder `at`, never through a symlink (O_NOFOLLOW fails with ELOOP
// on one). O_NONBLOCK: a FIFO planted in a bucket opens at once instead of blocking the thread.
int open_step(int at, const char* name, int flags) {
  int fd;
  do {
    fd = ::openat(at, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

DirChain open_dir_chain(const fs::path& dir, const std::vector<std::string>& components, std::size_t count) {
  DirChain chain;
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    chain.error = errno;
    return chain;
  }
  chain.dirs.emplace_back(fd);
  for (std::size_t i = 0; i < count && i < components.size(); ++i) {
    fd = open_step(chain.dirs.back().fd(), components[i].c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
      chain.error = errno;
      return chain;
    }
    chain.dirs.emplace_back(fd);
  }
  return chain;
}

int open_below(const fs::path& dir, const fs::path& relative, int flags) {
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return -1;
  struct open_how how{};
  how.flags = static_cast<std::uint64_t>(O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | flags);
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  // Kernels before 5.6 and some seccomp filters lack openat2: walk down one name at a time.
  int saved = errno;
  if (fd < 0 && (saved == ENOSYS || saved == EPERM)) {
    std::vector<std::string> names = names_below(dir, dir / relative);
    DirChain chain = open_dir_chain(dir, names, names.empty() ? 0 : names.size() - 1);
    if (!chain.complete(names.empty() ? 0 : names.size() - 1)) {
      fd = -1;
      saved = chain.error;
    } else {
      fd = names.empty() ? ::fcntl(chain.last(), F_DUPFD_CLOEXEC, 0) : open_step(chain.last(), names.back().c_str(), O_RDONLY | flags);
      saved = errno;
    }
  }
  ::close(dir_fd);
  errno = saved;
  return static_cast<int>(fd);
}

Result<PathStat> stat_below(const fs::path& dir, const fs::path& path) {
  int fd = open_below(dir, path.lexically_relative(dir));
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) return PathStat{};
    if (err == ELOOP || err == ENXIO) return PathStat{Kind::Other, {}, 0};
    return io_error(err, "open " + path.string());
  }
  FileHandle file(fd);
  return stat_fd(fd);
}

Result<std::string> read_below(const fs::path& dir, const fs::path& path) {
  int fd = open_below(dir, path.lexically_relative(dir));
  if (fd < 0) return Error(Errc::NoSuchKey);
  FileHandle file(fd);
  OSSLIVE_ASSIGN(PathStat st, stat_fd(fd));
  if (st.kind != Kind::File) return Error(Errc::NoSuchKey);
  return read_small_file(file);
}

std::vector<std::string> names_below(const fs::path& dir, const fs::path& path) {
  std::vector<std::string> names;
  for (const fs::path& part : path.lexically_relative(dir))
    if (part != ".") names.push_back(part.string());
  return names;
}

bool same_file(int fd, const fs::path& path) {
  struct ::stat held{}, now{};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_dev == now.st_dev &&
         held.st_ino == now.st_ino;
}

std::string random_id() { return hex_upper(random_bytes(16)); }

Result<std::string> read_small_file(const fs::path& path) {
  OSSLIVE_ASSIGN(FileHandle file, FileHandle::open_read(path));
  return read_small_file(file);
}

Result<std::string> read_small_file(const FileHandle& file) {
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
