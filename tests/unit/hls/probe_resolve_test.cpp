// probe -> resolve -> plan on a file the ffmpeg CLI makes: the pieces agree on real values.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "osslive/hls/plan.hpp"
#include "osslive/media/probe.hpp"
#include "rational_printer.hpp"

namespace osslive::hls {
namespace {

namespace fs = std::filesystem;

TEST(ProbeResolvePlan, RotatedNtscSource) {
  fs::path dir = fs::temp_directory_path() / ("osslive-hls-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path plain = dir / "plain.mp4", rotated = dir / "rotated.mp4";
  std::string make = "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i testsrc2=size=640x360:rate=30000/1001:duration=12 "
                     "-f lavfi -i sine=frequency=440:sample_rate=44100:duration=12 -c:v libx264 -preset ultrafast "
                     "-pix_fmt yuv420p -c:a aac -shortest " + plain.string() +
                     " && ffmpeg -hide_banner -loglevel error -nostdin -y -i " + plain.string() +
                     " -c copy -metadata:s:v rotate=90 " + rotated.string();
  ASSERT_EQ(std::system(make.c_str()), 0);

  auto handle = FileHandle::open_read(rotated);
  ASSERT_TRUE(handle.ok());
  auto info = media::probe(std::make_shared<const FileHandle>(std::move(handle).value()));
  fs::remove_all(dir);
  ASSERT_TRUE(info.ok()) << info.error().to_string();

  process::HlsM3u8 request;
  request.width = 1280;
  request.height = 720;
  request.arotate = 1;
  request.sopt = 0;
  request.scaletype = "fit";
  request.st_ms = 5000;
  auto params = resolve(request, *info);
  ASSERT_TRUE(params.ok()) << params.error().to_string();
  ASSERT_TRUE(params->video && params->audio);
  EXPECT_EQ(params->video->rotation, 270);
  EXPECT_EQ(params->video->display_width, 360);  // upright portrait
  EXPECT_EQ(params->video->display_height, 640);
  EXPECT_EQ(params->video->width, 720);  // arotate: short side first for a portrait source
  EXPECT_EQ(params->video->height, 1280);
  EXPECT_EQ(params->video->frame_rate, (media::Rational{30000, 1001}));
  EXPECT_EQ(params->audio->sample_rate, 44100);
  EXPECT_EQ(params->audio->channels, 1);

  auto plan = make_plan(*params);
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  ASSERT_EQ(plan->segments.size(), 3u);
  EXPECT_EQ(plan->segments[0].video_frames, 150);  // ceil(5 s * 29.97)
  EXPECT_EQ(plan->segments[1].video_frames, 150);
  EXPECT_EQ(plan->segments[1].first_video_frame, 150);
}

}  // namespace
}  // namespace osslive::hls
