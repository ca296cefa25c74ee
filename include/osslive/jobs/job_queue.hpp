#pragma once
// What the live layer asks of the transcode scheduler: run one job per key however many ask,
// at a priority, and say what is queued or running. jobs::Scheduler is the implementation;
// tests of the live layer use their own.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/jobs/segment_buffer.hpp"

namespace osslive::jobs {

enum class Priority { Player = 0, Prefetch = 1, Initial = 2 };

// Called by a job between units of work (a transcoder: between pictures): it returns at once,
// or, in a background job while a player job runs, waits until none does, so a player who
// arrives while prefetch is already running gets the cores.
using PausePoint = std::function<void()>;
// Makes the bytes of one segment into `out` on a worker thread; the queue calls out.finish()
// or out.fail() with the result.
using PausableJobFunction = std::function<Status(SegmentBuffer& out, const PausePoint& pause)>;
using JobFunction = std::function<Status(SegmentBuffer& out)>;

class JobQueue {
 public:
  virtual ~JobQueue() = default;

  // The buffer of the job for `key`: joins a queued or running job (a player raises a queued
  // job's priority) or queues `job`. `group` ties jobs of one playlist together for abandon().
  // A player the queue cannot take: SlowDown. Background work it cannot take: nullptr (dropped).
  virtual Result<std::shared_ptr<SegmentBuffer>> submit(const std::string& key, Priority priority,
                                                        const std::string& group, PausableJobFunction job) = 0;
  Result<std::shared_ptr<SegmentBuffer>> submit(const std::string& key, Priority priority, const std::string& group,
                                                JobFunction job) {
    return submit(key, priority, group,
                  PausableJobFunction([job = std::move(job)](SegmentBuffer& out, const PausePoint&) { return job(out); }));
  }

  // Drops queued background jobs of `group` that keep(key) rejects (a seek moved the playhead).
  virtual std::size_t abandon(const std::string& group, const std::function<bool(const std::string& key)>& keep) = 0;
  // Queued or running.
  virtual bool pending(const std::string& key) const = 0;
  virtual std::vector<std::string> running_keys() const = 0;
};

}  // namespace osslive::jobs
