// ListObjects over folders: a lazy depth-first walk in key byte order.
//
// At each level the entries are sorted by decoded name, with "/" appended to folders; every key
// below folder "a" starts with "a/", so this order is the global byte order of keys ("a-c" <
// "a/b" < "a0"). Folders wholly before the marker or outside the prefix are never opened, and
// the walk stops as soon as one entry past the page is seen.
#include <algorithm>
#include <functional>
#include <optional>

#include "dir_entries.hpp"
#include "fs_util.hpp"
#include "osslive/store/fs_bucket_store.hpp"
#include "osslive/store/key_path.hpp"

namespace osslive::store {

namespace fs = std::filesystem;
using namespace detail;

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

class Lister {
 public:
  // Loads one object's info; NoSuchKey means it vanished since the folder was read.
  using Loader = std::function<Result<ObjectInfo>(const std::string& key, const fs::path& file)>;

  Lister(fs::path root, const ListRequest& request, Loader loader)
      : root_(std::move(root)),
        prefix_(request.prefix),
        marker_(request.marker),
        delimiter_(request.delimiter),
        limit_(static_cast<std::size_t>(std::clamp(request.max_keys, 0, 1000))),
        loader_(std::move(loader)) {}

  Status walk(const fs::path& dir, const std::string& base) {
    OSSLIVE_ASSIGN(std::vector<DirEntry> entries, read_entries(root_, dir));
    for (const DirEntry& entry : entries) {
      if (done_) return {};
      std::string path = base + entry.sort_key;  // a key, or a folder's key prefix ending in "/"
      if (entry.folder) {
        OSSLIVE_TRY(visit_folder(dir / entry.encoded, path));
      } else {
        OSSLIVE_TRY(visit_file(dir / entry.encoded, path));
      }
    }
    return {};
  }

  ListResult finish() {
    if (result_.truncated) result_.next_marker = count_ == 0 ? marker_ : last_;
    return std::move(result_);
  }

 private:
  bool after_marker(std::string_view s) const { return marker_.empty() || s > marker_; }

  // The common prefix `key_or_folder` rolls up into, when the delimiter occurs after the prefix.
  std::optional<std::string> rollup(const std::string& path) const {
    if (delimiter_.empty() || path.size() < prefix_.size() || !starts_with(path, prefix_)) return std::nullopt;
    std::size_t at = path.find(delimiter_, prefix_.size());
    if (at == std::string::npos) return std::nullopt;
    return path.substr(0, at + delimiter_.size());
  }

  Status visit_folder(const fs::path& dir, const std::string& folder) {
    if (folder.size() > kMaxKeyBytes) return {};
    if (!starts_with(folder, prefix_) && !starts_with(prefix_, folder)) return {};
    // Every key below starts with `folder`: all of them sort before the marker unless the
    // marker itself lies inside this folder.
    if (!marker_.empty() && folder < marker_ && !starts_with(marker_, folder)) return {};
    if (!last_prefix_.empty() && starts_with(folder, last_prefix_)) return {};
    if (auto common = rollup(folder)) {
      // The whole folder is one common prefix: no need to walk it, only to know it holds an object.
      if (!after_marker(*common) || *common == last_prefix_ || !has_object(root_, dir)) return {};
      emit_prefix(std::move(*common));
      return {};
    }
    return walk(dir, folder);
  }

  Status visit_file(const fs::path& file, const std::string& key) {
    if (key.size() > kMaxKeyBytes || !starts_with(key, prefix_) || !after_marker(key)) return {};
    if (auto common = rollup(key)) {
      if (after_marker(*common) && *common != last_prefix_) emit_prefix(std::move(*common));
      return {};
    }
    if (!room()) return {};  // before loading: the entry past the page is never read
    auto info = loader_(key, file);
    if (!info.ok()) {
      --count_;
      if (info.error().code() == Errc::NoSuchKey) return {};  // deleted since the folder was read
      return std::move(info).error();
    }
    result_.objects.push_back(std::move(info).value());
    last_ = result_.objects.back().key;
    return {};
  }

  void emit_prefix(std::string common) {
    last_prefix_ = common;
    if (!room()) return;
    result_.common_prefixes.push_back(std::move(common));
    last_ = result_.common_prefixes.back();
  }

  // One more entry was found: it fits on the page, or it proves the page is truncated.
  bool room() {
    if (count_ < limit_) {
      ++count_;
      return true;
    }
    result_.truncated = true;
    done_ = true;
    return false;
  }

  fs::path root_;  // the bucket folder: nothing below it is reached through a link
  std::string prefix_;
  std::string marker_;
  std::string delimiter_;
  std::size_t limit_;
  Loader loader_;
  ListResult result_;
  std::size_t count_ = 0;
  bool done_ = false;
  std::string last_prefix_;           // common prefixes are contiguous in key order: skip repeats
  std::string last_;  // the last key or prefix on the page
};

}  // namespace

Result<ListResult> FsBucketStore::list_objects(std::string_view bucket, const ListRequest& request) const {
  OSSLIVE_ASSIGN(fs::path root, existing_bucket_dir(bucket));
  Lister lister(root, request, [&](const std::string& key, const fs::path& file) -> Result<ObjectInfo> {
    Location where;
    where.bucket = bucket;
    where.key = key;
    where.bucket_dir = root;
    where.data = file;
    where.sidecar = file.parent_path() / sidecar_name(file.filename().native());
    OSSLIVE_ASSIGN(OpenObject object, load(where, false));
    return std::move(object.info);
  });

  // Start in the deepest folder the prefix names in full: "a/b/c" walks only folder a/b.
  fs::path dir = root;
  std::string base;
  std::string_view prefix = request.prefix;
  std::size_t slash = prefix.rfind('/');
  if (slash != std::string_view::npos) {
    std::string_view folders = prefix.substr(0, slash);
    std::size_t begin = 0;
    while (true) {
      std::size_t end = folders.find('/', begin);
      std::string_view part = folders.substr(begin, end == std::string_view::npos ? end : end - begin);
      std::string encoded = encode_key_component(part);
      if (part == "." || part == ".." || encoded.size() > kMaxEncodedComponentBytes) return lister.finish();
      dir /= encoded;
      OSSLIVE_ASSIGN(PathStat st, stat_below(root, dir));
      if (st.kind != Kind::Directory) return lister.finish();
      if (end == std::string_view::npos) break;
      begin = end + 1;
    }
    base = std::string(prefix.substr(0, slash + 1));
  }
  OSSLIVE_TRY(lister.walk(dir, base));
  return lister.finish();
}

}  // namespace osslive::store
