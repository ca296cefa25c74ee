// Many threads on one store: readers must never see a torn object or another version's metadata.
#include <atomic>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

TEST_F(StoreTest, ConcurrentOverwritesNeverTearAReadOrMismatchItsEtag) {
  constexpr int kWriters = 3;
  constexpr int kReaders = 3;
  constexpr int kRounds = 150;
  std::atomic<int> writers_left{kWriters};
  std::atomic<int> torn{0};
  std::atomic<int> reads{0};
  std::atomic<int> reads_with_meta{0};
  std::atomic<int> foreign_meta{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kRounds; ++i) {
        // Distinct payloads of distinct sizes, so a mix of two versions is always visible.
        std::string tag = std::to_string(w) + "/" + std::to_string(i);
        std::string payload(1000 + 997 * ((w * kRounds + i) % 50), static_cast<char>('a' + w));
        payload += "#" + tag;
        ObjectMeta meta;
        meta.user_meta = {{"x-oss-meta-tag", tag}};
        if (i % 3 == 0) {
          auto writer = store_->begin_write("bkt", "hot/key");
          if (!writer.ok() || !(*writer)->write(payload).ok() || !(*writer)->commit(meta).ok()) ++errors;
        } else if (!store_->put_object("bkt", "hot/key", body_of(payload), meta).ok()) {
          ++errors;
        }
      }
      --writers_left;
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&] {
      while (writers_left.load() > 0) {
        auto object = store_->open_object("bkt", "hot/key");
        if (!object.ok()) {
          if (object.error().code() != Errc::NoSuchKey) ++errors;
          continue;
        }
        std::string bytes = read_all(*object);
        if (bytes.size() != object->info.size || md5_hex(bytes) != object->info.etag) ++torn;
        // Metadata travels with its bytes too (it may only be missing if a reader had to derive it).
        const auto& user = object->info.meta.user_meta;
        if (!user.empty() && !bytes.ends_with("#" + user[0].second)) ++foreign_meta;
        if (!user.empty()) ++reads_with_meta;
        ++reads;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(foreign_meta.load(), 0);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_GT(reads_with_meta.load() * 10, reads.load() * 9) << reads_with_meta.load() << " of " << reads.load();
  auto last = store_->stat_object("bkt", "hot/key");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(md5_hex(get("hot/key")), last->etag);
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}


TEST_F(StoreTest, PutsSurviveConcurrentDeletesPruningTheirFolders) {
  // Each delete prunes p/q and p when they empty, right while the other thread creates them.
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (std::string key : {"p/q/a", "p/q/b", "p/r"}) {
    threads.emplace_back([&, key] {
      for (int i = 0; i < 60; ++i) {
        auto info = store_->put_object("bkt", key, body_of(key + std::to_string(i)), {});
        if (!info.ok()) {
          ADD_FAILURE() << info.error().to_string();
          ++errors;
        }
        if (!store_->delete_object("bkt", key).ok()) ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "p"));
  EXPECT_TRUE(fs::is_empty(store_->temp_dir()));
}


}  // namespace
}  // namespace osslive::store::testing
