#pragma once
// The one place that turns resolved video parameters into encoder settings. Segment jobs encode
// with them, and GenerateVideoPlaylist reads CODECS from a probe encode with them, so the master
// playlist describes the very stream its segments carry.
#include "osslive/hls/params.hpp"
#include "osslive/media/encoders.hpp"
#include "osslive/transcode/segment_transcoder.hpp"

namespace osslive::transcode {

// x264/x265 frame threads change the bytes (each thread's rate control and motion search see other
// frames finished), so their number belongs to what a segment is, not to the machine making it: a
// node with 2 cores and one with 32 must make a deleted segment again byte for byte (docs/seamless.md).
// 3 is what the 2-core machines of docs/PERFORMANCE.md always ran (1.5 x cores, x264's own rule).
inline constexpr int kEncoderFrameThreads = 3;

// `threads`: x264/x265 frame threads (they change latency and bytes, not the stream's parameter sets).
media::VideoEncoderSettings video_encoder_settings(const hls::VideoParams& params, const TranscodeOptions& options,
                                                   int threads);

}  // namespace osslive::transcode
