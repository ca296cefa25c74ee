#pragma once
// The segment plan (docs/seamless.md, "The plan"): which output video frames and AAC frames each
// segment owns, in exact integer arithmetic. A pure function of the resolved parameters, so the
// playlist writer and every segment job compute the same plan.
#include <cstdint>
#include <string>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/media/rational.hpp"

namespace osslive::hls {

inline constexpr int kAacFrameSamples = 1024;

struct Segment {
  std::int64_t index = 0;
  // Output video frames [first_video_frame, first_video_frame + video_frames); frame k is at k / F.
  std::int64_t first_video_frame = 0;
  std::int64_t video_frames = 0;
  // AAC frames [first_audio_frame, first_audio_frame + audio_frames); frame j starts at 1024 j / R.
  // With video: the frames starting in [first video frame / F, next segment's first video frame / F).
  std::int64_t first_audio_frame = 0;
  std::int64_t audio_frames = 0;
  // Seconds from the output start (ss), exact and reduced: video frames / F, or for audio-only
  // sources AAC frames * 1024 / R. `duration` is the EXTINF.
  media::Rational start{0, 1};
  media::Rational duration{0, 1};
};

struct SegmentPlan {
  media::Rational frame_rate{0, 1};  // F; 0/1 without video
  int sample_rate = 0;               // R; 0 without audio
  std::int64_t total_video_frames = 0;  // N = ceil(D * F)
  std::int64_t total_audio_frames = 0;  // ceil((N / F) * R / 1024), audio-only ceil(D * R / 1024)
  media::Rational duration{0, 1};    // seconds, the sum of every segment's duration
  std::int64_t target_duration = 0;  // the longest segment duration rounded to the nearest second (EXT-X-TARGETDURATION)
  std::vector<Segment> segments;     // never empty; no segment is shorter than one frame
};

// Boundaries (ms from ss): the header segments, then st each, until D. Fails only on parameters
// validate() rejects.
Result<SegmentPlan> make_plan(const ResolvedParams& params);

// How many leading segments initd asks to pre-transcode: 0 for 0; every segment for a negative
// value or one covering the whole output; otherwise the segments starting before initd.
std::size_t initd_segments(const SegmentPlan& plan, std::int64_t initd_ms);

// EXTINF text: seconds with 3 decimals, rounded half up ("9.977").
std::string format_extinf(media::Rational seconds);

}  // namespace osslive::hls
