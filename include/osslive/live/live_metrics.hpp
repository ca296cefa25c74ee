#pragma once
// The live layer's values on /-/metrics: the scheduler's job counts and the segment cache.
#include "osslive/core/metrics.hpp"
#include "osslive/jobs/scheduler.hpp"
#include "osslive/live/live_service.hpp"

namespace osslive::live {

// Adds the transcode and cache probes and feeds finished jobs into the transcode-time histogram.
// `metrics`, `scheduler` and `live` must outlive every render.
void register_live_metrics(Metrics& metrics, jobs::Scheduler& scheduler, const LiveService& live);

}  // namespace osslive::live
