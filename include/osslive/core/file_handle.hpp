#pragma once
// An owned POSIX file descriptor. Readers keep the inode they opened, so an object
// replaced by rename while it is being served is never torn.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "osslive/core/result.hpp"

namespace osslive {

class FileHandle {
 public:
  FileHandle() = default;
  explicit FileHandle(int fd) : fd_(fd) {}
  ~FileHandle();
  FileHandle(FileHandle&& other) noexcept : fd_(other.release()) {}
  FileHandle& operator=(FileHandle&& other) noexcept;
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;

  static Result<FileHandle> open_read(const std::filesystem::path& path);
  // O_CREAT|O_EXCL|O_WRONLY, mode 0644.
  static Result<FileHandle> create_new(const std::filesystem::path& path);

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() { int fd = fd_; fd_ = -1; return fd; }

  Result<std::uint64_t> size() const;
  // Reads up to n bytes at offset; returns bytes read (0 at end).
  Result<std::size_t> pread(void* buffer, std::size_t n, std::uint64_t offset) const;
  Status write_all(const void* data, std::size_t n);
  Status write_all(std::string_view data) { return write_all(data.data(), data.size()); }
  Status sync();

 private:
  int fd_ = -1;
};

// Appends to a file in large writes. Objects written in the muxer's small pieces end up in the
// page cache as small folios, and sendfile(2) of such a file costs the kernel about a quarter
// more than of the same bytes written in one go (docs/PERFORMANCE.md, stored segments).
class BufferedFileWriter {
 public:
  static constexpr std::size_t kDefaultChunk = 256 << 10;
  explicit BufferedFileWriter(std::size_t chunk = kDefaultChunk) : chunk_(chunk) {}

  FileHandle& file() { return file_; }
  void reset(FileHandle file);
  Status append(const void* data, std::size_t n);
  Status append(std::string_view data) { return append(data.data(), data.size()); }
  // Writes what is buffered; call before sync() or before the file is read back.
  Status flush();

 private:
  FileHandle file_;
  std::string pending_;
  std::size_t chunk_;
};

// Maps an errno from a write path to the right row of the error table (ENOSPC -> InsufficientStorage).
Error io_error(int err, std::string_view what);

}  // namespace osslive
