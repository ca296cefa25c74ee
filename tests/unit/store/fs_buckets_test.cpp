#include <sys/stat.h>

#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

std::vector<std::string> names(const std::vector<BucketInfo>& buckets) {
  std::vector<std::string> out;
  for (const auto& b : buckets) out.push_back(b.name);
  return out;
}

TEST_F(StoreTest, CreateListInfoDeleteBuckets) {
  clock_.set(kNow + 50);
  ASSERT_TRUE(store_->create_bucket("zeta", "public-read").ok());
  ASSERT_TRUE(store_->create_bucket("alpha", "").ok());
  auto all = store_->list_buckets();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(names(*all), (std::vector<std::string>{"alpha", "bkt", "zeta"}));

  auto zeta = store_->bucket_info("zeta");
  ASSERT_TRUE(zeta.ok());
  EXPECT_EQ(zeta->name, "zeta");
  EXPECT_EQ(zeta->acl, "public-read");
  EXPECT_EQ(zeta->created, kNow + 50);
  EXPECT_EQ(zeta->cors_xml, "");
  EXPECT_EQ(store_->bucket_info("alpha")->acl, "private");
  EXPECT_TRUE(fs::is_directory(data_ / "zeta"));
  EXPECT_TRUE(fs::is_regular_file(data_ / ".osslive" / "buckets" / "zeta.json"));

  ASSERT_TRUE(store_->delete_bucket("zeta").ok());
  EXPECT_FALSE(fs::exists(data_ / "zeta"));
  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "buckets" / "zeta.json"));
  EXPECT_EQ(store_->bucket_info("zeta").error().code(), Errc::NoSuchBucket);
  EXPECT_EQ(store_->delete_bucket("zeta").error().code(), Errc::NoSuchBucket);
  EXPECT_EQ(names(*store_->list_buckets()), (std::vector<std::string>{"alpha", "bkt"}));
}

TEST_F(StoreTest, BucketCreationErrors) {
  auto again = store_->create_bucket("bkt", "private");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), Errc::BucketAlreadyExists);
  EXPECT_EQ(again.error().fields(), (std::vector<std::pair<std::string, std::string>>{{"BucketName", "bkt"}}));
  fs::create_directories(data_ / "by-hand");
  EXPECT_EQ(store_->create_bucket("by-hand", "").error().code(), Errc::BucketAlreadyExists);
  for (std::string bad : {"ab", "Upper", "-dash", "dash-", "under_score", ".osslive", "..", "a/b"})
    EXPECT_EQ(store_->create_bucket(bad, "").error().code(), Errc::InvalidBucketName) << bad;
  auto acl = store_->create_bucket("good-name", "everyone");
  ASSERT_FALSE(acl.ok());
  EXPECT_EQ(acl.error().code(), Errc::InvalidArgument);
  EXPECT_FALSE(fs::exists(data_ / "good-name"));
}

TEST_F(StoreTest, FolderWithoutRecordIsAPrivateBucket) {
  fs::create_directories(data_ / "dropped");
  spit(data_ / "dropped" / "clip.ts", "ts");
  struct ::stat st{};
  ASSERT_EQ(::stat((data_ / "dropped").c_str(), &st), 0);
  auto info = store_->bucket_info("dropped");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->acl, "private");
  EXPECT_EQ(info->created, st.st_mtim.tv_sec);
  fs::create_directories(data_ / "Not_A_Bucket");
  EXPECT_EQ(names(*store_->list_buckets()), (std::vector<std::string>{"bkt", "dropped"}));
  EXPECT_EQ(store_->stat_object("dropped", "clip.ts")->etag, md5_hex("ts"));
}

TEST_F(StoreTest, DeleteBucketRefusesObjectsButNotEmptyFolders) {
  put("deep/down/object", "x");
  auto full = store_->delete_bucket("bkt");
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.error().code(), Errc::BucketNotEmpty);
  EXPECT_EQ(get("deep/down/object"), "x");

  ASSERT_TRUE(store_->delete_object("bkt", "deep/down/object").ok());
  fs::create_directories(data_ / "bkt" / "left" / "over");
  spit(data_ / "bkt" / ".%m.stale", "{}");
  auto upload = store_->initiate_multipart("bkt", "pending", {});
  ASSERT_TRUE(upload.ok());
  ASSERT_TRUE(store_->create_bucket("keeper", "").ok());
  auto keep = store_->initiate_multipart("keeper", "pending", {});
  ASSERT_TRUE(keep.ok());

  ASSERT_TRUE(store_->delete_bucket("bkt").ok());
  EXPECT_FALSE(fs::exists(data_ / "bkt"));
  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "multipart" / *upload));
  EXPECT_TRUE(fs::exists(data_ / ".osslive" / "multipart" / *keep));
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
  EXPECT_EQ(store_->put_object("bkt", "k", body_of("x"), {}).error().code(), Errc::NoSuchBucket);
  EXPECT_FALSE(fs::exists(data_ / "bkt"));  // a put never recreates a deleted bucket
}

TEST_F(StoreTest, WriterIntoABucketDeletedMeanwhileFailsCleanly) {
  auto writer = store_->begin_write("bkt", "late");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write("bytes").ok());
  ASSERT_TRUE(store_->delete_bucket("bkt").ok());  // nothing committed yet: the bucket is empty
  auto committed = (*writer)->commit({});
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.error().code(), Errc::NoSuchBucket);
  writer->reset();
  EXPECT_FALSE(fs::exists(data_ / "bkt"));
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}

TEST_F(StoreTest, AclAndCorsUpdatesKeepTheRest) {
  ASSERT_TRUE(store_->set_bucket_cors("bkt", "<CORSConfiguration/>").ok());
  ASSERT_TRUE(store_->set_bucket_acl("bkt", "public-read").ok());
  auto info = store_->bucket_info("bkt");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->acl, "public-read");
  EXPECT_EQ(info->cors_xml, "<CORSConfiguration/>");
  EXPECT_EQ(info->created, kNow);
  ASSERT_TRUE(store_->set_bucket_cors("bkt", "").ok());
  EXPECT_EQ(store_->bucket_info("bkt")->cors_xml, "");
  EXPECT_EQ(store_->bucket_info("bkt")->acl, "public-read");
  EXPECT_EQ(store_->set_bucket_acl("bkt", "open").error().code(), Errc::InvalidArgument);
  EXPECT_EQ(store_->set_bucket_acl("nobucket", "private").error().code(), Errc::NoSuchBucket);

  // A folder without a record gets one on its first update, keeping the folder's age.
  fs::create_directories(data_ / "dropped");
  struct ::stat st{};
  ASSERT_EQ(::stat((data_ / "dropped").c_str(), &st), 0);
  ASSERT_TRUE(store_->set_bucket_acl("dropped", "public-read").ok());
  EXPECT_EQ(store_->bucket_info("dropped")->created, st.st_mtim.tv_sec);

  // Config-listed buckets at start-up: create (already there is fine), then set the ACL.
  EXPECT_EQ(store_->create_bucket("bkt", "private").error().code(), Errc::BucketAlreadyExists);
  ASSERT_TRUE(store_->set_bucket_acl("bkt", "private").ok());
  EXPECT_EQ(store_->bucket_info("bkt")->acl, "private");
}

}  // namespace
}  // namespace osslive::store::testing
