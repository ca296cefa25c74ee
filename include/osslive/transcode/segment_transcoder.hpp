#pragma once
// Makes one TS segment of a playlist from its source, independently of every other segment
// (docs/seamless.md): any order, any number of times, byte-identical each time, and joining its
// neighbours without a gap, an overlap or a click.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::transcode {

struct TranscodeOptions {
  // Cores one job may keep busy: decoder frame threads and picture-scaling slices; 0: all of
  // hardware_concurrency. A lone job should be as fast as the machine allows.
  int threads = 0;
  // x264/x265 frame threads; 0: kEncoderFrameThreads (encoder_settings.hpp), whatever the machine,
  // since the number shapes the bytes. Set only by benchmarks that compare thread counts.
  int encoder_threads = 0;
  std::string x264_preset = "veryfast";
  std::string x265_preset = "ultrafast";
  // The whole job ends by then, via the input's interrupt deadline (the caller reads its clock).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Called between pictures; may block (the scheduler pauses prefetch while a player's job runs).
  std::function<void()> pause;
};

// Writes segment `index` of `plan` (made by hls::make_plan(manifest.params)) as MPEG-TS to `sink`,
// as the muxer produces the bytes. `source` is the pinned source object (the caller checked its
// ETag). A sink error stops the job and is returned. Bad or truncated sources give
// InvalidArgument with a clear message, never a crash. Nothing reaches the sink before the job
// knows its decode started early enough, so a failed job has usually written nothing.
Status transcode_segment(const hls::Manifest& manifest, const hls::SegmentPlan& plan, std::int64_t index,
                         std::shared_ptr<const FileHandle> source, const TranscodeOptions& options,
                         const std::function<Status(std::string_view bytes)>& sink);

}  // namespace osslive::transcode
