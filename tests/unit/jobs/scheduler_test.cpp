#include "osslive/jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include <future>
#include <latch>
#include <thread>

#include "thread_watch.hpp"

namespace osslive::jobs {
namespace {

using testing::asleep_again;
using testing::current_tid;
using testing::eventually;
using testing::process_threads;
using testing::thread_state;

// A gate a job waits on, so tests decide when work ends without sleeping.
struct Gate {
  std::promise<void> open_promise;
  std::shared_future<void> opened = open_promise.get_future().share();
  void open() { open_promise.set_value(); }
};

void wait_done(const std::shared_ptr<SegmentBuffer>& buffer) {
  std::promise<void> done;
  std::function<void(std::uint64_t)> read = [&](std::uint64_t offset) {
    buffer->async_read(offset, [&, offset](ByteStream::Chunk chunk) {
      if (chunk.end || chunk.error) done.set_value();
      else read(offset + chunk.size);
    });
  };
  read(0);
  done.get_future().wait();
}

TEST(Scheduler, ConcurrentRequestsForOneSegmentShareOneJob) {
  Scheduler scheduler({.workers = 2});
  std::atomic<int> runs{0};
  Gate gate;
  std::vector<std::shared_ptr<SegmentBuffer>> buffers;
  for (int i = 0; i < 8; ++i) {
    auto buffer = scheduler.submit("b/seg-0.ts", Priority::Player, "p", [&](SegmentBuffer& out) -> Status {
      ++runs;
      gate.opened.wait();
      out.append("bytes");
      return {};
    });
    ASSERT_TRUE(buffer.ok());
    buffers.push_back(*buffer);
  }
  gate.open();
  for (auto& buffer : buffers) wait_done(buffer);
  EXPECT_EQ(runs, 1);
  for (auto& buffer : buffers) EXPECT_EQ(buffer.get(), buffers[0].get());
  EXPECT_EQ(scheduler.stats().joined, 7u);
}

TEST(Scheduler, PlayerJobsRunBeforeQueuedPrefetch) {
  Scheduler scheduler({.workers = 1, .background_workers = 1});
  Gate blocker;
  std::mutex order_mutex;
  std::vector<std::string> order;
  auto job = [&](std::string name) {
    return [&, name](SegmentBuffer&) -> Status {
      std::lock_guard lock(order_mutex);
      order.push_back(name);
      return {};
    };
  };
  auto first = scheduler.submit("busy", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
    blocker.opened.wait();
    return {};
  });
  auto prefetch1 = scheduler.submit("pre1", Priority::Prefetch, "p", job("pre1"));
  auto initial = scheduler.submit("init", Priority::Initial, "p", job("init"));
  auto prefetch2 = scheduler.submit("pre2", Priority::Prefetch, "p", job("pre2"));
  auto player = scheduler.submit("play", Priority::Player, "p", job("play"));
  blocker.open();
  for (auto* b : {&first, &prefetch1, &initial, &prefetch2, &player}) wait_done(**b);
  EXPECT_EQ(order, (std::vector<std::string>{"play", "pre1", "pre2", "init"}));
}

TEST(Scheduler, PlayerJoiningAQueuedPrefetchRaisesItsPriority) {
  Scheduler scheduler({.workers = 1});
  Gate blocker;
  std::vector<std::string> order;
  std::mutex order_mutex;
  auto job = [&](std::string name) {
    return [&, name](SegmentBuffer&) -> Status {
      std::lock_guard lock(order_mutex);
      order.push_back(name);
      return {};
    };
  };
  auto busy = scheduler.submit("busy", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
    blocker.opened.wait();
    return {};
  });
  auto a = scheduler.submit("a", Priority::Prefetch, "p", job("a"));
  auto b = scheduler.submit("b", Priority::Prefetch, "p", job("b"));
  auto b_player = scheduler.submit("b", Priority::Player, "p", job("b-again"));
  EXPECT_EQ(b->get(), b_player->get());
  blocker.open();
  for (auto* r : {&busy, &a, &b}) wait_done(**r);
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a"}));
}

TEST(Scheduler, BackgroundWorkNeverTakesTheLastWorker) {
  Scheduler scheduler({.workers = 2, .background_workers = 1});
  Gate background_gate;
  std::latch player_ran(1);
  auto bg1 = scheduler.submit("bg1", Priority::Prefetch, "p", [&](SegmentBuffer&) -> Status {
    background_gate.opened.wait();
    return {};
  });
  auto bg2 = scheduler.submit("bg2", Priority::Prefetch, "p", [&](SegmentBuffer&) -> Status { return {}; });
  auto player = scheduler.submit("player", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
    player_ran.count_down();
    return {};
  });
  player_ran.wait();  // runs while bg1 holds the only background slot
  EXPECT_TRUE(scheduler.pending("bg2"));
  background_gate.open();
  wait_done(*bg1);
  wait_done(*bg2);
}

// A cold segment a player waits for has the cores to itself: the prefetch it queues behind it
// starts when it ends (or runs alongside when background_yields is off). With yields, the idle
// worker is seen to wake for the prefetch and go back to sleep without it.
TEST(Scheduler, PrefetchWaitsWhileAPlayerJobRuns) {
  for (bool yields : {true, false}) {
    SCOPED_TRACE(yields ? "background_yields" : "no background_yields");
    const std::set<pid_t> before = process_threads();
    Scheduler scheduler({.workers = 2, .background_workers = 1, .background_yields = yields});
    std::set<pid_t> workers;
    for (pid_t tid : process_threads())
      if (!before.count(tid)) workers.insert(tid);
    ASSERT_EQ(workers.size(), 2u);
    Gate player_gate;
    std::latch player_started(1);
    std::atomic<pid_t> player_tid{0};
    std::atomic<bool> prefetch_ran{false};
    auto player = scheduler.submit("seg-0", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
      player_tid = current_tid();
      player_started.count_down();
      player_gate.opened.wait();
      return {};
    });
    player_started.wait();
    workers.erase(player_tid);
    const pid_t idle = *workers.begin();
    ASSERT_TRUE(eventually([&] { return thread_state(idle).asleep; })) << "the other worker waits for work";
    const long switches = thread_state(idle).voluntary_switches;
    std::latch prefetch_done(1);
    auto prefetch = scheduler.submit("seg-1", Priority::Prefetch, "p", [&](SegmentBuffer&) -> Status {
      prefetch_ran = true;
      prefetch_done.count_down();
      return {};
    });
    ASSERT_TRUE(prefetch.ok() && *prefetch);
    if (yields) {
      // The submit woke the idle worker (the only one waiting); it must have gone back to sleep
      // without the prefetch.
      ASSERT_TRUE(asleep_again(idle, switches)) << "the idle worker never went back to waiting";
      EXPECT_FALSE(prefetch_ran) << "prefetch started next to a running player job";
      EXPECT_TRUE(scheduler.pending("seg-1"));
      player_gate.open();
      prefetch_done.wait();
    } else {
      prefetch_done.wait();  // ran while the player job still holds its gate
      player_gate.open();
    }
    EXPECT_TRUE(prefetch_ran);
    wait_done(*player);
    wait_done(*prefetch);
  }
}

// A player who arrives while prefetch is already running: the prefetch waits at its next pause
// point until the player's job ends, unless a player joins the prefetch itself, and never longer
// than max_pause in all.
struct PausingPrefetch {
  Gate reach_pause;  // opened: the job goes on to its pause point
  std::latch started{1};
  std::atomic<pid_t> tid{0};
  std::atomic<bool> at_pause{false};
  std::atomic<bool> past_pause{false};
  PausableJobFunction job() {
    return [this](SegmentBuffer&, const PausePoint& pause) -> Status {
      tid = current_tid();
      started.count_down();
      reach_pause.opened.wait();
      at_pause = true;
      pause();
      past_pause = true;
      return {};
    };
  }
  // Seen asleep after reaching its pause point: inside pause(), or done with the job (then
  // past_pause says so). Nothing else in the test holds the scheduler's lock meanwhile, so the
  // only wait there is the pause itself.
  bool held_or_done() const { return eventually([this] { return at_pause && thread_state(tid).asleep; }); }
};

// A prefetch job that has started (short of its pause point) next to a player job that runs
// until player_gate opens.
struct PrefetchBesideAPlayer {
  explicit PrefetchBesideAPlayer(SchedulerOptions options) : scheduler(options) {
    auto submitted = scheduler.submit("seg-5", Priority::Prefetch, "p", prefetch.job());
    if (submitted.ok()) background = *submitted;
    if (!background) return;
    prefetch.started.wait();
    auto running = scheduler.submit("seg-40", Priority::Player, "p", [this](SegmentBuffer&) -> Status {
      player_started.count_down();
      player_gate.opened.wait();
      return {};
    });
    if (running.ok()) player = *running;
    player_started.wait();
  }

  PausingPrefetch prefetch;
  Gate player_gate;
  std::latch player_started{1};
  std::shared_ptr<SegmentBuffer> background;
  std::shared_ptr<SegmentBuffer> player;
  Scheduler scheduler;  // last: its workers stop before what their jobs use goes
};

TEST(Scheduler, RunningPrefetchPausesWhileAPlayerJobRuns) {
  PrefetchBesideAPlayer s({.workers = 2, .background_workers = 1});
  ASSERT_TRUE(s.background && s.player);
  s.prefetch.reach_pause.open();
  ASSERT_TRUE(s.prefetch.held_or_done());
  EXPECT_FALSE(s.prefetch.past_pause) << "prefetch went on next to a running player job";
  s.player_gate.open();
  wait_done(s.background);
  EXPECT_TRUE(s.prefetch.past_pause);
  wait_done(s.player);
}

TEST(Scheduler, PrefetchAPlayerJoinedDoesNotPause) {
  PrefetchBesideAPlayer s({.workers = 2, .background_workers = 1});
  ASSERT_TRUE(s.background && s.player);
  auto joined = s.scheduler.submit("seg-5", Priority::Player, "p", [](SegmentBuffer&) -> Status { return {}; });
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->get(), s.background.get());
  s.prefetch.reach_pause.open();
  wait_done(s.background);  // while the other player job still runs
  EXPECT_TRUE(s.prefetch.past_pause);
  s.player_gate.open();
  wait_done(s.player);
  EXPECT_EQ(s.scheduler.stats().running, 0u);
}

// A paused prefetch holds a worker: when a second player has to queue for want of one, the
// prefetch goes on and frees its worker rather than keep that player waiting for the first.
TEST(Scheduler, PausedPrefetchGoesOnWhenAPlayerQueuesForItsWorker) {
  PrefetchBesideAPlayer s({.workers = 2, .background_workers = 1});
  ASSERT_TRUE(s.background && s.player);
  s.prefetch.reach_pause.open();
  ASSERT_TRUE(s.prefetch.held_or_done());
  EXPECT_FALSE(s.prefetch.past_pause) << "prefetch went on next to a running player job";
  std::latch second_ran(1);
  auto second = s.scheduler.submit("seg-80", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
    second_ran.count_down();
    return {};
  });
  second_ran.wait();  // on the prefetch's worker, while the first player job still runs
  EXPECT_TRUE(s.prefetch.past_pause);
  wait_done(*second);
  wait_done(s.background);
  s.player_gate.open();
  wait_done(s.player);
}

TEST(Scheduler, PrefetchPausesNoLongerThanMaxPause) {
  PrefetchBesideAPlayer s({.workers = 2, .background_workers = 1, .max_pause = std::chrono::milliseconds(50)});
  ASSERT_TRUE(s.background && s.player);
  s.prefetch.reach_pause.open();
  wait_done(s.background);  // the player job never ended, the budget did
  EXPECT_TRUE(s.prefetch.past_pause);
  s.player_gate.open();
  wait_done(s.player);
}

TEST(Scheduler, OverloadDropsPrefetchAndRefusesPlayersWithSlowDown) {
  Scheduler scheduler({.workers = 1, .queue_limit = 2, .prefetch_limit = 1, .retry_after_s = 3});
  Gate blocker;
  auto busy = scheduler.submit("busy", Priority::Player, "p", [&](SegmentBuffer&) -> Status {
    blocker.opened.wait();
    return {};
  });
  auto noop = [](SegmentBuffer&) -> Status { return {}; };
  // Wait until "busy" runs so it no longer counts as queued.
  while (scheduler.stats().running == 0) std::this_thread::yield();
  ASSERT_TRUE(scheduler.submit("p1", Priority::Player, "p", noop).ok());
  ASSERT_TRUE(scheduler.submit("p2", Priority::Player, "p", noop).ok());
  auto refused = scheduler.submit("p3", Priority::Player, "p", noop);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::SlowDown);
  EXPECT_EQ(refused.error().fields().back().second, "3");
  auto kept = scheduler.submit("f1", Priority::Prefetch, "p", noop);
  ASSERT_TRUE(kept.ok());
  EXPECT_NE(kept->get(), nullptr);
  auto dropped = scheduler.submit("f2", Priority::Prefetch, "p", noop);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(dropped->get(), nullptr);
  auto stats = scheduler.stats();
  EXPECT_EQ(stats.rejected, 1u);
  EXPECT_EQ(stats.dropped, 1u);
  blocker.open();
}

TEST(Scheduler, AbandonDropsOnlyUnwantedBackgroundJobsOfTheGroup) {
  Scheduler scheduler({.workers = 1});
  Gate blocker;
  auto busy = scheduler.submit("busy", Priority::Player, "x", [&](SegmentBuffer&) -> Status {
    blocker.opened.wait();
    return {};
  });
  auto noop = [](SegmentBuffer&) -> Status { return {}; };
  auto near = scheduler.submit("p/seg-11", Priority::Prefetch, "p", noop);
  auto far = scheduler.submit("p/seg-3", Priority::Prefetch, "p", noop);
  auto other = scheduler.submit("q/seg-3", Priority::Prefetch, "q", noop);
  EXPECT_EQ(scheduler.abandon("p", [](const std::string& key) { return key == "p/seg-11"; }), 1u);
  EXPECT_TRUE(scheduler.pending("p/seg-11"));
  EXPECT_FALSE(scheduler.pending("p/seg-3"));
  EXPECT_TRUE(scheduler.pending("q/seg-3"));
  EXPECT_TRUE((*far)->error().has_value());
  blocker.open();
}

TEST(Scheduler, FailedJobReachesItsReaders) {
  Scheduler scheduler({.workers = 1});
  auto buffer = scheduler.submit("bad", Priority::Player, "p", [](SegmentBuffer& out) -> Status {
    out.append("partial");
    return Error(Errc::InvalidArgument, "source is truncated");
  });
  wait_done(*buffer);
  ASSERT_TRUE((*buffer)->error().has_value());
  EXPECT_EQ((*buffer)->error()->message(), "source is truncated");
  EXPECT_EQ(scheduler.stats().failed, 1u);
}

}  // namespace
}  // namespace osslive::jobs
