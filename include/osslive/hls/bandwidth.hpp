#pragma once
// BANDWIDTH and AVERAGE-BANDWIDTH of a variant stream (RFC 8216 §4.3.4.2), bounded from the
// encoder settings, never guessed: the video encoder runs with a VBV cap (maxrate, bufsize), so a
// segment of d seconds holds at most 0.9 * bufsize + maxrate * d bits of video (x264 starts each
// segment's buffer 90% full); the AAC encoder re-encodes any frame above 1.5 times its share of
// the bit rate; and the MPEG-TS muxer's overhead is counted packet by packet (FFmpeg 5.1 defaults:
// PAT+PMT every 100 ms and at keyframes, SDT every 500 ms, audio PES of at most 2930 bytes or
// 350 ms, one PES per video frame with PTS, DTS and PCR).
#include <cstdint>

#include "osslive/hls/params.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::hls {

struct RateBound {
  std::int64_t peak = 0;     // bit/s: BANDWIDTH (HLS peak segment bit rate)
  std::int64_t average = 0;  // bit/s: AVERAGE-BANDWIDTH, from the target rates
};

// The TS of one media playlist (`video` and/or `audio` muxed, made with `plan`). The peak is the
// largest rate of any run of consecutive segments lasting 0.5 to 1.5 target durations (the HLS
// definition), or of the whole playlist when none does. The average is over the whole playlist,
// with the video at its bit rate (Bitrate targets) or its cap (CRF targets), the audio at its bit
// rate.
RateBound ts_rate_bound(const VideoParams* video, const AudioParams* audio, const SegmentPlan& plan);

// The VBV cap of a CRF target without MaxBitrate (bit/s), by picture area: up to 320x240 0.6 M,
// 640x360 1.2 M, 854x480 2 M, 1280x720 4.5 M, 1920x1080 8 M, 2560x1440 14 M, 3840x2160 25 M,
// larger 40 M; times 1.5 above 30 fps.
std::int64_t default_max_bitrate(int width, int height, media::Rational frame_rate);

}  // namespace osslive::hls
