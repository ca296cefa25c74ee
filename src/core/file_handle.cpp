#include "osslive/core/file_handle.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace osslive {

FileHandle::~FileHandle() {
  if (fd_ >= 0) ::close(fd_);
}

FileHandle& FileHandle::operator=(FileHandle&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

Error io_error(int err, std::string_view what) {
  std::string message = std::string(what) + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) return Error(Errc::InsufficientStorage, std::move(message));
  return Error(Errc::InternalError, std::move(message));
}

Result<FileHandle> FileHandle::open_read(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Error(Errc::NoSuchKey);
    return io_error(errno, "open " + path.string());
  }
  return FileHandle(fd);
}

Result<FileHandle> FileHandle::create_new(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(errno, "create " + path.string());
  return FileHandle(fd);
}

Result<std::uint64_t> FileHandle::size() const {
  struct stat st{};
  if (::fstat(fd_, &st) != 0) return io_error(errno, "fstat");
  return static_cast<std::uint64_t>(st.st_size);
}

Result<std::size_t> FileHandle::pread(void* buffer, std::size_t n, std::uint64_t offset) const {
  while (true) {
    ssize_t got = ::pread(fd_, buffer, n, static_cast<off_t>(offset));
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno != EINTR) return io_error(errno, "pread");
  }
}

Status FileHandle::write_all(const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t put = ::write(fd_, p, n);
    if (put < 0) {
      if (errno == EINTR) continue;
      return io_error(errno, "write");
    }
    p += put;
    n -= static_cast<std::size_t>(put);
  }
  return {};
}

void BufferedFileWriter::reset(FileHandle file) {
  file_ = std::move(file);
  pending_.clear();
}

Status BufferedFileWriter::append(const void* data, std::size_t n) {
  if (pending_.empty() && n >= chunk_) return file_.write_all(data, n);
  if (pending_.capacity() < chunk_) pending_.reserve(chunk_);
  pending_.append(static_cast<const char*>(data), n);
  if (pending_.size() < chunk_) return {};
  return flush();
}

Status BufferedFileWriter::flush() {
  if (pending_.empty()) return {};
  Status written = file_.write_all(pending_);
  pending_.clear();
  return written;
}

Status FileHandle::sync() {
  if (::fdatasync(fd_) != 0) return io_error(errno, "fdatasync");
  return {};
}

}  // namespace osslive
