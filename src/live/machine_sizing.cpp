#include "osslive/live/machine_sizing.hpp"

#include <algorithm>

namespace osslive::live {

TranscodeConfig sized_for_machine(TranscodeConfig config, int cores) {
  cores = std::max(1, cores);
  if (config.workers <= 0) config.workers = std::max(2, cores);
  if (config.threads_per_job <= 0) config.threads_per_job = cores;
  return config;
}

jobs::SchedulerOptions scheduler_options(const TranscodeConfig& config) {
  jobs::SchedulerOptions options;
  options.workers = config.workers;
  options.background_workers = 0;
  options.queue_limit = config.queue_limit;
  options.prefetch_limit = config.prefetch_limit;
  options.retry_after_s = config.retry_after_s;
  options.background_yields = config.prefetch_yields_to_players;
  options.max_pause = std::min(std::chrono::milliseconds(20'000), std::chrono::milliseconds(config.segment_timeout_ms / 4));
  return options;
}

}  // namespace osslive::live
