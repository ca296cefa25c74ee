// Several FsBucketStore instances on one folder, as the nodes of a cluster on a shared file
// system: in-process locks order nothing between them, recovery runs while another one writes,
// leases are seen by all of them. Some tests fork, so the instances are separate processes too.
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

class ClusterStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    other_ = std::make_unique<FsBucketStore>(data_, clock_);
  }
  void TearDown() override {
    other_.reset();
    StoreTest::TearDown();
  }

  fs::path tmp() const { return store_->temp_dir(); }

  // Runs `body` in a child process and returns its exit code (0 when it went as planned).
  static int in_child(const std::function<int()>& body) {
    pid_t pid = ::fork();
    if (pid == 0) ::_exit(body());
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
  }

  std::unique_ptr<FsBucketStore> other_;
};

// Both instances write one key at the same moment: whichever bytes win, the metadata read back
// is the winner's. With only in-process locks, the two renames of one writer interleave with the
// other's and a sidecar ends up describing the loser's bytes, so the winner's metadata is lost
// (a reader falls back to what the bytes alone tell, and caches that).
TEST_F(ClusterStoreTest, EveryRoundOfSimultaneousPutsKeepsMetadataWithItsBytes) {
  constexpr int kRounds = 200;
  int lost = 0;
  for (int i = 0; i < kRounds; ++i) {
    std::atomic<int> ready{0};
    auto put_as = [&](FsBucketStore& store, char tag) {
      std::string payload(2048 + 7 * i, tag);
      ObjectMeta meta;
      meta.user_meta = {{"x-oss-meta-writer", std::string(1, tag)}};
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      EXPECT_TRUE(store.put_object("bkt", "race", body_of(payload), meta).ok());
    };
    std::thread a([&] { put_as(*store_, 'a'); });
    std::thread b([&] { put_as(*other_, 'b'); });
    a.join();
    b.join();
    auto object = other_->open_object("bkt", "race");
    ASSERT_TRUE(object.ok());
    std::string bytes = read_all(*object);
    const auto& user = object->info.meta.user_meta;
    if (user.size() != 1 || user[0].second != std::string(1, bytes.at(0))) ++lost;
  }
  EXPECT_EQ(lost, 0) << lost << " of " << kRounds << " rounds lost the winner's metadata";
}

TEST_F(ClusterStoreTest, RecoveryOnOneNodeLeavesAnotherNodesWritesInFlight) {
  // Node A is writing a segment and receiving a request body.
  auto writer = store_->begin_write("bkt", "seg.ts");
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->write("first half ").ok());
  const fs::path body = tmp() / ("body-0123" + store_->temp_suffix());
  spit(body, "a body being received");
  // Debris: a file nobody owns, and one of a process of this machine that has exited.
  spit(tmp() / "put-planted-by-hand", "x");
  pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ::waitpid(gone, nullptr, 0);
  std::string dead_node = store_->node_id();
  {
    // "<host>+<space>+<pid>+<start>": the same machine and pid space, the exited pid.
    auto start = dead_node.rfind('+');
    auto pid_at = dead_node.rfind('+', start - 1);
    dead_node = dead_node.substr(0, pid_at + 1) + std::to_string(gone) + "+abcdef";
  }
  spit(tmp() / ("put-0001@" + dead_node), "left by a crash");
  // Another machine's temp file: kept while fresh, removed once untouched for kStaleAfter.
  spit(tmp() / "put-0002@elsewhere+0000+77+abcdef", "another machine's");
  spit(tmp() / "put-0003@elsewhere+0000+78+abcdef", "another machine's, old");
  struct timeval old_times[2] = {{kNow - 7200, 0}, {kNow - 7200, 0}};
  ASSERT_EQ(::utimes((tmp() / "put-0003@elsewhere+0000+78+abcdef").c_str(), old_times), 0);
  struct timeval fresh_times[2] = {{kNow - 10, 0}, {kNow - 10, 0}};
  for (const char* name : {"put-0002@elsewhere+0000+77+abcdef"})
    ASSERT_EQ(::utimes((tmp() / name).c_str(), fresh_times), 0);
  ASSERT_EQ(::utimes(body.c_str(), fresh_times), 0);

  // Node B starts.
  ASSERT_TRUE(other_->recover().ok());

  EXPECT_TRUE(fs::exists(body)) << "node A's request body";
  EXPECT_TRUE(fs::exists(tmp() / "put-0002@elsewhere+0000+77+abcdef"));
  EXPECT_FALSE(fs::exists(tmp() / "put-0003@elsewhere+0000+78+abcdef"));
  EXPECT_FALSE(fs::exists(tmp() / "put-planted-by-hand"));
  EXPECT_FALSE(fs::exists(tmp() / ("put-0001@" + dead_node)));
  ASSERT_TRUE((*writer)->write("second half").ok());
  auto committed = (*writer)->commit({});
  ASSERT_TRUE(committed.ok()) << committed.error().to_string();
  EXPECT_EQ(get("seg.ts"), "first half second half");
}

TEST_F(ClusterStoreTest, RecoveryLeavesARecordOrUploadAnotherNodeIsCreatingThisMoment) {
  // Node A has just made the folder of a multipart upload and not yet its upload.json, and
  // a bucket record whose folder it is about to make (records and folders settle within a minute).
  const fs::path uploads = data_ / ".osslive" / "multipart";
  fs::create_directories(uploads / "0123456789ABCDEF0123456789ABCDEF");
  spit(data_ / ".osslive" / "buckets" / "coming.json", "{\"acl\":\"private\",\"created\":1}\n");
  struct timeval fresh_times[2] = {{kNow - 5, 0}, {kNow - 5, 0}};
  ASSERT_EQ(::utimes((uploads / "0123456789ABCDEF0123456789ABCDEF").c_str(), fresh_times), 0);
  ASSERT_EQ(::utimes((data_ / ".osslive" / "buckets" / "coming.json").c_str(), fresh_times), 0);
  ASSERT_TRUE(other_->recover().ok());
  EXPECT_TRUE(fs::exists(uploads / "0123456789ABCDEF0123456789ABCDEF"));
  EXPECT_TRUE(fs::exists(data_ / ".osslive" / "buckets" / "coming.json"));
  // A minute later they are debris.
  struct timeval old_times[2] = {{kNow - 120, 0}, {kNow - 120, 0}};
  ASSERT_EQ(::utimes((uploads / "0123456789ABCDEF0123456789ABCDEF").c_str(), old_times), 0);
  ASSERT_EQ(::utimes((data_ / ".osslive" / "buckets" / "coming.json").c_str(), old_times), 0);
  ASSERT_TRUE(other_->recover().ok());
  EXPECT_FALSE(fs::exists(uploads / "0123456789ABCDEF0123456789ABCDEF"));
  EXPECT_FALSE(fs::exists(data_ / ".osslive" / "buckets" / "coming.json"));
}

TEST_F(ClusterStoreTest, ALeaseIsHeldByOneNodeAtATime) {
  auto mine = store_->try_lease("bkt", "seg-1.ts", std::chrono::seconds(15));
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->held);
  EXPECT_EQ(mine->holder_node(), store_->node_id());

  auto theirs = other_->try_lease("bkt", "seg-1.ts", std::chrono::seconds(15));
  ASSERT_TRUE(theirs.ok());
  EXPECT_FALSE(theirs->held);
  EXPECT_EQ(theirs->holder_node(), store_->node_id());
  EXPECT_EQ(theirs->expires, clock_.now() + std::chrono::seconds(15));
  EXPECT_TRUE(other_->try_lease("bkt", "seg-2.ts", std::chrono::seconds(15))->held) << "another key is free";

  // Renewed by its holder only; a release by someone else changes nothing.
  clock_.advance(std::chrono::seconds(10));
  ASSERT_TRUE(store_->renew_lease("bkt", "seg-1.ts", *mine, std::chrono::seconds(15)).ok());
  EXPECT_EQ(mine->expires, clock_.now() + std::chrono::seconds(15));
  clock_.advance(std::chrono::seconds(10));  // past the first expiry, inside the renewed one
  other_->release_lease("bkt", "seg-1.ts", *theirs);
  EXPECT_FALSE(other_->try_lease("bkt", "seg-1.ts", std::chrono::seconds(15))->held);

  store_->release_lease("bkt", "seg-1.ts", *mine);
  auto after = other_->try_lease("bkt", "seg-1.ts", std::chrono::seconds(15));
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->held);
  EXPECT_EQ(after->holder_node(), other_->node_id());
  // The old holder's renewal now fails instead of stealing it back.
  EXPECT_FALSE(store_->renew_lease("bkt", "seg-1.ts", *mine, std::chrono::seconds(15)).ok());
  EXPECT_EQ(fs::is_empty(tmp()), true) << "claims leave no temp files";
}

TEST_F(ClusterStoreTest, AnExpiredLeaseIsTakenOver) {
  auto stale = store_->try_lease("bkt", "seg.ts", std::chrono::seconds(15));
  ASSERT_TRUE(stale.ok() && stale->held);
  clock_.advance(std::chrono::seconds(16));  // its holder stopped renewing (a machine that died)
  auto taken = other_->try_lease("bkt", "seg.ts", std::chrono::seconds(15));
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->held);
  // The late holder's release leaves the new holder's lease alone.
  store_->release_lease("bkt", "seg.ts", *stale);
  EXPECT_FALSE(store_->try_lease("bkt", "seg.ts", std::chrono::seconds(15))->held);
}

TEST_F(ClusterStoreTest, ALeaseOfAProcessThatExitedIsTakenOverAtOnce) {
  // A node in another process takes the lease and dies without giving it up (kill -9).
  int child = in_child([&] {
    FsBucketStore node(data_, clock_);
    auto lease = node.try_lease("bkt", "seg.ts", std::chrono::minutes(10));
    return lease.ok() && lease->held ? 0 : 1;
  });
  ASSERT_EQ(child, 0);
  auto taken = other_->try_lease("bkt", "seg.ts", std::chrono::seconds(15));
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->held) << "not after ten minutes: its process is gone";
  // A live process's lease stands.
  EXPECT_FALSE(store_->try_lease("bkt", "seg.ts", std::chrono::seconds(15))->held);
}

TEST_F(ClusterStoreTest, ProcessesWritingOneKeyLeaveMetadataWithItsBytes) {
  constexpr int kProcesses = 3;
  constexpr int kRounds = 60;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = ::fork();
    if (pid == 0) {
      FsBucketStore node(data_, clock_);
      int failures = 0;
      for (int i = 0; i < kRounds; ++i) {
        std::string tag = std::to_string(p) + "/" + std::to_string(i);
        ObjectMeta meta;
        meta.user_meta = {{"x-oss-meta-tag", tag}};
        if (!node.put_object("bkt", "shared", body_of(std::string(3000 + 13 * i, 'x') + "#" + tag), meta).ok())
          ++failures;
      }
      ::_exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  int bad_reads = 0;
  int reads = 0;
  for (bool running = true; running;) {
    running = false;
    for (pid_t pid : children)
      if (::waitpid(pid, nullptr, WNOHANG) == 0) running = true;
    auto object = store_->open_object("bkt", "shared");
    if (!object.ok()) continue;
    std::string bytes = read_all(*object);
    const auto& user = object->info.meta.user_meta;
    // Metadata belongs to these bytes, or (a reader that met a writer mid-way) is derived.
    if (!user.empty() && !bytes.ends_with("#" + user[0].second)) ++bad_reads;
    ++reads;
  }
  EXPECT_EQ(bad_reads, 0) << "of " << reads;
  auto object = other_->open_object("bkt", "shared");
  ASSERT_TRUE(object.ok());
  ASSERT_EQ(object->info.meta.user_meta.size(), 1u) << "the last writer's metadata";
  EXPECT_TRUE(read_all(*object).ends_with("#" + object->info.meta.user_meta[0].second));
  EXPECT_EQ(md5_hex(read_all(*object)), object->info.etag);
}

TEST_F(ClusterStoreTest, MultipartPartsFromTwoNodesAndCompletionOnAThird) {
  auto id = store_->initiate_multipart("bkt", "big", {});
  ASSERT_TRUE(id.ok());
  const std::string part1_a(200 * 1024, 'a');
  const std::string part1_b(200 * 1024, 'b');
  // Part 1 uploaded by both at once (a client retrying through another node): either wins whole.
  std::thread ta([&] { EXPECT_TRUE(store_->upload_part("bkt", "big", *id, 1, body_of(part1_a)).ok()); });
  std::thread tb([&] { EXPECT_TRUE(other_->upload_part("bkt", "big", *id, 1, body_of(part1_b)).ok()); });
  ta.join();
  tb.join();
  ASSERT_TRUE(other_->upload_part("bkt", "big", *id, 2, body_of("tail")).ok());
  auto parts = store_->list_parts("bkt", "big", *id);
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  const std::string& winner = (*parts)[0].etag == md5_hex(part1_a) ? part1_a : part1_b;
  EXPECT_EQ((*parts)[0].etag, md5_hex(winner));

  FsBucketStore third(data_, clock_);
  auto done = third.complete_multipart("bkt", "big", *id, {{1, (*parts)[0].etag}, {2, (*parts)[1].etag}});
  ASSERT_TRUE(done.ok()) << done.error().to_string();
  EXPECT_EQ(get("big"), winner + "tail");
  EXPECT_EQ(store_->list_uploads("bkt", "")->size(), 0u);
}

}  // namespace
}  // namespace osslive::store::testing
