#include <system_error>

#include "fs_util.hpp"
#include "osslive/store/notes.hpp"

namespace osslive::store {
namespace {

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::string_view kSuffix = ".json";

Status check_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return Error(Errc::InternalError, "a note id is 1..64 characters");
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-'))
      return Error(Errc::InternalError, "a note id is [0-9a-z-]");
  return {};
}

}  // namespace

FsNotes::FsNotes(std::filesystem::path dir, std::filesystem::path tmp_dir)
    : dir_(std::move(dir)), tmp_dir_(std::move(tmp_dir)) {}

Status FsNotes::put(std::string_view id, std::string_view text) {
  OSSLIVE_TRY(check_id(id));
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::filesystem::create_directories(tmp_dir_, ec);
  return detail::replace_file(tmp_dir_, dir_ / (std::string(id) + std::string(kSuffix)), text);
}

Status FsNotes::remove(std::string_view id) {
  OSSLIVE_TRY(check_id(id));
  std::error_code ec;
  std::filesystem::remove(dir_ / (std::string(id) + std::string(kSuffix)), ec);
  if (ec) return Error(Errc::InternalError, "cannot remove note " + std::string(id) + ": " + ec.message());
  return {};
}

Result<std::vector<std::string>> FsNotes::all() const {
  std::vector<std::string> texts;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.ends_with(kSuffix) || !it->is_regular_file(ec)) continue;  // a temp file or anything else
    auto text = detail::read_small_file(it->path());
    if (text.ok()) texts.push_back(std::move(text).value());
  }
  return texts;
}

}  // namespace osslive::store
