// The output audio buffer: append-only placement, silence in holes, overlaps dropped.
#include <gtest/gtest.h>

#include "sample_timeline.hpp"

namespace osslive::transcode {
namespace {

media::PlanarSamples ramp(float from, std::size_t count) {
  media::PlanarSamples s(1);
  for (std::size_t i = 0; i < count; ++i) s[0].push_back(from + static_cast<float>(i));
  return s;
}

std::vector<float> read(const SampleTimeline& t, std::int64_t at, std::size_t count) {
  std::vector<std::vector<float>> out;
  t.read(at, count, out);
  return out[0];
}

TEST(SampleTimeline, PlacesHolesAndOverlaps) {
  SampleTimeline t(1, 10, 30);
  t.place(5, ramp(100, 8), 8);  // 100..107 at 5..12: only 10..12 inside the window
  EXPECT_EQ(t.written_end(), 13);
  t.place(15, ramp(200, 3), 3);  // a hole 13..14 becomes silence
  EXPECT_EQ(t.written_end(), 18);
  t.place(16, ramp(300, 4), 4);  // overlaps 16..17: dropped; 302, 303 land on 18, 19
  EXPECT_EQ(t.written_end(), 20);
  EXPECT_EQ(read(t, 8, 14), (std::vector<float>{0, 0, 105, 106, 107, 0, 0, 200, 201, 202, 302, 303, 0, 0}));
}

TEST(SampleTimeline, AudioPastTheWindowMakesItFinal) {
  SampleTimeline t(1, 0, 8);
  t.place(2, ramp(1, 2), 2);
  EXPECT_EQ(t.written_end(), 4);
  t.place(20, ramp(9, 2), 2);
  EXPECT_EQ(t.written_end(), 8);
  EXPECT_EQ(read(t, 0, 8), (std::vector<float>{0, 0, 1, 2, 0, 0, 0, 0}));
}

TEST(SampleTimeline, ReleasedSamplesReadAsSilence) {
  SampleTimeline t(2, 0, 200'000);
  media::PlanarSamples s(2, std::vector<float>(150'000, 0.5f));
  t.place(0, s, 150'000);
  t.release_before(140'000);
  std::vector<std::vector<float>> out;
  t.read(139'999, 2, out);
  EXPECT_EQ(out[1], (std::vector<float>{0.0f, 0.5f}));
}

}  // namespace
}  // namespace osslive::transcode
