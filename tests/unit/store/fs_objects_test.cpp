#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

ObjectMeta full_meta() {
  ObjectMeta meta;
  meta.content_type = "video/mp4";
  meta.cache_control = "max-age=60";
  meta.content_disposition = "attachment; filename=\"a.mp4\"";
  meta.content_encoding = "identity";
  meta.expires = "Thu, 01 Dec 2033 16:00:00 GMT";
  meta.user_meta = {{"x-oss-meta-zeta", "last"}, {"x-oss-meta-alpha", "\xff binary \x01"}};
  return meta;
}

TEST_F(StoreTest, PutStatOpenDeleteRoundTripKeepsMetadata) {
  ObjectInfo put_info = put("videos/a.mp4", "hello world", full_meta());
  EXPECT_EQ(put_info.key, "videos/a.mp4");
  EXPECT_EQ(put_info.etag, "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  EXPECT_EQ(put_info.size, 11u);
  EXPECT_EQ(put_info.last_modified, kNow);
  EXPECT_EQ(put_info.object_type, "Normal");

  clock_.set(kNow + 100);  // stat reports when it was written, not now
  auto info = store_->stat_object("bkt", "videos/a.mp4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->key, "videos/a.mp4");
  EXPECT_EQ(info->etag, "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  EXPECT_EQ(info->size, 11u);
  EXPECT_EQ(info->last_modified, kNow);
  EXPECT_EQ(info->object_type, "Normal");
  ObjectMeta expected = full_meta();
  EXPECT_EQ(info->meta.content_type, expected.content_type);
  EXPECT_EQ(info->meta.cache_control, expected.cache_control);
  EXPECT_EQ(info->meta.content_disposition, expected.content_disposition);
  EXPECT_EQ(info->meta.content_encoding, expected.content_encoding);
  EXPECT_EQ(info->meta.expires, expected.expires);
  EXPECT_EQ(info->meta.user_meta, expected.user_meta);  // order and non-UTF-8 bytes kept

  EXPECT_EQ(get("videos/a.mp4"), "hello world");
  ASSERT_TRUE(store_->delete_object("bkt", "videos/a.mp4").ok());
  auto gone = store_->stat_object("bkt", "videos/a.mp4");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code(), Errc::NoSuchKey);
}

TEST_F(StoreTest, EmptyObjectHasTheEmptyMd5) {
  EXPECT_EQ(put("empty", "").etag, "D41D8CD98F00B204E9800998ECF8427E");
  EXPECT_EQ(get("empty"), "");
}

TEST_F(StoreTest, BucketFolderIsBrowsableAndTempFilesAreGone) {
  put("videos/a.mp4", "bytes");
  put("dir/", "");
  EXPECT_EQ(slurp(data_ / "bkt" / "videos" / "a.mp4"), "bytes");
  EXPECT_TRUE(fs::is_regular_file(data_ / "bkt" / "videos" / ".%m.a.mp4"));
  EXPECT_TRUE(fs::is_regular_file(data_ / "bkt" / "dir" / "%00"));
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
  EXPECT_EQ(store_->temp_dir(), data_ / ".osslive" / "tmp");
}

TEST_F(StoreTest, MissingThingsHaveTheirOwnErrors) {
  auto key = store_->open_object("bkt", "nope");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Errc::NoSuchKey);
  EXPECT_TRUE(key.error().fields().empty());  // the OSS layer names the key, once
  auto bucket = store_->stat_object("other", "k");
  ASSERT_FALSE(bucket.ok());
  EXPECT_EQ(bucket.error().code(), Errc::NoSuchBucket);
  auto bad = store_->put_object("Bad_Name", "k", body_of("x"), {});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Errc::InvalidBucketName);
  EXPECT_TRUE(store_->delete_object("bkt", "never/was").ok());
  put("folder/inside", "x");
  auto folder = store_->stat_object("bkt", "folder");  // a folder is not an object
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.error().code(), Errc::NoSuchKey);
  EXPECT_TRUE(store_->delete_object("bkt", "folder").ok());
  EXPECT_EQ(get("folder/inside"), "x");
}

TEST_F(StoreTest, DeletePrunesFoldersThatBecameEmpty) {
  put("a/b/c", "1");
  put("a/x", "2");
  ASSERT_TRUE(store_->delete_object("bkt", "a/b/c").ok());
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "a" / "b"));
  EXPECT_TRUE(fs::exists(data_ / "bkt" / "a"));
  ASSERT_TRUE(store_->delete_object("bkt", "a/x").ok());
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "a"));
  EXPECT_TRUE(fs::is_directory(data_ / "bkt"));
}

TEST_F(StoreTest, ReaderKeepsTheOldObjectAcrossAnOverwrite) {
  std::string old_bytes(300000, 'o');
  put("seg.ts", old_bytes);
  auto reader = store_->open_object("bkt", "seg.ts");
  ASSERT_TRUE(reader.ok());
  put("seg.ts", "new and short");
  EXPECT_EQ(read_all(*reader), old_bytes);
  EXPECT_EQ(reader->info.etag, md5_hex(old_bytes));
  EXPECT_EQ(get("seg.ts"), "new and short");
  ASSERT_TRUE(store_->delete_object("bkt", "seg.ts").ok());
  EXPECT_EQ(read_all(*reader), old_bytes);  // even deleted, the pinned inode stays readable
}

TEST_F(StoreTest, HostileKeysAreRejectedAndNothingIsCreatedOutsideTheBucket) {
  fs::create_directories(root_ / "victim");
  std::vector<std::string> hostile = {"../x", "a/../../x", "/abs", "\\abs", "a/./b", "..", "../../victim/x",
                                      std::string("nul\0byte", 8), std::string(1024, 'l'), std::string(300, 'l')};
  for (const std::string& key : hostile) {
    auto info = store_->put_object("bkt", key, body_of("evil"), {});
    ASSERT_FALSE(info.ok()) << key;
    EXPECT_EQ(info.error().code(), Errc::InvalidObjectName) << key;
    EXPECT_EQ(store_->stat_object("bkt", key).error().code(), Errc::InvalidObjectName) << key;
    EXPECT_EQ(store_->delete_object("bkt", key).error().code(), Errc::InvalidObjectName) << key;
    EXPECT_FALSE(store_->begin_write("bkt", key).ok()) << key;
    EXPECT_FALSE(store_->initiate_multipart("bkt", key, {}).ok()) << key;
  }
  // Strange but valid keys are stored inside the bucket and come back byte for byte.
  std::vector<std::string> odd = {"%2e%2e/x", "..\\x", "a//b", "dir/", "...", "%00", ".%m.x", "100%",
                                  "tab\there", "视频/é.ts", "x/%2F/y"};
  for (const std::string& key : odd) put(key, "odd:" + key);
  for (const std::string& key : odd) EXPECT_EQ(get(key), "odd:" + key) << key;

  EXPECT_TRUE(fs::is_empty(root_ / "victim"));
  std::vector<fs::path> top;
  for (const auto& e : fs::directory_iterator(root_)) top.push_back(e.path().filename());
  std::sort(top.begin(), top.end());
  EXPECT_EQ(top, (std::vector<fs::path>{"data", "victim"}));
  for (const auto& e : fs::recursive_directory_iterator(data_)) {
    auto rel = fs::relative(e.path(), data_).string();
    EXPECT_TRUE(rel.rfind("bkt", 0) == 0 || rel.rfind(".osslive", 0) == 0) << rel;
  }
  auto listed = store_->list_objects("bkt", {});
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> keys;
  for (const auto& o : listed->objects) keys.push_back(o.key);
  std::sort(odd.begin(), odd.end());
  EXPECT_EQ(keys, odd);
}

TEST_F(StoreTest, ObjectAndFolderOfTheSameNameConflict) {
  put("a", "file");
  auto nested = store_->put_object("bkt", "a/b", body_of("x"), {});
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().code(), Errc::FileAlreadyExists);
  EXPECT_NE(nested.error().message().find("\"a/b\""), std::string::npos) << nested.error().message();
  EXPECT_NE(nested.error().message().find("object \"a\""), std::string::npos) << nested.error().message();
  EXPECT_EQ(store_->put_object("bkt", "a/", body_of(""), {}).error().code(), Errc::FileAlreadyExists);

  put("x/y", "inner");
  auto over = store_->put_object("bkt", "x", body_of("x"), {});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code(), Errc::FileAlreadyExists);
  EXPECT_NE(over.error().message().find("folder \"x/\""), std::string::npos) << over.error().message();
  auto writer = store_->begin_write("bkt", "x");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write("w").ok());
  EXPECT_EQ((*writer)->commit({}).error().code(), Errc::FileAlreadyExists);
  writer->reset();
  put("x/", "marker");  // a folder marker lives inside the folder: no conflict
  EXPECT_EQ(get("x/y"), "inner");
  EXPECT_EQ(get("x/"), "marker");
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));

  fs::create_directories(data_ / "bkt" / "empty");  // a folder without objects may become one
  put("empty", "now a file");
  EXPECT_EQ(get("empty"), "now a file");
}

TEST_F(StoreTest, SpooledBodyIsMovedInAndHashedWhenNeeded) {
  fs::path spool = store_->temp_dir() / "spool-1";
  spit(spool, "spooled body");
  PutBody body;
  body.file = spool;
  body.size = 12;
  auto info = store_->put_object("bkt", "from/spool", body, {});
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->etag, md5_hex("spooled body"));
  EXPECT_EQ(info->size, 12u);
  EXPECT_FALSE(fs::exists(spool));
  EXPECT_EQ(get("from/spool"), "spooled body");

  // The HTTP layer hashes while receiving: the store takes its digest as the ETag.
  spit(spool, "second");
  body.md5 = md5("second");
  info = store_->put_object("bkt", "from/spool2", body, {});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->etag, md5_hex("second"));

  // The request hands the spool over: on any failure the store deletes it, so nothing leaks.
  put("file", "f");
  spit(spool, "third");
  EXPECT_EQ(store_->put_object("bkt", "file/below", body, {}).error().code(), Errc::FileAlreadyExists);
  EXPECT_FALSE(fs::exists(spool));
  spit(spool, "fourth");
  EXPECT_EQ(store_->put_object("nobucket", "k", body, {}).error().code(), Errc::NoSuchBucket);
  EXPECT_FALSE(fs::exists(spool));
  spit(spool, "fifth");
  EXPECT_EQ(store_->upload_part("bkt", "k", "0123456789ABCDEF0123456789ABCDEF", 1, body).error().code(),
            Errc::NoSuchUpload);
  EXPECT_FALSE(fs::exists(spool));
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}

TEST_F(StoreTest, ObjectWriterIsInvisibleUntilCommitAndDiscardedWithoutIt) {
  {
    auto writer = store_->begin_write("bkt", "live/seg-0.ts");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->write("part one, ").ok());
    ASSERT_TRUE((*writer)->write("part two").ok());
    EXPECT_EQ(store_->stat_object("bkt", "live/seg-0.ts").error().code(), Errc::NoSuchKey);
    EXPECT_FALSE(store_->object_exists("bkt", "live/seg-0.ts"));
    ObjectMeta meta;
    meta.content_type = "video/MP2T";
    auto info = (*writer)->commit(meta);
    ASSERT_TRUE(info.ok()) << info.error().to_string();
    EXPECT_EQ(info->etag, md5_hex("part one, part two"));
    EXPECT_EQ(info->size, 18u);
    EXPECT_EQ(info->key, "live/seg-0.ts");
    EXPECT_FALSE((*writer)->write("more").ok());
  }
  EXPECT_EQ(get("live/seg-0.ts"), "part one, part two");
  EXPECT_EQ(store_->stat_object("bkt", "live/seg-0.ts")->meta.content_type, "video/MP2T");
  EXPECT_TRUE(store_->object_exists("bkt", "live/seg-0.ts"));
  EXPECT_FALSE(store_->object_exists("bkt", "live"));  // a folder is not an object
  EXPECT_FALSE(store_->object_exists("bkt", "../bkt/live/seg-0.ts"));
  EXPECT_FALSE(store_->object_exists("nobucket", "live/seg-0.ts"));
  {
    auto writer = store_->begin_write("bkt", "live/seg-1.ts");
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->write("abandoned").ok());
    EXPECT_FALSE(fs::is_empty(store_->temp_dir()));
  }
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
  EXPECT_EQ(store_->stat_object("bkt", "live/seg-1.ts").error().code(), Errc::NoSuchKey);
  ASSERT_TRUE(store_->delete_object("bkt", "live/seg-0.ts").ok());
  EXPECT_FALSE(store_->object_exists("bkt", "live/seg-0.ts"));
}

// The writer gathers small pieces (TS packets) into large writes: every byte still lands, in order.
TEST_F(StoreTest, ObjectWriterKeepsEveryPieceOfAManyPieceBody) {
  std::string expected;
  auto writer = store_->begin_write("bkt", "live/long.ts");
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 3000; ++i) {
    std::string packet(188, static_cast<char>('a' + i % 26));
    packet[0] = 'G';
    ASSERT_TRUE((*writer)->write(packet).ok());
    expected += packet;
    if (i == 1500) {
      std::string large(300 * 1024, 'L');  // larger than a chunk, in the middle of buffered bytes
      ASSERT_TRUE((*writer)->write(large).ok());
      expected += large;
    }
  }
  auto info = (*writer)->commit({});
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->size, expected.size());
  EXPECT_EQ(info->etag, md5_hex(expected));
  EXPECT_EQ(get("live/long.ts"), expected);
}

TEST_F(StoreTest, HandDroppedFileIsServedWithItsMd5AndCachedOnce) {
  fs::create_directories(data_ / "bkt" / "drop");
  spit(data_ / "bkt" / "drop" / "movie.MP4", "hand made");
  auto info = store_->stat_object("bkt", "drop/movie.MP4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->etag, md5_hex("hand made"));
  EXPECT_EQ(info->size, 9u);
  EXPECT_EQ(info->meta.content_type, "video/mp4");
  struct ::stat st{};
  ASSERT_EQ(::stat((data_ / "bkt" / "drop" / "movie.MP4").c_str(), &st), 0);
  EXPECT_EQ(info->last_modified, st.st_mtim.tv_sec);
  EXPECT_TRUE(fs::exists(data_ / "bkt" / "drop" / ".%m.movie.MP4"));
  EXPECT_EQ(get("drop/movie.MP4"), "hand made");
  auto listed = store_->list_objects("bkt", {});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->objects.size(), 1u);
  EXPECT_EQ(listed->objects[0].key, "drop/movie.MP4");
  EXPECT_EQ(listed->objects[0].etag, md5_hex("hand made"));
}

TEST_F(StoreTest, StaleSidecarIsDetectedAndHealed) {
  put("k.txt", "old bytes", full_meta());
  // Replaced by hand with a new inode: the sidecar still describes the old one.
  spit(data_ / "bkt" / "new", "new bytes!");
  fs::rename(data_ / "bkt" / "new", data_ / "bkt" / "k.txt");
  auto info = store_->stat_object("bkt", "k.txt");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->etag, md5_hex("new bytes!"));
  EXPECT_EQ(info->size, 10u);
  EXPECT_EQ(info->meta.content_type, "text/plain");
  EXPECT_NE(slurp(data_ / "bkt" / ".%m.k.txt").find(md5_hex("new bytes!")), std::string::npos);

  // Edited in place, same size: the mtime gives it away.
  put("same.bin", "AAAA");
  int fd = ::open((data_ / "bkt" / "same.bin").c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, "BBBB", 4, 0), 4);
  struct timespec times[2] = {{0, UTIME_OMIT}, {kNow + 5, 123}};
  ASSERT_EQ(::futimens(fd, times), 0);
  ::close(fd);
  EXPECT_EQ(store_->stat_object("bkt", "same.bin")->etag, md5_hex("BBBB"));

  // A sidecar that is not JSON at all is treated the same way.
  put("junk", "data");
  spit(data_ / "bkt" / ".%m.junk", "{not json");
  EXPECT_EQ(store_->stat_object("bkt", "junk")->etag, md5_hex("data"));
}

TEST_F(StoreTest, CrashBetweenTheTwoRenamesServesTheNewBytesWithTheirOwnEtag) {
  put("v.ts", "version one", full_meta());
  // What a crash leaves: the new data file renamed in, its sidecar still in tmp (then wiped).
  spit(data_ / ".osslive" / "tmp" / "put-X", "version two");
  fs::rename(data_ / ".osslive" / "tmp" / "put-X", data_ / "bkt" / "v.ts");
  ASSERT_TRUE(store_->recover().ok());
  auto object = store_->open_object("bkt", "v.ts");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(read_all(*object), "version two");
  EXPECT_EQ(object->info.etag, md5_hex("version two"));
  EXPECT_EQ(object->info.meta.content_type, "video/MP2T");  // guessed: the old metadata is not reused
  EXPECT_TRUE(object->info.meta.user_meta.empty());
}

TEST_F(StoreTest, RecoveryRemovesLeftoversOnly) {
  put("keep/me", "kept");
  spit(store_->temp_dir() / "put-DEADBEEF", "half written");
  fs::create_directories(store_->temp_dir() / "bucket-X" / "a");
  spit(data_ / "bkt" / "keep" / ".%m.gone", "{}");   // its data file was deleted
  spit(data_ / ".osslive" / "buckets" / "ghost.json", "{}");  // its folder was deleted
  ASSERT_TRUE(store_->recover().ok());
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "keep" / ".%m.gone"));
  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "buckets" / "ghost.json"));
  EXPECT_TRUE(fs::exists(data_ / "bkt" / "keep" / ".%m.me"));
  EXPECT_TRUE(fs::exists(data_ / ".osslive" / "buckets" / "bkt.json"));
  EXPECT_EQ(get("keep/me"), "kept");
}

TEST_F(StoreTest, StoreWorksWithoutRecoverOnAFreshDirectory) {
  FsBucketStore fresh(root_ / "fresh", clock_);
  ASSERT_TRUE(fresh.create_bucket("new-bucket", "").ok());
  auto info = fresh.put_object("new-bucket", "k", body_of("v"), {});
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(slurp(root_ / "fresh" / "new-bucket" / "k"), "v");
}

TEST_F(StoreTest, SymlinksInBucketsAreNeverFollowed) {
  spit(root_ / "secret", "secret");
  fs::create_symlink(root_ / "secret", data_ / "bkt" / "link");
  fs::create_directory_symlink(root_, data_ / "bkt" / "dirlink");
  EXPECT_EQ(store_->stat_object("bkt", "link").error().code(), Errc::NoSuchKey);
  EXPECT_TRUE(store_->list_objects("bkt", {})->objects.empty());
  EXPECT_TRUE(store_->delete_object("bkt", "link").ok());
  EXPECT_EQ(slurp(root_ / "secret"), "secret");
}

// A folder link planted by a local user (issue 18): deletes, writes, reads and listings through
// it leave the folder it points at alone.
TEST_F(StoreTest, AFolderLinkInABucketLeadsNowhere) {
  fs::create_directory(root_ / "outside");
  spit(root_ / "outside" / "victim.txt", "keep");
  spit(root_ / "outside" / ".%m.victim.txt", "{}");
  fs::create_directory_symlink(root_ / "outside", data_ / "bkt" / "dir");
  fs::create_directory(data_ / "bkt" / "real");
  fs::create_directory_symlink(root_ / "outside", data_ / "bkt" / "real" / "deeper");

  for (const char* key : {"dir/victim.txt", "real/deeper/victim.txt"}) {
    EXPECT_TRUE(store_->delete_object("bkt", key).ok()) << key;
    EXPECT_EQ(store_->stat_object("bkt", key).error().code(), Errc::NoSuchKey) << key;
    EXPECT_FALSE(store_->object_exists("bkt", key)) << key;
    EXPECT_EQ(store_->put_object("bkt", std::string(key) + ".new", body_of("x"), {}).error().code(),
              Errc::FileAlreadyExists)
        << key;
  }
  EXPECT_EQ(slurp(root_ / "outside" / "victim.txt"), "keep");
  EXPECT_TRUE(fs::exists(root_ / "outside" / ".%m.victim.txt"));
  EXPECT_FALSE(fs::exists(root_ / "outside" / "victim.txt.new"));
  ListRequest below;
  below.prefix = "dir/";
  EXPECT_TRUE(store_->list_objects("bkt", below)->objects.empty());
  below.prefix = "real/deeper/";
  EXPECT_TRUE(store_->list_objects("bkt", below)->objects.empty());
  EXPECT_TRUE(store_->list_objects("bkt", {})->objects.empty());
  // The link is not a folder the store made: pruning after a delete next to it keeps it, and the
  // real folder it sits in.
  ASSERT_TRUE(store_->put_object("bkt", "real/x.txt", body_of("x"), {}).ok());
  ASSERT_TRUE(store_->delete_object("bkt", "real/x.txt").ok());
  EXPECT_TRUE(fs::is_symlink(data_ / "bkt" / "real" / "deeper"));
}

// A FIFO planted where a sidecar or an object belongs must not block a reader.
TEST_F(StoreTest, AFifoInABucketIsNoObjectAndBlocksNobody) {
  ASSERT_TRUE(store_->put_object("bkt", "a.txt", body_of("a"), {}).ok());
  fs::remove(data_ / "bkt" / ".%m.a.txt");
  ASSERT_EQ(::mkfifo((data_ / "bkt" / ".%m.a.txt").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((data_ / "bkt" / "fifo").c_str(), 0644), 0);
  auto info = store_->stat_object("bkt", "a.txt");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_EQ(info->size, 1u);
  EXPECT_EQ(store_->stat_object("bkt", "fifo").error().code(), Errc::NoSuchKey);
  EXPECT_EQ(store_->list_objects("bkt", {})->objects.size(), 1u);
}

}  // namespace
}  // namespace osslive::store::testing
