#pragma once
// Hand-made probe results for resolve() tests.
#include <gtest/gtest.h>

#include <string>

#include "../probed_source.hpp"
#include "osslive/hls/params.hpp"

namespace osslive::hls::fixtures {

using media::Rational;

// 60 s, 1920x1080 H.264 at 25 fps, 4 Mbit/s, and 48 kHz stereo AAC at 128 kbit/s, starting at 1.4 s.
inline media::SourceInfo source(int w = 1920, int h = 1080, Rational fps = {25, 1}) {
  return test_media::probed_source({.width = w, .height = h, .fps = fps});
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
