#pragma once
// The transcode scheduler: a bounded pool of workers, three priorities (a player waiting >
// prefetch > initial pre-transcode), one job per segment however many ask (single flight),
// and back-pressure: background work is dropped first, player requests beyond the queue limit
// get SlowDown rather than an unbounded wait.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "osslive/core/clock.hpp"
#include "osslive/core/result.hpp"
#include "osslive/jobs/job_queue.hpp"
#include "osslive/jobs/segment_buffer.hpp"

namespace osslive::jobs {

struct SchedulerOptions {
  int workers = 2;
  // Background jobs may occupy at most this many workers, so a player request never waits
  // for a whole batch of prefetch. 0: workers - 1 (at least 1).
  int background_workers = 0;
  std::size_t queue_limit = 64;     // queued player jobs
  std::size_t prefetch_limit = 64;  // queued background jobs
  int retry_after_s = 2;
  // Background jobs start only while no player job runs: each job already uses every core, so a
  // prefetch next to a cold player segment would only slow that segment down (about 2x on two
  // cores). Prefetch then fills the time between player requests.
  bool background_yields = true;
  // The longest a background job waits at its pause points in all (well inside the segment
  // timeout, so a paused job is never timed out for waiting).
  std::chrono::milliseconds max_pause{20'000};
};

struct SchedulerStats {
  std::size_t queued_player = 0;
  std::size_t queued_background = 0;
  std::size_t running = 0;
  std::uint64_t started = 0;
  std::uint64_t finished = 0;
  std::uint64_t failed = 0;
  std::uint64_t joined = 0;    // requests that shared a job already queued or running
  std::uint64_t dropped = 0;   // background jobs not queued or abandoned
  std::uint64_t rejected = 0;  // player requests answered SlowDown
};

struct JobEvent {
  std::string key;
  Priority priority;
  std::chrono::duration<double> seconds;
  bool ok;
};

// The pause point (job_queue.hpp) waits only with background_yields. A job that a player has
// joined no longer waits, nor does any while a player job is queued for want of a worker (the
// paused job's worker is then the one to free). One job waits for at most max_pause in all,
// measured on the injected clock.
class Scheduler final : public JobQueue {
 public:
  explicit Scheduler(SchedulerOptions options, const Clock& clock = system_clock());
  ~Scheduler();  // shutdown()
  // Lets running jobs end and fails queued ones with ServiceUnavailable; later submits fail too.
  // Call it before destroying what jobs use.
  void shutdown();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // JobQueue. A player beyond queue_limit: SlowDown. Background beyond prefetch_limit: dropped.
  using JobQueue::submit;
  Result<std::shared_ptr<SegmentBuffer>> submit(const std::string& key, Priority priority, const std::string& group,
                                                PausableJobFunction job) override;
  std::size_t abandon(const std::string& group, const std::function<bool(const std::string& key)>& keep) override;
  bool pending(const std::string& key) const override;
  std::vector<std::string> running_keys() const override;
  SchedulerStats stats() const;
  void set_observer(std::function<void(const JobEvent&)> observer);

 private:
  struct Entry {
    Priority priority;
    std::uint64_t sequence;
    std::string group;
    PausableJobFunction job;
    std::shared_ptr<SegmentBuffer> buffer;
    bool running = false;
  };
  using QueueKey = std::tuple<int, std::uint64_t, std::string>;  // priority, arrival, key

  void work();
  // The pause point of the running job `key`; `budget` is what is left of its max_pause.
  void pause(const std::string& key, std::chrono::steady_clock::duration& budget);
  bool runnable(const QueueKey& queued) const;  // needs mutex_
  std::size_t queued_background() const;        // needs mutex_
  bool player_queued() const;                   // needs mutex_

  SchedulerOptions options_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable paused_;  // background jobs waiting at a pause point
  std::map<std::string, Entry> entries_;
  std::set<QueueKey> queue_;
  std::size_t running_background_ = 0;
  std::size_t running_player_ = 0;
  std::uint64_t sequence_ = 0;
  SchedulerStats stats_;
  std::function<void(const JobEvent&)> observer_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace osslive::jobs
