#pragma once
// Hand-made probe results for resolve() tests.
#include <gtest/gtest.h>

#include <string>

#include "osslive/hls/params.hpp"

namespace osslive::hls::fixtures {

using media::Rational;

// 60 s, 1920x1080 H.264 at 25 fps, 4 Mbit/s, and 48 kHz stereo AAC at 128 kbit/s, starting at 1.4 s.
inline media::SourceInfo source(int w = 1920, int h = 1080, Rational fps = {25, 1}) {
  media::SourceInfo s;
  s.format = "mov,mp4,m4a,3gp,3g2,mj2";
  s.start_us = 1'400'000;
  s.duration_us = 60'000'000;
  media::VideoStreamInfo v;
  v.index = 0;
  v.codec = "h264";
  v.width = w;
  v.height = h;
  v.pix_fmt = "yuv420p";
  v.avg_frame_rate = fps;
  v.r_frame_rate = fps;
  v.time_base = {1, 12800};
  v.bit_rate = 4'000'000;
  s.video = v;
  media::AudioStreamInfo a;
  a.index = 1;
  a.codec = "aac";
  a.sample_rate = 48000;
  a.channels = 2;
  a.channel_layout = "stereo";
  a.bit_rate = 128'000;
  s.audio = a;
  s.video_streams = s.audio_streams = 1;
  return s;
}

inline media::SourceInfo audio_only() {
  media::SourceInfo s = source();
  s.video.reset();
  s.video_streams = 0;
  return s;
}

inline Result<ResolvedParams> run(const process::HlsM3u8& r, const media::SourceInfo& s = source()) {
  return resolve(r, s);
}

inline void expect_error(const Result<ResolvedParams>& result, const std::string& message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Errc::InvalidArgument);
  EXPECT_EQ(result.error().message(), message);
}

}  // namespace osslive::hls::fixtures
