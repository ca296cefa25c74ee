#include "osslive/jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

namespace osslive::jobs {

namespace {
bool is_background(int priority) { return priority != static_cast<int>(Priority::Player); }
}  // namespace

Scheduler::Scheduler(SchedulerOptions options, const Clock& clock) : options_(options), clock_(clock) {
  if (options_.workers < 1) options_.workers = 1;
  if (options_.background_workers <= 0) options_.background_workers = std::max(1, options_.workers - 1);
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { work(); });
}

Scheduler::~Scheduler() { shutdown(); }

void Scheduler::shutdown() {
  std::vector<std::shared_ptr<SegmentBuffer>> abandoned;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (const auto& [priority, sequence, key] : queue_) {
      abandoned.push_back(entries_[key].buffer);
      entries_.erase(key);
    }
    queue_.clear();
  }
  wake_.notify_all();
  paused_.notify_all();
  for (auto& worker : workers_) worker.join();
  for (auto& buffer : abandoned) buffer->fail(Error(Errc::ServiceUnavailable, "the server is shutting down"));
}

std::size_t Scheduler::queued_background() const {
  std::size_t count = 0;
  for (const auto& queued : queue_)
    if (is_background(std::get<0>(queued))) ++count;
  return count;
}

Result<std::shared_ptr<SegmentBuffer>> Scheduler::submit(const std::string& key, Priority priority,
                                                        const std::string& group, PausableJobFunction job) {
  std::unique_lock lock(mutex_);
  if (stopping_) return Error(Errc::ServiceUnavailable, "the server is shutting down");
  auto found = entries_.find(key);
  if (found != entries_.end()) {
    Entry& entry = found->second;
    ++stats_.joined;
    if (!entry.running && priority < entry.priority) {  // a player now waits for it
      queue_.erase({static_cast<int>(entry.priority), entry.sequence, key});
      entry.priority = priority;
      queue_.insert({static_cast<int>(priority), entry.sequence, key});
      lock.unlock();
      wake_.notify_all();
      paused_.notify_all();
    } else if (entry.running && priority == Priority::Player && entry.priority != Priority::Player) {
      // A running prefetch a player now waits for: it counts as a player job from here on, stops
      // pausing, and keeps later prefetch from starting.
      entry.priority = Priority::Player;
      --running_background_;
      ++running_player_;
      lock.unlock();
      paused_.notify_all();
    }
    return entry.buffer;
  }
  std::size_t player_queued = queue_.size() - queued_background();
  if (priority == Priority::Player && player_queued >= options_.queue_limit) {
    ++stats_.rejected;
    return Error(Errc::SlowDown, "too many segments are waiting to be transcoded (" +
                                     std::to_string(player_queued) + " queued); retry shortly")
        .with("RetryAfter", std::to_string(options_.retry_after_s));
  }
  if (priority != Priority::Player && queued_background() >= options_.prefetch_limit) {
    ++stats_.dropped;
    return std::shared_ptr<SegmentBuffer>();
  }
  auto buffer = std::make_shared<SegmentBuffer>();
  std::uint64_t sequence = sequence_++;
  entries_.emplace(key, Entry{priority, sequence, group, std::move(job), buffer, false});
  queue_.insert({static_cast<int>(priority), sequence, key});
  lock.unlock();
  wake_.notify_one();
  if (priority == Priority::Player) paused_.notify_all();
  return buffer;
}

std::size_t Scheduler::abandon(const std::string& group, const std::function<bool(const std::string&)>& keep) {
  std::vector<std::shared_ptr<SegmentBuffer>> dropped;
  {
    std::lock_guard lock(mutex_);
    for (auto it = queue_.begin(); it != queue_.end();) {
      const auto& [priority, sequence, key] = *it;
      auto entry = entries_.find(key);
      if (is_background(priority) && entry->second.group == group && !keep(key)) {
        dropped.push_back(entry->second.buffer);
        entries_.erase(entry);
        it = queue_.erase(it);
        ++stats_.dropped;
      } else {
        ++it;
      }
    }
  }
  for (auto& buffer : dropped) buffer->fail(Error(Errc::ServiceUnavailable, "prefetch abandoned"));
  return dropped.size();
}

bool Scheduler::player_queued() const {
  return !queue_.empty() && !is_background(std::get<0>(*queue_.begin()));
}

bool Scheduler::runnable(const QueueKey& queued) const {
  if (!is_background(std::get<0>(queued))) return true;
  if (options_.background_yields && running_player_ > 0) return false;
  return running_background_ < static_cast<std::size_t>(options_.background_workers);
}

void Scheduler::work() {
  while (true) {
    std::unique_lock lock(mutex_);
    std::string key;
    wake_.wait(lock, [&] {
      if (stopping_) return true;
      // The queue is ordered by priority: the first runnable entry is the one to take.
      for (const auto& queued : queue_)
        if (runnable(queued)) {
          key = std::get<2>(queued);
          return true;
        }
      return false;
    });
    if (stopping_) return;
    Entry& entry = entries_.at(key);
    queue_.erase({static_cast<int>(entry.priority), entry.sequence, key});
    entry.running = true;
    bool background = entry.priority != Priority::Player;
    if (background) ++running_background_;
    else ++running_player_;
    ++stats_.started;
    ++stats_.running;
    PausableJobFunction job = std::move(entry.job);
    auto buffer = entry.buffer;
    lock.unlock();

    const auto started = clock_.steady();
    std::chrono::steady_clock::duration pause_budget = options_.max_pause;
    const PausePoint pause_point = [this, &key, &pause_budget] { pause(key, pause_budget); };
    Status status = Error(Errc::InternalError, "transcode job threw");
    try {
      status = job(*buffer, pause_point);
    } catch (const std::exception& e) {
      status = Error(Errc::InternalError, std::string("transcode job threw: ") + e.what());
    }
    const std::chrono::duration<double> seconds = clock_.steady() - started;

    lock.lock();
    // A player may have joined while it ran (submit moved it to the player count).
    const Priority priority = entries_.at(key).priority;
    background = priority != Priority::Player;
    entries_.erase(key);  // after the job stored its result, so a new request finds the object
    if (background) --running_background_;
    else --running_player_;
    --stats_.running;
    if (status.ok()) ++stats_.finished;
    else ++stats_.failed;
    auto observer = observer_;
    lock.unlock();
    wake_.notify_all();  // a background slot may have opened
    if (!background) paused_.notify_all();  // paused prefetch may go on

    if (status.ok()) buffer->finish();
    else {
      spdlog::warn("segment job {} failed: {}", key, status.error().to_string());
      buffer->fail(status.error());
    }
    if (observer) observer(JobEvent{key, priority, seconds, status.ok()});
  }
}

void Scheduler::pause(const std::string& key, std::chrono::steady_clock::duration& budget) {
  if (!options_.background_yields || budget <= std::chrono::steady_clock::duration::zero()) return;
  std::unique_lock lock(mutex_);
  // A player queued behind busy workers needs this job's worker: finishing frees it sooner.
  auto must_wait = [&] {
    return !stopping_ && running_player_ > 0 && entries_.at(key).priority != Priority::Player && !player_queued();
  };
  if (!must_wait()) return;
  const auto from = clock_.steady();
  paused_.wait_for(lock, budget, [&] { return !must_wait(); });
  budget -= clock_.steady() - from;
}

bool Scheduler::pending(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return entries_.count(key) > 0;
}

std::vector<std::string> Scheduler::running_keys() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [key, entry] : entries_)
    if (entry.running) keys.push_back(key);
  return keys;
}

SchedulerStats Scheduler::stats() const {
  std::lock_guard lock(mutex_);
  SchedulerStats stats = stats_;
  stats.queued_background = queued_background();
  stats.queued_player = queue_.size() - stats.queued_background;
  return stats;
}

void Scheduler::set_observer(std::function<void(const JobEvent&)> observer) {
  std::lock_guard lock(mutex_);
  observer_ = std::move(observer);
}

}  // namespace osslive::jobs
