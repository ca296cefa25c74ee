#pragma once
// What media::probe says of a typical upload, made by hand for tests that need no file: H.264
// and stereo AAC in MP4, 1920x1080 at 25 fps, 60 s from 1.4 s, unless the shape says otherwise.
#include <cstdint>

#include "osslive/media/source_info.hpp"

namespace osslive::test_media {

struct SourceShape {
  bool video = true;
  bool audio = true;
  int width = 1920;
  int height = 1080;
  media::Rational fps{25, 1};
  std::int64_t start_us = 1'400'000;
  std::int64_t duration_us = 60'000'000;
  std::int64_t video_bit_rate = 4'000'000;
  std::int64_t audio_bit_rate = 128'000;
};

inline media::SourceInfo probed_source(const SourceShape& shape = {}) {
  media::SourceInfo s;
  s.format = "mov,mp4,m4a,3gp,3g2,mj2";
  s.start_us = shape.start_us;
  s.duration_us = shape.duration_us;
  if (shape.video) {
    media::VideoStreamInfo v;
    v.index = 0;
    v.codec = "h264";
    v.width = shape.width;
    v.height = shape.height;
    v.pix_fmt = "yuv420p";
    v.avg_frame_rate = v.r_frame_rate = shape.fps;
    v.time_base = {1, 12800};
    v.bit_rate = shape.video_bit_rate;
    s.video = v;
    s.video_streams = 1;
  }
  if (shape.audio) {
    media::AudioStreamInfo a;
    a.index = shape.video ? 1 : 0;
    a.codec = "aac";
    a.sample_rate = 48000;
    a.channels = 2;
    a.channel_layout = "stereo";
    a.bit_rate = shape.audio_bit_rate;
    s.audio = a;
    s.audio_streams = 1;
  }
  return s;
}

}  // namespace osslive::test_media
