// Output geometry: s, sopt, scaletype, arotate, rotation and sample aspect ratio.
#include <gtest/gtest.h>

#include "osslive/hls/params.hpp"
#include "test_sources.hpp"

namespace osslive::hls {
namespace {

using namespace fixtures;

struct SizeCase {
  const char* label;
  int coded_w, coded_h;
  Rational sar;
  int rotation;
  std::optional<int> w, h, sopt;
  std::optional<std::string> scaletype;
  int arotate;
  // expected: display, scaled, crop, pad, output
  int dw, dh, sw, sh, cx, cy, px, py, ow, oh;
};

TEST(Resolve, Size) {
  const SizeCase cases[] = {
      {"source size", 1920, 1080, {0, 1}, 0, {}, {}, {}, {}, 0, 1920, 1080, 1920, 1080, 0, 0, 0, 0, 1920, 1080},
      {"odd source made even", 1921, 1081, {1, 1}, 0, {}, {}, {}, {}, 0, 1921, 1081, 1920, 1080, 0, 0, 0, 0, 1920, 1080},
      {"anamorphic widened", 720, 480, {32, 27}, 0, {}, {}, {}, {}, 0, 853, 480, 852, 480, 0, 0, 0, 0, 852, 480},
      {"rotation 90 swaps", 1920, 1080, {1, 1}, 90, {}, {}, {}, {}, 0, 1080, 1920, 1080, 1920, 0, 0, 0, 0, 1080, 1920},
      {"rotation 180 keeps", 1920, 1080, {1, 1}, 180, {}, {}, {}, {}, 0, 1920, 1080, 1920, 1080, 0, 0, 0, 0, 1920, 1080},
      {"rotation 270 no arotate", 1920, 1080, {1, 1}, 270, 1280, 720, {}, {}, 0, 1080, 1920, 1280, 720, 0, 0, 0, 0, 1280, 720},
      {"rotation 90 arotate", 1920, 1080, {1, 1}, 90, 1280, 720, {}, {}, 1, 1080, 1920, 720, 1280, 0, 0, 0, 0, 720, 1280},
      {"rotation 270 arotate", 1920, 1080, {1, 1}, 270, 1280, 720, {}, {}, 1, 1080, 1920, 720, 1280, 0, 0, 0, 0, 720, 1280},
      {"portrait coded arotate", 1080, 1920, {1, 1}, 0, 1280, 720, {}, {}, 1, 1080, 1920, 720, 1280, 0, 0, 0, 0, 720, 1280},
      {"landscape arotate short first", 1920, 1080, {1, 1}, 0, 720, 1280, {}, {}, 1, 1920, 1080, 1280, 720, 0, 0, 0, 0, 1280, 720},
      {"sopt 0 upscales", 640, 360, {1, 1}, 0, 1280, 720, 0, {}, 0, 640, 360, 1280, 720, 0, 0, 0, 0, 1280, 720},
      {"sopt 1 keeps smaller source", 640, 360, {1, 1}, 0, 1280, 720, 1, {}, 0, 640, 360, 640, 360, 0, 0, 0, 0, 640, 360},
      {"sopt default 1", 640, 360, {1, 1}, 0, 1280, 720, {}, "crop", 0, 640, 360, 640, 360, 0, 0, 0, 0, 640, 360},
      {"sopt 2 larger source", 1920, 1080, {1, 1}, 0, 1280, 720, 2, {}, 0, 1920, 1080, 1280, 720, 0, 0, 0, 0, 1280, 720},
      {"stretch", 1440, 1080, {1, 1}, 0, 1280, 720, {}, "stretch", 0, 1440, 1080, 1280, 720, 0, 0, 0, 0, 1280, 720},
      {"crop 16:9 to square", 1920, 1080, {1, 1}, 0, 720, 720, {}, "crop", 0, 1920, 1080, 1280, 720, 280, 0, 0, 0, 720, 720},
      {"crop 2.4:1", 1920, 800, {1, 1}, 0, 1280, 720, {}, "crop", 0, 1920, 800, 1728, 720, 224, 0, 0, 0, 1280, 720},
      {"crop 4:3", 1440, 1080, {1, 1}, 0, 1280, 720, {}, "crop", 0, 1440, 1080, 1280, 960, 0, 120, 0, 0, 1280, 720},
      {"fill 4:3 pillarbox", 1440, 1080, {1, 1}, 0, 1280, 720, {}, "fill", 0, 1440, 1080, 960, 720, 0, 0, 160, 0, 1280, 720},
      {"fill 2.4:1 letterbox", 1920, 800, {1, 1}, 0, 1280, 720, {}, "fill", 0, 1920, 800, 1280, 532, 0, 0, 0, 94, 1280, 720},
      {"fit 4:3", 1440, 1080, {1, 1}, 0, 1280, 720, {}, "fit", 0, 1440, 1080, 960, 720, 0, 0, 0, 0, 960, 720},
      {"fit 2.4:1", 1920, 800, {1, 1}, 0, 1280, 720, {}, "fit", 0, 1920, 800, 1280, 532, 0, 0, 0, 0, 1280, 532},
      {"fit rotated portrait", 1920, 1080, {1, 1}, 90, 1280, 720, {}, "fit", 0, 1080, 1920, 404, 720, 0, 0, 0, 0, 404, 720},
  };
  for (const SizeCase& c : cases) {
    media::SourceInfo s = source(c.coded_w, c.coded_h);
    s.video->sample_aspect_ratio = c.sar;
    s.video->rotation = c.rotation;
    process::HlsM3u8 r;
    r.width = c.w;
    r.height = c.h;
    r.sopt = c.sopt;
    r.scaletype = c.scaletype;
    r.arotate = c.arotate;
    auto p = run(r, s);
    ASSERT_TRUE(p.ok()) << c.label << ": " << p.error().to_string();
    const VideoParams& v = *p->video;
    EXPECT_EQ(v.rotation, c.rotation) << c.label;
    EXPECT_EQ(v.display_width, c.dw) << c.label;
    EXPECT_EQ(v.display_height, c.dh) << c.label;
    EXPECT_EQ(v.scaled_width, c.sw) << c.label;
    EXPECT_EQ(v.scaled_height, c.sh) << c.label;
    EXPECT_EQ(v.crop_x, c.cx) << c.label;
    EXPECT_EQ(v.crop_y, c.cy) << c.label;
    EXPECT_EQ(v.pad_x, c.px) << c.label;
    EXPECT_EQ(v.pad_y, c.py) << c.label;
    EXPECT_EQ(v.width, c.ow) << c.label;
    EXPECT_EQ(v.height, c.oh) << c.label;
  }
}

TEST(Resolve, SizeErrors) {
  process::HlsM3u8 r;
  r.width = 1280;
  r.height = 720;
  r.sopt = 2;
  expect_error(run(r, source(640, 360)), "s must not be larger than the source size 640x360 when sopt is 2, got 1280x720");
  r.sopt = 0;
  r.scaletype = "zoom";
  expect_error(run(r), "scaletype must be one of stretch, crop, fill, fit, got zoom");
}

}  // namespace
}  // namespace osslive::hls
