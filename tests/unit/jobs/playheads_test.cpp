#include "osslive/jobs/playheads.hpp"

#include <gtest/gtest.h>

namespace osslive::jobs {
namespace {

using namespace std::chrono_literals;
using V = std::vector<std::int64_t>;

TEST(Playheads, AViewerMovingOnKeepsOnePosition) {
  Playheads heads;
  const auto t0 = Playheads::Clock::time_point{};
  EXPECT_EQ(heads.request("b/p.m3u8", 0, 12, t0), V{0});
  EXPECT_EQ(heads.request("b/p.m3u8", 1, 12, t0 + 10s), V{1});
  EXPECT_EQ(heads.request("b/p.m3u8", 3, 12, t0 + 20s), V{3});  // a skipped segment (stored, or a short jump)
  EXPECT_EQ(heads.request("other.m3u8", 7, 12, t0 + 20s), V{7});
}

TEST(Playheads, ASeekFarAwayIsASecondViewerUntilTheFirstGoesQuiet) {
  Playheads heads(120s);
  const auto t0 = Playheads::Clock::time_point{};
  heads.request("p", 5, 12, t0);
  EXPECT_EQ(heads.request("p", 60, 12, t0 + 1s), (V{5, 60}));   // viewer B seeks, A stays known
  EXPECT_EQ(heads.request("p", 6, 12, t0 + 10s), (V{6, 60}));   // A moves on
  EXPECT_EQ(heads.request("p", 61, 12, t0 + 200s), (V{61}));    // A silent for > 120 s: gone
}

TEST(Playheads, ASeekBackIsANewPositionAndRequestsGoToTheNearestBehind) {
  Playheads heads;
  const auto t0 = Playheads::Clock::time_point{};
  heads.request("p", 20, 12, t0);
  EXPECT_EQ(heads.request("p", 4, 12, t0 + 1s), (V{4, 20}));
  // A request both could have made goes to the nearest position behind it.
  EXPECT_EQ(heads.request("p", 22, 12, t0 + 2s), (V{4, 22}));
  EXPECT_EQ(heads.request("p", 16, 12, t0 + 3s), (V{16, 22}));
  EXPECT_EQ(heads.request("p", 22, 12, t0 + 4s), (V{16, 22}));
}

TEST(Playheads, PositionsPerPlaylistAreBounded) {
  Playheads heads(120s, 3);
  const auto t0 = Playheads::Clock::time_point{};
  for (int i = 0; i < 10; ++i) heads.request("p", i * 100, 12, t0 + std::chrono::seconds(i));
  EXPECT_EQ(heads.request("p", 1000, 12, t0 + 20s), (V{800, 900, 1000}));
}

}  // namespace
}  // namespace osslive::jobs
