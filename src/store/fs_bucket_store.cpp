// FsBucketStore: construction, recovery, buckets and the helpers every operation shares.
#include "osslive/store/fs_bucket_store.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <system_error>

#include "dir_entries.hpp"
#include "fs_util.hpp"
#include "osslive/store/key_path.hpp"
#include "records.hpp"

namespace osslive::store {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// NoSuchKey and NoSuchBucket carry no Key / BucketName field: the OSS layer adds those from the
// request address, so the error body names each once.
Error no_such_bucket() { return Error(Errc::NoSuchBucket); }

Status check_acl(std::string_view acl) {
  if (acl == "private" || acl == "public-read" || acl == "public-read-write") return {};
  return invalid_argument("x-oss-acl", "must be private, public-read or public-read-write", acl);
}

Status make_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error(ec.value(), "create " + dir.string());
  return {};
}

}  // namespace

FsBucketStore::FsBucketStore(fs::path data_dir, const Clock& clock)
    : data_dir_(std::move(data_dir)),
      state_dir_(data_dir_ / ".osslive"),
      tmp_dir_(state_dir_ / "tmp"),
      buckets_dir_(state_dir_ / "buckets"),
      uploads_dir_(state_dir_ / "multipart"),
      clock_(clock) {}

FsBucketStore::~FsBucketStore() = default;

Status FsBucketStore::recover() {
  for (const fs::path& dir : {tmp_dir_, buckets_dir_, uploads_dir_}) OSSLIVE_TRY(make_dirs(dir));

  std::error_code ec;
  for (fs::directory_iterator it(tmp_dir_, ec), end; !ec && it != end; it.increment(ec)) remove_tree(it->path());

  for (fs::directory_iterator it(buckets_dir_, ec), end; !ec && it != end; it.increment(ec)) {
    fs::path name = it->path().filename();
    if (name.extension() != ".json" || !is_valid_bucket_name(name.stem().string()) ||
        !fs::is_directory(data_dir_ / name.stem(), ec))
      remove_file(it->path());
  }

  // Sidecars whose data file is gone: a delete interrupted between its two unlinks.
  for (fs::directory_iterator it(data_dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (!is_valid_bucket_name(it->path().filename().string()) || !it->is_directory(ec)) continue;
    std::error_code walk_ec;
    for (fs::recursive_directory_iterator w(it->path(), fs::directory_options::skip_permission_denied, walk_ec), wend;
         !walk_ec && w != wend; w.increment(walk_ec)) {
      std::string name = w->path().filename().string();
      if (name.rfind(".%m.", 0) != 0 || !w->is_regular_file(walk_ec)) continue;
      auto data = stat_path(w->path().parent_path() / name.substr(4));
      if (data.ok() && data->kind != Kind::File) remove_file(w->path());
    }
  }

  for (fs::directory_iterator it(uploads_dir_, ec), end; !ec && it != end; it.increment(ec)) {
    auto text = read_small_file(it->path() / "upload.json");
    auto record = text.ok() ? parse_upload(*text) : std::nullopt;
    std::error_code bucket_ec;
    if (!record || !fs::is_directory(data_dir_ / record->bucket, bucket_ec)) remove_tree(it->path());
  }
  return {};
}

// ---- helpers ---------------------------------------------------------------------------------

Result<fs::path> FsBucketStore::existing_bucket_dir(std::string_view bucket) const {
  if (!is_valid_bucket_name(bucket))
    return Error(Errc::InvalidBucketName).with("BucketName", std::string(bucket));
  fs::path dir = data_dir_ / std::string(bucket);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return no_such_bucket();
  return dir;
}

Result<FsBucketStore::Location> FsBucketStore::locate(std::string_view bucket, std::string_view key) const {
  Location where;
  OSSLIVE_ASSIGN(where.bucket_dir, existing_bucket_dir(bucket));
  OSSLIVE_ASSIGN(where.components, encode_key_path(key));
  where.bucket = bucket;
  where.key = key;
  where.data = where.bucket_dir;
  for (const std::string& c : where.components) where.data /= c;
  where.sidecar = where.data.parent_path() / sidecar_name(where.components.back());
  return where;
}

std::mutex& FsBucketStore::key_lock(std::string_view scope, std::string_view key) const {
  std::size_t h = std::hash<std::string_view>{}(scope) * 31 + std::hash<std::string_view>{}(key);
  return key_locks_[h % key_locks_.size()];
}

Result<FsBucketStore::TempFile> FsBucketStore::create_temp(std::string_view tag) const {
  TempFile temp;
  temp.path = tmp_dir_ / (std::string(tag) + "-" + random_id());
  auto file = FileHandle::create_new(temp.path);
  if (!file.ok()) {
    // Works without recover(): the first write creates the layout.
    OSSLIVE_TRY(make_dirs(tmp_dir_));
    file = FileHandle::create_new(temp.path);
    if (!file.ok()) return std::move(file).error();
  }
  temp.file = std::move(file).value();
  return temp;
}

// ---- buckets ---------------------------------------------------------------------------------

Status FsBucketStore::create_bucket(std::string_view bucket, std::string_view acl) {
  if (!is_valid_bucket_name(bucket))
    return Error(Errc::InvalidBucketName).with("BucketName", std::string(bucket));
  if (acl.empty()) acl = "private";
  OSSLIVE_TRY(check_acl(acl));
  std::lock_guard lock(bucket_mutex_);
  OSSLIVE_TRY(make_dirs(data_dir_));
  fs::path dir = data_dir_ / std::string(bucket);
  // The folder is the bucket; mkdir is the atomic claim on the name. A record left without a
  // folder (deleted by hand) is simply overwritten.
  if (::mkdir(dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) return Error(Errc::BucketAlreadyExists).with("BucketName", std::string(bucket));
    return io_error(errno, "create bucket folder " + dir.string());
  }
  BucketRecord record;
  record.acl = acl;
  record.created = clock_.now_seconds();
  Status written = make_dirs(buckets_dir_);
  if (written.ok()) written = make_dirs(tmp_dir_);
  if (written.ok())
    written = replace_file(tmp_dir_, buckets_dir_ / (std::string(bucket) + ".json"), bucket_json(record));
  if (!written.ok()) remove_empty_dir(dir);
  return written;
}

Result<BucketInfo> FsBucketStore::bucket_info(std::string_view bucket) const {
  OSSLIVE_ASSIGN(fs::path dir, existing_bucket_dir(bucket));
  BucketInfo info;
  info.name = bucket;
  auto text = read_small_file(buckets_dir_ / (std::string(bucket) + ".json"));
  auto record = text.ok() ? parse_bucket(*text) : std::nullopt;
  if (record) {
    info.acl = record->acl;
    info.created = record->created;
    info.cors_xml = record->cors_xml;
  } else {
    OSSLIVE_ASSIGN(PathStat st, stat_path(dir));
    info.created = st.mtime_s;
  }
  return info;
}

Result<std::vector<BucketInfo>> FsBucketStore::list_buckets() const {
  std::vector<BucketInfo> out;
  std::error_code ec;
  fs::directory_iterator it(data_dir_, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return out;
    return io_error(ec.value(), "list " + data_dir_.string());
  }
  for (fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!is_valid_bucket_name(name)) continue;
    auto info = bucket_info(name);
    if (info.ok()) out.push_back(std::move(info).value());  // not a folder, or deleted meanwhile
  }
  std::sort(out.begin(), out.end(), [](const BucketInfo& a, const BucketInfo& b) { return a.name < b.name; });
  return out;
}

Status FsBucketStore::delete_bucket(std::string_view bucket) {
  std::lock_guard lock(bucket_mutex_);
  OSSLIVE_ASSIGN(fs::path dir, existing_bucket_dir(bucket));
  auto not_empty = [&] { return Error(Errc::BucketNotEmpty).with("BucketName", std::string(bucket)); };
  if (has_object(dir, dir)) return not_empty();
  // Move the folder out of sight first, so a put racing this delete either lands before the
  // move (and is found below) or fails with NoSuchBucket; it is never deleted silently.
  OSSLIVE_TRY(make_dirs(tmp_dir_));
  fs::path doomed = tmp_dir_ / ("bucket-" + random_id());
  if (::rename(dir.c_str(), doomed.c_str()) != 0) return io_error(errno, "delete bucket " + dir.string());
  if (has_object(doomed, doomed)) {
    if (::rename(doomed.c_str(), dir.c_str()) != 0) return io_error(errno, "restore bucket " + dir.string());
    return not_empty();
  }
  remove_tree(doomed);
  remove_file(buckets_dir_ / (std::string(bucket) + ".json"));
  remove_uploads_of(bucket);
  return {};
}

Status FsBucketStore::set_bucket_acl(std::string_view bucket, std::string_view acl) {
  if (acl.empty()) acl = "private";
  OSSLIVE_TRY(check_acl(acl));
  return update_bucket_record(bucket, acl, std::nullopt);
}

Status FsBucketStore::set_bucket_cors(std::string_view bucket, std::string_view cors_xml) {
  return update_bucket_record(bucket, std::nullopt, cors_xml);
}

Status FsBucketStore::update_bucket_record(std::string_view bucket, std::optional<std::string_view> acl,
                                           std::optional<std::string_view> cors_xml) {
  std::lock_guard lock(bucket_mutex_);
  OSSLIVE_ASSIGN(BucketInfo info, bucket_info(bucket));
  BucketRecord record;
  record.acl = acl ? std::string(*acl) : info.acl;
  record.created = info.created;
  record.cors_xml = cors_xml ? std::string(*cors_xml) : info.cors_xml;
  OSSLIVE_TRY(make_dirs(buckets_dir_));
  OSSLIVE_TRY(make_dirs(tmp_dir_));
  return replace_file(tmp_dir_, buckets_dir_ / (std::string(bucket) + ".json"), bucket_json(record));
}

void FsBucketStore::remove_uploads_of(std::string_view bucket) const {
  std::error_code ec;
  for (fs::directory_iterator it(uploads_dir_, ec), end; !ec && it != end; it.increment(ec)) {
    auto text = read_small_file(it->path() / "upload.json");
    auto record = text.ok() ? parse_upload(*text) : std::nullopt;
    if (record && record->bucket == bucket) remove_tree(it->path());
  }
}

}  // namespace osslive::store
