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

#include "osslive/core/result.hpp"
#include "osslive/jobs/segment_buffer.hpp"

namespace osslive::jobs {

enum class Priority { Player = 0, Prefetch = 1, Initial = 2 };

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

// Makes the bytes of one segment into `out` on a worker thread; the scheduler calls
// out.finish() or out.fail() with the result.
using JobFunction = std::function<Status(SegmentBuffer& out)>;

class Scheduler {
 public:
  explicit Scheduler(SchedulerOptions options);
  ~Scheduler();  // shutdown()
  // Lets running jobs end and fails queued ones with ServiceUnavailable; later submits fail too.
  // Call it before destroying what jobs use.
  void shutdown();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The buffer of the job for `key`: joins a queued or running job (a player raises a queued
  // job's priority) or queues `job`. `group` ties jobs of one playlist together for abandon().
  // A player beyond queue_limit: SlowDown. Background beyond prefetch_limit: nullptr (dropped).
  Result<std::shared_ptr<SegmentBuffer>> submit(const std::string& key, Priority priority, const std::string& group,
                                                JobFunction job);

  // Drops queued background jobs of `group` that keep(key) rejects (a seek moved the playhead).
  std::size_t abandon(const std::string& group, const std::function<bool(const std::string& key)>& keep);

  bool pending(const std::string& key) const;
  std::vector<std::string> running_keys() const;
  SchedulerStats stats() const;
  void set_observer(std::function<void(const JobEvent&)> observer);

 private:
  struct Entry {
    Priority priority;
    std::uint64_t sequence;
    std::string group;
    JobFunction job;
    std::shared_ptr<SegmentBuffer> buffer;
    bool running = false;
  };
  using QueueKey = std::tuple<int, std::uint64_t, std::string>;  // priority, arrival, key

  void work();
  bool runnable(const QueueKey& queued) const;  // needs mutex_
  std::size_t queued_background() const;        // needs mutex_

  SchedulerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
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
