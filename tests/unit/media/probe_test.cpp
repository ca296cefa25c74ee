// probe() against media the ffmpeg CLI generates at test time (lavfi testsrc2 + sine).
#include "osslive/media/probe.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace osslive::media {
namespace {

namespace fs = std::filesystem;

// Media is made on first use: ctest runs every test in its own process, so each one builds only
// the few files it probes.
class ProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("osslive-probe-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  // Makes `name` if this process has not yet, and returns its path.
  static std::string path(const std::string& name) {
    fs::path out = dir_ / name;
    if (!fs::exists(out)) make(name);
    return out.string();
  }

  static void make(const std::string& name) {
    const std::string video = "-f lavfi -i testsrc2=size=320x240:rate=25:duration=2 ";
    const std::string tone = "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=2 ";
    const std::string x264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p ";
    if (name == "av25.mp4") {
      ffmpeg(video + tone + x264 + "-c:a aac -b:a 64k -metadata:s:a language=eng -shortest", name);
    } else if (name == "v2997.mp4") {
      ffmpeg("-f lavfi -i testsrc2=size=320x240:rate=30000/1001:duration=2 " + x264, name);
    } else if (name == "rotate90.mp4" || name == "rotate270.mp4") {
      ffmpeg("-i " + path("av25.mp4") + " -c copy -metadata:s:v rotate=" + name.substr(6, name.size() - 10), name);
    } else if (name == "video_only.mp4") {
      ffmpeg(video + x264 + "-an", name);
    } else if (name == "raw.h264") {
      ffmpeg(video + x264 + "-f h264", name);
    } else if (name == "audio.mp3") {
      ffmpeg("-f lavfi -i sine=frequency=440:sample_rate=44100:duration=2 -ac 2 -c:a libmp3lame -b:a 128k", name);
    } else if (name == "audio.wav") {
      ffmpeg("-f lavfi -i sine=frequency=440:sample_rate=22050:duration=2 -c:a pcm_s16le", name);
    } else if (name == "cover.png") {
      ffmpeg("-f lavfi -i testsrc2=size=64x64:rate=1:duration=1 -frames:v 1", name);
    } else if (name == "cover.mp3") {
      ffmpeg("-i " + path("audio.mp3") + " -i " + path("cover.png") +
                 " -map 0 -map 1 -c copy -disposition:v:0 attached_pic -id3v2_version 3",
             name);
    } else if (name == "anamorphic.mp4") {
      ffmpeg("-f lavfi -i testsrc2=size=720x480:rate=25:duration=1 " + x264 + "-vf setsar=32/27", name);
    } else if (name == "text.txt") {
      std::ofstream(dir_ / name) << "this is a text file, not media\n";
    } else if (name == "empty.mp4") {
      std::ofstream(dir_ / name).flush();
    } else if (name == "playlist.m3u8") {
      std::string target = path("av25.mp4");
      std::ofstream(dir_ / name) << "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nfile:" << target
                                 << "\n#EXT-X-ENDLIST\n";
    } else if (name == "list.ffconcat") {
      std::string target = path("av25.mp4");
      std::ofstream(dir_ / name) << "ffconcat version 1.0\nfile " << target << "\n";
    } else if (name == "truncated.mp4") {
      fs::path whole = path("av25.mp4");
      fs::copy_file(whole, dir_ / name);
      fs::resize_file(dir_ / name, fs::file_size(whole) / 2);  // the moov box sits at the end: gone
    } else {
      FAIL() << "no recipe for " << name;
    }
  }

  static void ffmpeg(const std::string& args, const std::string& out) {
    std::string command = "ffmpeg -hide_banner -loglevel error -nostdin -y " + args + " " + (dir_ / out).string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  static std::shared_ptr<const FileHandle> open(const std::string& name) {
    auto handle = FileHandle::open_read(path(name));
    EXPECT_TRUE(handle.ok()) << name;
    return std::make_shared<const FileHandle>(std::move(handle).value());
  }

  static Result<SourceInfo> probe_file(const std::string& name, const ProbeLimits& limits = {}) {
    return probe(open(name), limits);
  }

  static inline fs::path dir_;
};

void expect_not_media(const Result<SourceInfo>& result) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Errc::InvalidArgument);
  EXPECT_EQ(result.error().message().rfind("source is not a readable media file: ", 0), 0u) << result.error().message();
}

TEST_F(ProbeTest, Mp4H264Aac25) {
  auto info = probe_file("av25.mp4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_NE(info->format.find("mp4"), std::string::npos);
  EXPECT_EQ(info->start_us, 0);
  EXPECT_NEAR(info->duration_us, 2'000'000, 60'000);
  ASSERT_TRUE(info->video);
  EXPECT_EQ(info->video->index, 0);
  EXPECT_EQ(info->video->codec, "h264");
  EXPECT_EQ(info->video->width, 320);
  EXPECT_EQ(info->video->height, 240);
  EXPECT_EQ(info->video->pix_fmt, "yuv420p");
  EXPECT_EQ(info->video->avg_frame_rate, (Rational{25, 1}));
  EXPECT_EQ(info->video->r_frame_rate, (Rational{25, 1}));
  EXPECT_TRUE(info->video->time_base.positive());
  EXPECT_EQ(info->video->rotation, 0);
  EXPECT_EQ(info->video->field_order, "progressive");
  EXPECT_GT(info->video->bit_rate, 0);
  ASSERT_TRUE(info->audio);
  EXPECT_EQ(info->audio->index, 1);
  EXPECT_EQ(info->audio->codec, "aac");
  EXPECT_EQ(info->audio->sample_rate, 48000);
  EXPECT_EQ(info->audio->channels, 1);
  EXPECT_EQ(info->audio->channel_layout, "mono");
  EXPECT_NEAR(static_cast<double>(info->audio->bit_rate), 64000.0, 8000.0);
  EXPECT_EQ(info->video_streams, 1);
  EXPECT_EQ(info->audio_streams, 1);
  ASSERT_EQ(info->streams.size(), 2u);
  EXPECT_EQ(info->streams[0].type, "video");
  EXPECT_EQ(info->streams[1].type, "audio");
  EXPECT_EQ(info->streams[1].codec, "aac");
  EXPECT_EQ(info->streams[1].language, "eng");
}

TEST_F(ProbeTest, NtscFrameRateIsExact) {
  auto info = probe_file("v2997.mp4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  ASSERT_TRUE(info->video);
  EXPECT_EQ(info->video->avg_frame_rate, (Rational{30000, 1001}));
  EXPECT_FALSE(info->audio);
}

// ffmpeg 5.1 writes `rotate=90` as a display matrix of +90 degrees (counter-clockwise), which its own
// autorotate undoes by turning the picture 270 degrees clockwise: probe reports what to apply.
TEST_F(ProbeTest, RotationFromDisplayMatrix) {
  auto r90 = probe_file("rotate90.mp4");
  ASSERT_TRUE(r90.ok()) << r90.error().to_string();
  ASSERT_TRUE(r90->video);
  EXPECT_EQ(r90->video->rotation, 270);
  EXPECT_EQ(r90->video->width, 320);  // coded size stays as stored
  auto r270 = probe_file("rotate270.mp4");
  ASSERT_TRUE(r270.ok()) << r270.error().to_string();
  EXPECT_EQ(r270->video->rotation, 90);
}

TEST_F(ProbeTest, SampleAspectRatio) {
  auto info = probe_file("anamorphic.mp4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  ASSERT_TRUE(info->video);
  EXPECT_EQ(info->video->sample_aspect_ratio, (Rational{32, 27}));
}

TEST_F(ProbeTest, VideoOnly) {
  auto info = probe_file("video_only.mp4");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_TRUE(info->video);
  EXPECT_FALSE(info->audio);
  EXPECT_EQ(info->audio_streams, 0);
}

TEST_F(ProbeTest, AudioOnlyMp3AndWav) {
  auto mp3 = probe_file("audio.mp3");
  ASSERT_TRUE(mp3.ok()) << mp3.error().to_string();
  EXPECT_EQ(mp3->format, "mp3");
  EXPECT_FALSE(mp3->video);
  ASSERT_TRUE(mp3->audio);
  EXPECT_EQ(mp3->audio->codec, "mp3");
  EXPECT_EQ(mp3->audio->sample_rate, 44100);
  EXPECT_EQ(mp3->audio->channels, 2);
  EXPECT_EQ(mp3->audio->channel_layout, "stereo");
  EXPECT_EQ(mp3->audio->bit_rate, 128000);
  EXPECT_NEAR(mp3->duration_us, 2'000'000, 60'000);

  auto wav = probe_file("audio.wav");
  ASSERT_TRUE(wav.ok()) << wav.error().to_string();
  EXPECT_EQ(wav->format, "wav");
  ASSERT_TRUE(wav->audio);
  EXPECT_EQ(wav->audio->codec, "pcm_s16le");
  EXPECT_EQ(wav->audio->sample_rate, 22050);
  EXPECT_EQ(wav->audio->bit_rate, 22050 * 16);
  EXPECT_NEAR(wav->duration_us, 2'000'000, 1'000);
}

TEST_F(ProbeTest, CoverArtIsNotTheVideo) {
  auto info = probe_file("cover.mp3");
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_FALSE(info->video);
  EXPECT_EQ(info->video_streams, 0);
  ASSERT_TRUE(info->audio);
  ASSERT_EQ(info->streams.size(), 2u);
  EXPECT_EQ(info->streams[1].type, "video");
  EXPECT_EQ(info->streams[1].codec, "png");
}

TEST_F(ProbeTest, NotMedia) {
  expect_not_media(probe_file("text.txt"));
  expect_not_media(probe_file("empty.mp4"));
  expect_not_media(probe_file("truncated.mp4"));
}

// An elementary stream carries no duration and none can be read without decoding it all.
TEST_F(ProbeTest, UnknownDurationIsRefused) {
  auto info = probe_file("raw.h264");
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code(), Errc::InvalidArgument);
  EXPECT_EQ(info.error().message().rfind("source duration is unknown", 0), 0u) << info.error().message();
}

TEST_F(ProbeTest, LimitsAreNamed) {
  ProbeLimits small;
  small.max_width = 300;
  auto wide = probe_file("av25.mp4", small);
  ASSERT_FALSE(wide.ok());
  EXPECT_EQ(wide.error().code(), Errc::InvalidArgument);
  EXPECT_EQ(wide.error().message(), "source video size 320x240 is larger than the limit of 300x8192");

  ProbeLimits short_only;
  short_only.max_duration_us = 1'000'000;
  auto longer = probe_file("av25.mp4", short_only);
  ASSERT_FALSE(longer.ok());
  EXPECT_NE(longer.error().message().find("longer than the limit of 1000 ms"), std::string::npos)
      << longer.error().message();

  ProbeLimits one_stream;
  one_stream.max_streams = 1;
  auto streams = probe_file("av25.mp4", one_stream);
  ASSERT_FALSE(streams.ok());
  EXPECT_EQ(streams.error().message(), "source has 2 streams, more than the limit of 1");
}

TEST_F(ProbeTest, DeadlineStopsTheProbe) {
  ProbeLimits no_time;
  no_time.timeout = std::chrono::milliseconds(0);
  auto result = probe_file("av25.mp4", no_time);
  expect_not_media(result);
  EXPECT_NE(result.error().message().find("time limit"), std::string::npos) << result.error().message();
}

// A source that names other files (HLS playlist, concat list) must never make libav open them.
TEST_F(ProbeTest, NestedInputsAreRefused) {
  expect_not_media(probe_file("playlist.m3u8"));
  expect_not_media(probe_file("list.ffconcat"));
}

// The handle pins the inode: a rename over the path while the source is open changes nothing.
TEST_F(ProbeTest, ReadsThePinnedFileAfterARenameOverIt) {
  fs::copy_file(path("av25.mp4"), dir_ / "pinned.mp4");
  auto handle = open("pinned.mp4");
  fs::copy_file(path("text.txt"), dir_ / "pinned.tmp");
  fs::rename(dir_ / "pinned.tmp", dir_ / "pinned.mp4");
  auto info = probe(handle);
  ASSERT_TRUE(info.ok()) << info.error().to_string();
  EXPECT_TRUE(info->video);
  EXPECT_TRUE(info->audio);
}

}  // namespace
}  // namespace osslive::media
