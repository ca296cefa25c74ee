#pragma once
// What probe() learns about a source: plain osslive types, no libav headers.
// Times are microseconds on the source's own timeline.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "osslive/media/rational.hpp"

namespace osslive::media {

struct VideoStreamInfo {
  int index = -1;                      // stream index in the container
  std::string codec;                   // libav codec name, e.g. "h264"
  int width = 0, height = 0;           // coded size
  Rational sample_aspect_ratio{0, 1};  // 0/1: unknown, treated as square
  std::string pix_fmt;                 // libav name, e.g. "yuv420p"; empty when unknown
  Rational avg_frame_rate{0, 1};
  Rational r_frame_rate{0, 1};
  Rational time_base{0, 1};
  std::int64_t start_us = 0;           // 0 when unknown
  std::int64_t bit_rate = 0;           // bit/s, 0 when unknown
  // Clockwise degrees the decoded picture must be turned to display upright (0, 90, 180, 270),
  // from the display matrix; the same angle the ffmpeg CLI's autorotate applies.
  int rotation = 0;
  int has_b_frames = 0;
  std::string field_order;             // progressive, tt, bb, tb, bt or unknown
};

struct AudioStreamInfo {
  int index = -1;
  std::string codec;
  int sample_rate = 0;
  int channels = 0;
  std::string channel_layout;          // e.g. "stereo", "5.1(side)"
  std::int64_t bit_rate = 0;           // bit/s, 0 when unknown
  std::int64_t start_us = 0;
  Rational time_base{0, 1};
};

struct StreamSummary {
  int index = -1;
  std::string type;                    // video, audio, subtitle, data, attachment, unknown
  std::string codec;
  std::string language;                // "language" tag, may be empty
};

struct SourceInfo {
  std::string format;                  // demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  std::int64_t start_us = 0;           // container start time (the output origin)
  std::int64_t duration_us = 0;        // > 0 for every source probe() accepts
  std::optional<VideoStreamInfo> video;  // first decodable video stream that is not cover art
  std::optional<AudioStreamInfo> audio;  // first decodable audio stream
  int video_streams = 0;
  int audio_streams = 0;
  int subtitle_streams = 0;
  std::vector<StreamSummary> streams;  // every stream, in container order
};

// Bounds that keep a hostile or huge source from costing unbounded time or memory.
struct ProbeLimits {
  int max_width = 8192;
  int max_height = 8192;
  std::int64_t max_duration_us = 24ll * 3600 * 1'000'000;
  int max_streams = 64;
  std::int64_t probesize = 10'000'000;            // bytes libavformat may read to find streams
  std::int64_t analyzeduration_us = 10'000'000;   // stream time it may analyse
  std::chrono::milliseconds timeout{15'000};      // wall clock for the whole probe
};

}  // namespace osslive::media
