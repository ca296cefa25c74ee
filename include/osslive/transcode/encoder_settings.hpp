#pragma once
// The one place that turns resolved video parameters into encoder settings. Segment jobs encode
// with them, and GenerateVideoPlaylist reads CODECS from a probe encode with them, so the master
// playlist describes the very stream its segments carry.
#include "osslive/hls/params.hpp"
#include "osslive/media/encoders.hpp"
#include "osslive/transcode/segment_transcoder.hpp"

namespace osslive::transcode {

// `threads`: x264/x265 frame threads (they change latency, not the stream's parameter sets).
media::VideoEncoderSettings video_encoder_settings(const hls::VideoParams& params, const TranscodeOptions& options,
                                                   int threads);

}  // namespace osslive::transcode
