#include "dir_entries.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "fs_util.hpp"
#include "osslive/core/file_handle.hpp"
#include "osslive/store/key_path.hpp"

namespace osslive::store::detail {
namespace {

// Closes the DIR* on every path out.
struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

}  // namespace

Result<std::vector<DirEntry>> read_entries(const std::filesystem::path& root, const std::filesystem::path& dir) {
  std::vector<DirEntry> out;
  // Opened without following links below `root`: a folder swapped for a link after its parent
  // was read is not listed through.
  int fd = open_below(root, dir.lexically_relative(root), O_DIRECTORY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP) return out;
    return io_error(errno, "open folder " + dir.string());
  }
  std::unique_ptr<DIR, DirCloser> handle(::fdopendir(fd));
  if (!handle) {
    int err = errno;
    ::close(fd);
    return io_error(err, "fdopendir " + dir.string());
  }
  while (true) {
    errno = 0;
    struct dirent* entry = ::readdir(handle.get());
    if (entry == nullptr) {
      if (errno != 0) return io_error(errno, "readdir " + dir.string());
      break;
    }
    const char* name = entry->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    auto decoded = decode_key_component(name);
    // "%2E" and "%2E%2E" decode fine but name no valid key; invalid UTF-8 cannot be opened either.
    if (!decoded || *decoded == "." || *decoded == ".." || !is_valid_utf8(*decoded)) continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {
      struct ::stat st{};
      if (::fstatat(::dirfd(handle.get()), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
    }
    if (type != DT_REG && type != DT_DIR) continue;
    DirEntry e;
    e.encoded = name;
    e.folder = type == DT_DIR;
    e.sort_key = std::move(*decoded);
    if (e.folder) e.sort_key.push_back('/');
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.sort_key < b.sort_key; });
  return out;
}

bool has_object(const std::filesystem::path& root, const std::filesystem::path& dir) {
  auto entries = read_entries(root, dir);
  if (!entries.ok()) return false;
  for (const DirEntry& e : *entries)
    if (!e.folder) return true;
  for (const DirEntry& e : *entries)
    if (has_object(root, dir / e.encoded)) return true;
  return false;
}

}  // namespace osslive::store::detail
