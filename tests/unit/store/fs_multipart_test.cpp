#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

constexpr std::size_t kMinPart = 100 * 1024;

class MultipartTest : public StoreTest {
 protected:
  std::string initiate(std::string_view key, const ObjectMeta& meta = {}) {
    auto id = store_->initiate_multipart("bkt", key, meta);
    EXPECT_TRUE(id.ok()) << id.error().to_string();
    return id.ok() ? *id : std::string();
  }

  PartInfo upload(std::string_view key, const std::string& id, int number, std::string data) {
    auto part = store_->upload_part("bkt", key, id, number, body_of(std::move(data)));
    EXPECT_TRUE(part.ok()) << part.error().to_string();
    return part.ok() ? *part : PartInfo{};
  }

  Errc complete_error(std::string_view key, const std::string& id, const std::vector<CompletePart>& parts) {
    auto done = store_->complete_multipart("bkt", key, id, parts);
    EXPECT_FALSE(done.ok());
    return done.ok() ? Errc::InternalError : done.error().code();
  }
};

TEST_F(MultipartTest, HappyPathConcatenatesPartsWithOssEtag) {
  ObjectMeta meta;
  meta.content_type = "video/mp4";
  meta.user_meta = {{"x-oss-meta-src", "camera"}};
  std::string id = initiate("big/movie.mp4", meta);
  ASSERT_EQ(id.size(), 32u);
  EXPECT_EQ(id.find_first_not_of("0123456789ABCDEF"), std::string::npos);
  EXPECT_NE(initiate("big/movie.mp4"), id);

  std::string p1(kMinPart, '1');
  std::string p2(kMinPart + 7, '2');
  std::string p3 = "tail";
  clock_.set(kNow + 1);
  PartInfo i1 = upload("big/movie.mp4", id, 1, p1);
  EXPECT_EQ(i1.part_number, 1);
  EXPECT_EQ(i1.etag, md5_hex(p1));
  EXPECT_EQ(i1.size, p1.size());
  EXPECT_EQ(i1.last_modified, kNow + 1);
  // Parts may arrive in any order, and from a spooled file.
  fs::path spool = store_->temp_dir() / "spool";
  spit(spool, p3);
  PutBody file_body;
  file_body.file = spool;
  file_body.size = p3.size();
  ASSERT_TRUE(store_->upload_part("bkt", "big/movie.mp4", id, 3, file_body).ok());
  EXPECT_FALSE(fs::exists(spool));
  upload("big/movie.mp4", id, 2, "wrong bytes first");
  PartInfo i2 = upload("big/movie.mp4", id, 2, p2);  // a re-upload replaces the part

  auto parts = store_->list_parts("bkt", "big/movie.mp4", id);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].part_number, 1);
  EXPECT_EQ((*parts)[1].etag, md5_hex(p2));
  EXPECT_EQ((*parts)[2].size, 4u);

  clock_.set(kNow + 2);
  // ETags as clients send them: quoted, any case.
  auto done = store_->complete_multipart(
      "bkt", "big/movie.mp4", id,
      {{1, "\"" + to_lower(i1.etag) + "\""}, {2, i2.etag}, {3, md5_hex(p3)}});
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  std::string expected_etag = md5_hex(md5(p1) + md5(p2) + md5(p3)) + "-3";
  EXPECT_EQ(done->etag, expected_etag);
  EXPECT_EQ(done->object_type, "Multipart");
  EXPECT_EQ(done->size, p1.size() + p2.size() + p3.size());
  EXPECT_EQ(done->last_modified, kNow + 2);

  auto stat = store_->stat_object("bkt", "big/movie.mp4");
  ASSERT_TRUE(stat.ok());
  EXPECT_EQ(stat->etag, expected_etag);
  EXPECT_EQ(stat->object_type, "Multipart");
  EXPECT_EQ(stat->meta.content_type, "video/mp4");
  EXPECT_EQ(stat->meta.user_meta, meta.user_meta);
  EXPECT_EQ(get("big/movie.mp4"), p1 + p2 + p3);

  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "multipart" / id));
  EXPECT_EQ(store_->list_parts("bkt", "big/movie.mp4", id).error().code(), Errc::NoSuchUpload);
  auto uploads = store_->list_uploads("bkt", "");
  ASSERT_TRUE(uploads.ok());
  EXPECT_EQ(uploads->size(), 1u);  // the second initiate above is still pending
}

TEST_F(MultipartTest, SinglePartMayBeSmall) {
  std::string id = initiate("one");
  PartInfo p = upload("one", id, 1, "tiny");
  auto done = store_->complete_multipart("bkt", "one", id, {{1, p.etag}});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->etag, md5_hex(md5("tiny")) + "-1");
}

TEST_F(MultipartTest, CompleteRejectsBadPartLists) {
  std::string id = initiate("k");
  PartInfo a = upload("k", id, 1, std::string(kMinPart, 'a'));
  PartInfo b = upload("k", id, 2, std::string(kMinPart - 1, 'b'));
  PartInfo c = upload("k", id, 3, "c");

  EXPECT_EQ(complete_error("k", id, {{2, b.etag}, {1, a.etag}}), Errc::InvalidPartOrder);
  EXPECT_EQ(complete_error("k", id, {{1, a.etag}, {1, a.etag}}), Errc::InvalidPartOrder);
  EXPECT_EQ(complete_error("k", id, {{1, a.etag}, {4, c.etag}}), Errc::InvalidPart);
  EXPECT_EQ(complete_error("k", id, {{1, b.etag}}), Errc::InvalidPart);
  EXPECT_EQ(complete_error("k", id, {}), Errc::MalformedXML);
  auto small = store_->complete_multipart("bkt", "k", id, {{1, a.etag}, {2, b.etag}, {3, c.etag}});
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().code(), Errc::EntityTooSmall);
  EXPECT_NE(small.error().message().find("Part 2"), std::string::npos) << small.error().message();
  auto mismatch = store_->complete_multipart("bkt", "k", id, {{1, "00000000000000000000000000000000"}});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message().find("Part 1"), std::string::npos) << mismatch.error().message();

  // None of that consumed the upload: a valid list still completes, skipping part 2.
  auto done = store_->complete_multipart("bkt", "k", id, {{1, a.etag}, {3, c.etag}});
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_EQ(get("k"), std::string(kMinPart, 'a') + "c");
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}

TEST_F(MultipartTest, UnknownOrForeignUploadIdsAreNoSuchUpload) {
  std::string id = initiate("mine");
  ASSERT_TRUE(store_->create_bucket("other", "").ok());
  for (std::string bad : {std::string("0123456789ABCDEF0123456789ABCDEF"), std::string("../../../etc"),
                          to_lower(id), std::string()}) {
    EXPECT_EQ(store_->upload_part("bkt", "mine", bad, 1, body_of("x")).error().code(), Errc::NoSuchUpload) << bad;
    EXPECT_EQ(store_->abort_multipart("bkt", "mine", bad).error().code(), Errc::NoSuchUpload) << bad;
  }
  EXPECT_EQ(store_->upload_part("bkt", "theirs", id, 1, body_of("x")).error().code(), Errc::NoSuchUpload);
  EXPECT_EQ(store_->upload_part("other", "mine", id, 1, body_of("x")).error().code(), Errc::NoSuchUpload);
  EXPECT_EQ(store_->list_parts("bkt", "theirs", id).error().code(), Errc::NoSuchUpload);
  EXPECT_EQ(complete_error("theirs", id, {{1, "x"}}), Errc::NoSuchUpload);

  auto zero = store_->upload_part("bkt", "mine", id, 0, body_of("x"));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().code(), Errc::InvalidArgument);
  EXPECT_EQ(store_->upload_part("bkt", "mine", id, 10001, body_of("x")).error().code(), Errc::InvalidArgument);
  EXPECT_TRUE(store_->upload_part("bkt", "mine", id, 10000, body_of("x")).ok());
  EXPECT_EQ(store_->initiate_multipart("nobucket", "k", {}).error().code(), Errc::NoSuchBucket);
}

TEST_F(MultipartTest, AbortRemovesTheUpload) {
  std::string id = initiate("gone");
  upload("gone", id, 1, "data");
  ASSERT_TRUE(store_->abort_multipart("bkt", "gone", id).ok());
  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "multipart" / id));
  EXPECT_EQ(store_->upload_part("bkt", "gone", id, 2, body_of("x")).error().code(), Errc::NoSuchUpload);
  EXPECT_EQ(store_->abort_multipart("bkt", "gone", id).error().code(), Errc::NoSuchUpload);
  EXPECT_EQ(store_->stat_object("bkt", "gone").error().code(), Errc::NoSuchKey);
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}

TEST_F(MultipartTest, ListUploadsFiltersByBucketAndPrefixInKeyOrder) {
  ASSERT_TRUE(store_->create_bucket("other", "").ok());
  clock_.set(kNow + 10);
  std::string b2 = initiate("videos/b");
  clock_.set(kNow + 5);
  std::string a = initiate("videos/a");
  std::string b1 = initiate("videos/b");
  initiate("audio/x");
  ASSERT_TRUE(store_->initiate_multipart("other", "videos/z", {}).ok());
  auto uploads = store_->list_uploads("bkt", "videos/");
  ASSERT_TRUE(uploads.ok());
  ASSERT_EQ(uploads->size(), 3u);
  EXPECT_EQ((*uploads)[0].key, "videos/a");
  EXPECT_EQ((*uploads)[0].upload_id, a);
  EXPECT_EQ((*uploads)[1].upload_id, b1);  // same key: oldest first
  EXPECT_EQ((*uploads)[1].initiated, kNow + 5);
  EXPECT_EQ((*uploads)[2].upload_id, b2);
  EXPECT_EQ(store_->list_uploads("bkt", "")->size(), 4u);
  EXPECT_EQ(store_->list_uploads("nobucket", "").error().code(), Errc::NoSuchBucket);
}

TEST_F(MultipartTest, CompletedObjectConflictsLikeAnyPut) {
  put("f", "file");
  std::string id = initiate("f/inside");
  PartInfo p = upload("f/inside", id, 1, "x");
  EXPECT_EQ(complete_error("f/inside", id, {{1, p.etag}}), Errc::FileAlreadyExists);
  EXPECT_TRUE(fs::exists(data_ / ".osslive" / "multipart" / id));  // still there to retry or abort
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}

}  // namespace
}  // namespace osslive::store::testing
