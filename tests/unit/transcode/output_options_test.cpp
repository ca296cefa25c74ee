// Output options and hostile input: h265, every scale type, truncated and random sources, sink
// errors.
#include "transcode_support.hpp"

namespace osslive::transcode::testing {
namespace {

const fs::path& small_source() {
  static const fs::path path = [] {
    fs::path p = work_dir() / "small.mp4";
    run(ffmpeg() + "-f lavfi -i testsrc2=size=320x240:rate=25:duration=7 -f lavfi -i sine=sample_rate=48000:duration=7 "
                   "-c:v libx264 -preset ultrafast -c:a aac '" + p.string() + "'");
    return p;
  }();
  return path;
}

TEST(OutputOptions, H265SegmentsJoin) {
  process::HlsM3u8 request;
  request.st_ms = 5000;
  request.vcodec = "h265";
  auto p = make_playlist(small_source(), request);
  ASSERT_TRUE(p.ok()) << p.error().to_string();
  ASSERT_EQ(p->plan.segments.size(), 2u);
  auto segments = make_all(*p, small_source());
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();
  auto first = probe_ts(write_file("h265-0.ts", (*segments)[0]));
  auto second = probe_ts(write_file("h265-1.ts", (*segments)[1]));
  EXPECT_EQ(first.video_codec, "hevc");
  ASSERT_EQ(first.video.size(), 125u);
  ASSERT_EQ(second.video.size(), 50u);
  EXPECT_TRUE(first.video.front().key);
  EXPECT_TRUE(second.video.front().key);
  EXPECT_EQ(min_pts(first.video), 126'000);
  EXPECT_EQ(min_pts(second.video), max_pts(first.video) + 3600);
  EXPECT_GT(second.video.front().dts, first.video.back().dts);
  auto again = make_segment(*p, small_source(), 1);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again == (*segments)[1]);
}

struct ScaleCase {
  const char* type;
  int width, height;
};

TEST(OutputOptions, EveryScaleTypeGivesThePlannedSize) {
  for (ScaleCase c : {ScaleCase{"stretch", 200, 200}, ScaleCase{"crop", 200, 200}, ScaleCase{"fill", 200, 200},
                      ScaleCase{"fit", 200, 150}}) {
    SCOPED_TRACE(c.type);
    process::HlsM3u8 request;
    request.st_ms = 5000;
    request.width = 200;
    request.height = 200;
    request.sopt = 0;
    request.scaletype = c.type;
    auto p = make_playlist(small_source(), request);
    ASSERT_TRUE(p.ok()) << p.error().to_string();
    EXPECT_EQ(p->manifest.params.video->width, c.width);
    EXPECT_EQ(p->manifest.params.video->height, c.height);
    auto bytes = make_segment(*p, small_source(), 1);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    auto s = probe_ts(write_file(std::string("scale-") + c.type + ".ts", *bytes));
    EXPECT_EQ(s.width, c.width);
    EXPECT_EQ(s.height, c.height);
  }
}

TEST(OutputOptions, BadSourcesAreInvalidArgument) {
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto p = make_playlist(small_source(), request);
  ASSERT_TRUE(p.ok());

  std::string whole;
  {
    std::ifstream in(small_source(), std::ios::binary);
    whole.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::mt19937 random(7);
  std::string noise(whole.size(), '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xff);
  for (const auto& [name, bytes] : {std::pair<std::string, std::string>{"truncated.mp4", whole.substr(0, whole.size() * 2 / 5)},
                                    std::pair<std::string, std::string>{"random.bin", noise},
                                    std::pair<std::string, std::string>{"empty.mp4", ""}}) {
    SCOPED_TRACE(name);
    auto result = make_segment(*p, write_file(name, bytes), 1);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), Errc::InvalidArgument) << result.error().to_string();
  }
}

TEST(OutputOptions, TruncatedStreamDataNeverCrashes) {
  // A TS cut in the middle opens fine; segments past the cut hold the last picture or fail cleanly.
  const fs::path ts = work_dir() / "cut-source.ts";
  ASSERT_TRUE(run(ffmpeg() + "-i '" + small_source().string() + "' -c copy '" + ts.string() + "'"));
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto p = make_playlist(ts, request);
  ASSERT_TRUE(p.ok());
  std::ifstream in(ts, std::ios::binary);
  std::string whole((std::istreambuf_iterator<char>(in)), {});
  const fs::path cut = write_file("cut.ts", whole.substr(0, whole.size() / 2 + 77));
  for (std::int64_t i = 0; i < 2; ++i) {
    auto result = make_segment(*p, cut, i);
    if (!result.ok()) {
      EXPECT_EQ(result.error().code(), Errc::InvalidArgument) << result.error().to_string();
    }
  }
}

TEST(OutputOptions, SinkErrorStopsTheJob) {
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto p = make_playlist(small_source(), request);
  ASSERT_TRUE(p.ok());
  int calls = 0;
  Status status = transcode_segment(p->manifest, p->plan, 0, open_file(small_source()), {}, [&](std::string_view) {
    ++calls;
    return Status(Error(Errc::RequestTimeout, "client went away"));
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), Errc::RequestTimeout);
  EXPECT_EQ(calls, 1);
}

TEST(OutputOptions, IndexOutOfRange) {
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto p = make_playlist(small_source(), request);
  ASSERT_TRUE(p.ok());
  auto result = make_segment(*p, small_source(), 2);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Errc::InvalidArgument);
}

}  // namespace
}  // namespace osslive::transcode::testing
