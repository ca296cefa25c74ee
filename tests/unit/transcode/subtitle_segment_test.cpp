// WebVTT segments: which cues a segment holds, their text and times, and the timestamp map that
// puts them on the TS timeline; cues read back from real SRT, ASS and mov_text sources.
#include "osslive/transcode/subtitle_segment.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace osslive::transcode {
namespace {

using media::SubtitleCue;

TEST(WebVtt, CuesOverlappingTheSegmentAppearInEveryOneTheyTouch) {
  const std::vector<SubtitleCue> cues{{500'000, 1'500'000, "a"},
                                      {3'000'000, 5'000'000, "across"},
                                      {4'000'000, 4'000'001, "edge"},
                                      {6'000'000, 7'000'000, "late"},
                                      {1'000'000, 3'999'999, "before"}};
  auto names = [](const std::vector<SubtitleCue>& got) {
    std::vector<std::string> out;
    for (const auto& c : got) out.push_back(c.text);
    return out;
  };
  // [0, 4 s) then [4 s, 6 s): a cue across 4 s is in both, one ending at 4 s only in the first,
  // one starting at 6 s in neither.
  EXPECT_EQ(names(cues_in_window(cues, 0, 4'000'000)), (std::vector<std::string>{"a", "before", "across"}));
  EXPECT_EQ(names(cues_in_window(cues, 4'000'000, 6'000'000)), (std::vector<std::string>{"across", "edge"}));
  EXPECT_TRUE(cues_in_window(cues, 7'000'000, 9'000'000).empty());
}

TEST(WebVtt, TimesAndText) {
  EXPECT_EQ(format_webvtt_time(0), "00:00:00.000");
  EXPECT_EQ(format_webvtt_time(-5), "00:00:00.000");
  EXPECT_EQ(format_webvtt_time(1'234'567), "00:00:01.235");
  EXPECT_EQ(format_webvtt_time(3'723'004'000), "01:02:03.004");
  EXPECT_EQ(format_webvtt_time(360'000'000'000), "100:00:00.000");
  EXPECT_EQ(escape_webvtt_text("Tom & Jerry <b>--></b>\n\n  \nline 2 \r"), "Tom &amp; Jerry &lt;b&gt;--&gt;&lt;/b&gt;\nline 2");
  EXPECT_EQ(escape_webvtt_text("caf\xc3\xa9 \xff!"), "caf\xc3\xa9 \xEF\xBF\xBD!");
  EXPECT_EQ(media::ass_to_text("{\\an8}{\\i1}Hello{\\i0}\\Nworld\\hagain"), "Hello\nworld again");
}

TEST(WebVtt, SegmentTextMapsLocalZeroToTheTsOffset) {
  EXPECT_EQ(webvtt_mpegts_offset(), 126'000);
  EXPECT_EQ(render_webvtt({{1'000'000, 2'500'000, "One"}, {2'000'000, 9'000'000, "Two\nlines"}, {3'000'000, 4'000'000, " \n"}}),
            "WEBVTT\n"
            "X-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n"
            "\n00:00:01.000 --> 00:00:02.500\nOne\n"
            "\n00:00:02.000 --> 00:00:09.000\nTwo\nlines\n");
  EXPECT_EQ(render_webvtt({}), "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000\n");
}

// Real files from the ffmpeg CLI. scripts/install-deps.sh installs it, so without it these fail.
class SubtitleFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(std::system("ffmpeg -version >/dev/null 2>&1"), 0) << "the ffmpeg CLI is missing (scripts/install-deps.sh installs it)";
    dir_ = ::testing::TempDir() + "osslive-subs-" + std::to_string(::getpid());
    ASSERT_EQ(std::system(("mkdir -p " + dir_).c_str()), 0);
    std::ofstream(dir_ + "/in.srt") << "1\n00:00:00,500 --> 00:00:01,750\nFirst <i>line</i> & more\n\n"
                                       "2\n00:00:02,000 --> 00:00:04,250\nSecond\ntwo rows\n\n"
                                       "3\n00:00:05,100 --> 00:00:05,900\nThird\n\n";
  }
  void TearDown() override {
    if (!dir_.empty()) std::system(("rm -rf " + dir_).c_str());
  }
  Result<std::vector<SubtitleCue>> read(const std::string& name, int stream = -1) {
    auto file = FileHandle::open_read(dir_ + "/" + name);
    if (!file.ok()) return std::move(file).error();
    media::SubtitleReadOptions options;
    options.stream_index = stream;
    return media::read_subtitle_cues(std::make_shared<const FileHandle>(std::move(file).value()), options);
  }
  void make(const std::string& args) {
    ASSERT_EQ(std::system(("cd " + dir_ + " && ffmpeg -hide_banner -v error -y " + args + " >/dev/null 2>&1").c_str()), 0) << args;
  }
  std::string dir_;
};

void expect_srt_cues(const Result<std::vector<SubtitleCue>>& cues, std::int64_t offset = 0) {
  ASSERT_TRUE(cues.ok()) << cues.error().to_string();
  ASSERT_EQ(cues->size(), 3u);
  EXPECT_EQ((*cues)[0].start_us, offset + 500'000);
  EXPECT_EQ((*cues)[0].end_us, offset + 1'750'000);
  EXPECT_EQ((*cues)[0].text, "First line & more");
  EXPECT_EQ((*cues)[1].start_us, offset + 2'000'000);
  EXPECT_EQ((*cues)[1].end_us, offset + 4'250'000);
  EXPECT_EQ((*cues)[1].text, "Second\ntwo rows");
  EXPECT_EQ((*cues)[2].start_us, offset + 5'100'000);
}

TEST_F(SubtitleFiles, SrtAssMkvAndMovText) {
  expect_srt_cues(read("in.srt"));
  make("-i in.srt in.ass");
  expect_srt_cues(read("in.ass"));
  make("-i in.srt in.vtt");
  expect_srt_cues(read("in.vtt"));
  make("-f lavfi -i color=size=64x64:duration=7 -i in.srt -map 0 -map 1 -c:v libx264 -preset ultrafast -c:s srt in.mkv");
  expect_srt_cues(read("in.mkv"));
  make("-f lavfi -i color=size=64x64:duration=7 -i in.srt -map 0 -map 1 -c:v libx264 -preset ultrafast -c:s mov_text in.mp4");
  expect_srt_cues(read("in.mp4"));
  // A window: only cues ending after from and starting before to.
  auto file = FileHandle::open_read(dir_ + "/in.mkv");
  ASSERT_TRUE(file.ok());
  media::SubtitleReadOptions options;
  options.from_us = 1'800'000;
  options.to_us = 5'000'000;
  options.seek = true;
  auto window = media::read_subtitle_cues(std::make_shared<const FileHandle>(std::move(file).value()), options);
  ASSERT_TRUE(window.ok()) << window.error().to_string();
  ASSERT_EQ(window->size(), 1u);
  EXPECT_EQ((*window)[0].text, "Second\ntwo rows");
  // Not a subtitle stream.
  auto video = read("in.mkv", 0);
  ASSERT_FALSE(video.ok());
  EXPECT_EQ(video.error().code(), Errc::InvalidArgument);
}

}  // namespace
}  // namespace osslive::transcode
