#include "osslive/live/machine_sizing.hpp"

#include <gtest/gtest.h>

namespace osslive::live {
namespace {

TEST(MachineSizing, ZeroMeansTheMachine) {
  TranscodeConfig config;
  config.workers = 0;
  config.threads_per_job = 0;
  const TranscodeConfig two = sized_for_machine(config, 2);
  EXPECT_EQ(two.workers, 2);
  EXPECT_EQ(two.threads_per_job, 2);
  const TranscodeConfig one = sized_for_machine(config, 1);
  EXPECT_EQ(one.workers, 2) << "one job for a player, one for prefetch, even on one core";
  EXPECT_EQ(one.threads_per_job, 1);
  EXPECT_EQ(sized_for_machine(config, 0).threads_per_job, 1) << "an unknown core count is one";
  config.workers = 5;
  config.threads_per_job = 3;
  const TranscodeConfig given = sized_for_machine(config, 16);
  EXPECT_EQ(given.workers, 5);
  EXPECT_EQ(given.threads_per_job, 3);
}

TEST(MachineSizing, APausedPrefetchNeverOutwaitsItsTimeout) {
  TranscodeConfig config = sized_for_machine(TranscodeConfig{}, 2);
  config.segment_timeout_ms = 120'000;
  EXPECT_EQ(scheduler_options(config).max_pause, std::chrono::milliseconds(20'000));
  config.segment_timeout_ms = 8'000;
  EXPECT_EQ(scheduler_options(config).max_pause, std::chrono::milliseconds(2'000));
  config.queue_limit = 7;
  config.prefetch_limit = 9;
  config.retry_after_s = 4;
  config.prefetch_yields_to_players = false;
  const jobs::SchedulerOptions options = scheduler_options(config);
  EXPECT_EQ(options.workers, config.workers);
  EXPECT_EQ(options.queue_limit, 7u);
  EXPECT_EQ(options.prefetch_limit, 9u);
  EXPECT_EQ(options.retry_after_s, 4);
  EXPECT_FALSE(options.background_yields);
}

}  // namespace
}  // namespace osslive::live
