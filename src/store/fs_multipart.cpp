// FsBucketStore multipart uploads: .osslive/multipart/<uploadId>/{upload.json, <n>, <n>.json}.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <system_error>
#include <tuple>

#include "fs_util.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/fs_bucket_store.hpp"
#include "records.hpp"

namespace osslive::store {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr int kMaxPartNumber = 10000;
// OSS refuses to complete an upload whose parts (all but the last) are smaller than this.
constexpr std::uint64_t kMinPartSize = 100 * 1024;

Error no_such_upload(std::string_view upload_id) {
  return Error(Errc::NoSuchUpload).with("UploadId", std::string(upload_id.substr(0, 64)));
}

// Ids are exactly what initiate made (32 upper-case hex), so a client's id never becomes a path.
bool is_upload_id(std::string_view id) {
  return id.size() == 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); });
}

struct Upload {
  fs::path dir;
  UploadRecord record;
};

Result<Upload> open_upload(const fs::path& uploads_dir, std::string_view bucket, std::string_view key,
                           std::string_view upload_id) {
  if (!is_upload_id(upload_id)) return no_such_upload(upload_id);
  Upload upload;
  upload.dir = uploads_dir / std::string(upload_id);
  auto text = read_small_file(upload.dir / "upload.json");
  if (!text.ok()) {
    if (text.error().code() == Errc::NoSuchKey) return no_such_upload(upload_id);
    return std::move(text).error();
  }
  auto record = parse_upload(*text);
  // An id that belongs to another object is as unknown here as a made-up one.
  if (!record || record->bucket != bucket || record->key != key) return no_such_upload(upload_id);
  upload.record = std::move(*record);
  return upload;
}

struct Part {
  PartInfo info;
  FileHandle file;
};

// The part's bytes (pinned) and its info; the ETag is recomputed when the record does not
// describe this very file (a re-upload between its two renames).
Result<Part> open_part(const fs::path& dir, int number) {
  std::string name = std::to_string(number);
  auto opened = FileHandle::open_read(dir / name);
  if (!opened.ok()) return std::move(opened).error();
  Part part;
  part.file = std::move(opened).value();
  OSSLIVE_ASSIGN(PathStat st, stat_fd(part.file.fd()));
  if (st.kind != Kind::File) return Error(Errc::NoSuchKey);
  auto text = read_small_file(dir / (name + ".json"));
  auto record = text.ok() ? parse_part(*text) : std::nullopt;
  if (record && record->data == st.id) {
    part.info = record->info;
  } else {
    OSSLIVE_ASSIGN(std::string digest, md5_of(part.file, st.id.size));
    part.info.etag = hex_upper(digest);
    part.info.size = st.id.size;
    part.info.last_modified = st.mtime_s;
  }
  part.info.part_number = number;
  return part;
}

std::vector<int> part_numbers(const fs::path& dir) {
  std::vector<int> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    int number = 0;
    auto [ptr, err] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (err == std::errc() && ptr == name.data() + name.size() && number >= 1 && number <= kMaxPartNumber &&
        name == std::to_string(number))
      out.push_back(number);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Client ETags arrive quoted or not, in any case.
std::string normalise_etag(std::string_view etag) {
  etag = trim(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return to_upper(etag);
}

std::string raw_md5(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    unsigned value = 0;
    std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    out.push_back(static_cast<char>(value));
  }
  return out;
}

}  // namespace

Result<std::string> FsBucketStore::initiate_multipart(std::string_view bucket, std::string_view key,
                                                      const ObjectMeta& meta) {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  UploadRecord record;
  record.bucket = where.bucket;
  record.key = where.key;
  record.meta = meta;
  record.initiated = clock_.now_seconds();
  std::string id = random_id();
  fs::path dir = uploads_dir_ / id;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) fs::create_directories(tmp_dir_, ec);
  if (ec) return io_error(ec.value(), "create upload folder " + dir.string());
  if (Status written = replace_file(temp_path("rec"), dir / "upload.json", upload_json(record)); !written.ok()) {
    remove_tree(dir);
    return std::move(written).error();
  }
  return id;
}

Result<PartInfo> FsBucketStore::upload_part(std::string_view bucket, std::string_view key, std::string_view upload_id,
                                            int part_number, PutBody body) {
  SpoolGuard spool(body.file);
  if (part_number < 1 || part_number > kMaxPartNumber)
    return invalid_argument("partNumber", "must be in [1, 10000]", std::to_string(part_number));
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(Upload upload, open_upload(uploads_dir_, where.bucket, where.key, upload_id));
  OSSLIVE_ASSIGN(Staged staged, stage_body(body));
  auto discard = [&](Error error) -> Error {
    if (staged.owned) remove_file(staged.path);
    return error;
  };
  auto st = stat_path(staged.path);
  if (!st.ok()) return discard(std::move(st).error());

  PartInfo info;
  info.part_number = part_number;
  info.etag = hex_upper(staged.md5);
  info.size = staged.size;
  info.last_modified = clock_.now_seconds();
  auto side = create_temp("part");
  if (!side.ok()) return discard(std::move(side).error());
  Status written = side->file.write_all(part_json(info, st->id));
  if (written.ok()) written = side->file.sync();
  side->file = FileHandle();
  if (!written.ok()) {
    remove_file(side->path);
    return discard(std::move(written).error());
  }

  // No lock between the two renames: uploads of one part on two nodes may leave the record of
  // the other's bytes, and open_part then derives everything again from the bytes it pinned.
  std::string name = std::to_string(part_number);
  if (::rename(staged.path.c_str(), (upload.dir / name).c_str()) != 0) {
    int err = errno;
    remove_file(side->path);
    if (err == ENOENT) return discard(no_such_upload(upload_id));  // aborted or completed meanwhile
    return discard(io_error(err, "store part " + name));
  }
  spool.release();
  if (::rename(side->path.c_str(), (upload.dir / (name + ".json")).c_str()) != 0) remove_file(side->path);
  return info;
}

Result<ObjectInfo> FsBucketStore::complete_multipart(std::string_view bucket, std::string_view key,
                                                     std::string_view upload_id,
                                                     const std::vector<CompletePart>& parts) {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(Upload upload, open_upload(uploads_dir_, where.bucket, where.key, upload_id));
  if (parts.empty()) return Error(Errc::MalformedXML, "CompleteMultipartUpload needs at least one part.");
  for (std::size_t i = 1; i < parts.size(); ++i)
    if (parts[i].part_number <= parts[i - 1].part_number) return Error(Errc::InvalidPartOrder);

  std::vector<Part> opened;
  opened.reserve(parts.size());
  for (const CompletePart& wanted : parts) {
    std::string number = std::to_string(wanted.part_number);
    auto invalid = [&](std::string why) {
      return Error(Errc::InvalidPart, "Part " + number + " " + why).with("PartNumber", number);
    };
    if (wanted.part_number < 1 || wanted.part_number > kMaxPartNumber) return invalid("is out of [1, 10000].");
    auto part = open_part(upload.dir, wanted.part_number);
    if (!part.ok()) {
      if (part.error().code() == Errc::NoSuchKey) return invalid("was not uploaded.");
      return std::move(part).error();
    }
    if (normalise_etag(wanted.etag) != part->info.etag)
      return invalid("has ETag \"" + part->info.etag + "\", not \"" + wanted.etag + "\".");
    opened.push_back(std::move(part).value());
  }
  for (std::size_t i = 0; i + 1 < opened.size(); ++i)
    if (opened[i].info.size < kMinPartSize)
      return Error(Errc::EntityTooSmall, "Part " + std::to_string(opened[i].info.part_number) + " is " +
                                             std::to_string(opened[i].info.size) +
                                             " bytes; every part but the last must be at least 102400 bytes.")
          .with("PartNumber", std::to_string(opened[i].info.part_number));

  OSSLIVE_ASSIGN(TempFile temp, create_temp("complete"));
  std::string digests;
  std::uint64_t total = 0;
  Status copied;
  for (Part& part : opened) {
    copied = append_file(temp.file, part.file, part.info.size);
    if (!copied.ok()) break;
    digests += raw_md5(part.info.etag);
    total += part.info.size;
  }
  if (copied.ok()) copied = temp.file.sync();
  temp.file = FileHandle();
  if (!copied.ok()) {
    remove_file(temp.path);
    return std::move(copied).error();
  }

  ObjectInfo info;
  info.size = total;
  info.etag = hex_upper(md5(digests)) + "-" + std::to_string(opened.size());
  info.last_modified = clock_.now_seconds();
  info.object_type = "Multipart";
  info.meta = upload.record.meta;
  auto installed = install(where, temp.path, std::move(info));
  if (!installed.ok()) {
    remove_file(temp.path);
    return installed;
  }
  remove_tree(upload.dir);
  return installed;
}

Status FsBucketStore::abort_multipart(std::string_view bucket, std::string_view key, std::string_view upload_id) {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(Upload upload, open_upload(uploads_dir_, where.bucket, where.key, upload_id));
  // Out of sight first, so a part arriving now fails with NoSuchUpload instead of landing in a
  // folder that is being deleted.
  fs::path doomed = temp_path("abort");
  if (::rename(upload.dir.c_str(), doomed.c_str()) != 0) {
    if (errno == ENOENT) return no_such_upload(upload_id);
    remove_tree(upload.dir);
    return {};
  }
  remove_tree(doomed);
  return {};
}

Result<std::vector<PartInfo>> FsBucketStore::list_parts(std::string_view bucket, std::string_view key,
                                                        std::string_view upload_id) const {
  OSSLIVE_ASSIGN(Location where, locate(bucket, key));
  OSSLIVE_ASSIGN(Upload upload, open_upload(uploads_dir_, where.bucket, where.key, upload_id));
  std::vector<PartInfo> out;
  for (int number : part_numbers(upload.dir)) {
    auto part = open_part(upload.dir, number);
    if (part.ok()) out.push_back(part->info);  // skip one removed meanwhile
  }
  return out;
}

Result<std::vector<UploadInfo>> FsBucketStore::list_uploads(std::string_view bucket, std::string_view prefix) const {
  OSSLIVE_TRY(existing_bucket_dir(bucket));
  std::vector<UploadInfo> out;
  std::error_code ec;
  for (fs::directory_iterator it(uploads_dir_, ec), end; !ec && it != end; it.increment(ec)) {
    std::string id = it->path().filename().string();
    if (!is_upload_id(id)) continue;
    auto text = read_small_file(it->path() / "upload.json");
    auto record = text.ok() ? parse_upload(*text) : std::nullopt;
    if (!record || record->bucket != bucket || record->key.compare(0, prefix.size(), prefix) != 0) continue;
    out.push_back(UploadInfo{record->key, id, record->initiated});
  }
  std::sort(out.begin(), out.end(), [](const UploadInfo& a, const UploadInfo& b) {
    return std::tie(a.key, a.initiated, a.upload_id) < std::tie(b.key, b.initiated, b.upload_id);
  });
  return out;
}

}  // namespace osslive::store
