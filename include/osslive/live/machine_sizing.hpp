#pragma once
// How the transcode configuration meets the machine: worker and thread counts left at 0 take the
// core count, and the scheduler's options follow from the result. Kept out of main so the rules
// are tested.
#include "osslive/core/config.hpp"
#include "osslive/jobs/scheduler.hpp"

namespace osslive::live {

// workers <= 0: max(2, cores); threads_per_job <= 0: cores (a lone job uses the whole machine).
TranscodeConfig sized_for_machine(TranscodeConfig config, int cores);

// The scheduler of a sized configuration. A paused prefetch may wait at most a quarter of the
// segment timeout (and 20 s), so it never runs into its own timeout by waiting.
jobs::SchedulerOptions scheduler_options(const TranscodeConfig& config);

}  // namespace osslive::live
