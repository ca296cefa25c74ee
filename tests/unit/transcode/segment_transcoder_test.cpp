// Every segment of a playlist, made alone in a shuffled order, must join its neighbours on one
// timeline (docs/seamless.md, "How the tests measure it"), for each kind of source osslive accepts.
#include <cmath>
#include <sstream>

#include "transcode_support.hpp"

namespace osslive::transcode::testing {
namespace {

constexpr std::int64_t kOffset = 126'000;  // the constant 90 kHz offset of every segment

std::int64_t ticks(std::int64_t units, std::int64_t num, std::int64_t den) {
  // round half up of units * 90000 * den / num (units >= 0 here)
  return (2 * units * 90000 * den + num) / (2 * num);
}

struct SourceCase {
  std::string name;
  std::string file;     // output name, its extension picks the container
  std::string command;  // ffmpeg arguments producing it (inputs and codecs)
  bool video = true;
  bool audio = true;
  bool psnr = true;     // compare with one continuous ffmpeg CLI transcode
};

const std::string kVideo25 = "-f lavfi -i testsrc2=size=320x240:rate=25:duration=11 ";
const std::string kSine48 = "-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=11 ";
const std::string kSine44 = "-f lavfi -i sine=frequency=1000:sample_rate=44100:duration=11 ";
const std::string kX264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p ";

std::vector<SourceCase> cases() {
  return {
      {"mp4_25fps_bframes", "a.mp4", kVideo25 + kSine48 + "-ac 2 -c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p -c:a aac"},
      {"mkv_2997", "b.mkv", "-f lavfi -i testsrc2=size=320x240:rate=30000/1001:duration=11 " + kSine44 + kX264 + "-c:a aac"},
      {"mp4_23976", "c.mp4", "-f lavfi -i testsrc2=size=320x240:rate=24000/1001:duration=11 " + kSine48 + kX264 + "-c:a aac"},
      {"flv_60fps", "d.flv", "-f lavfi -i testsrc2=size=320x240:rate=60:duration=11 " + kSine44 + kX264 + "-c:a aac"},
      {"mp4_vfr", "e.mp4", "-f lavfi -i testsrc2=size=320x240:rate=30:duration=11 " + kSine48 +
                               "-vf \"select='lt(mod(n\\,10)\\,7)'\" -vsync vfr " + kX264 + "-c:a aac"},
      {"mp4_rotate90", "f.mp4", kVideo25 + kSine48 + kX264 + "-c:a aac -metadata:s:v rotate=90"},
      {"avi_odd_size", "g.avi", "-f lavfi -i testsrc2=size=321x241:rate=25:duration=11 " + kSine44 +
                                    "-c:v mpeg4 -q:v 3 -c:a libmp3lame"},
      {"mp4_audio_offset", "h.mp4", kVideo25 + "-itsoffset 1.5 " + kSine48 + kX264 + "-c:a aac"},
      {"ts_start_10s", "i.ts", kVideo25 + kSine48 + kX264 + "-c:a aac -output_ts_offset 10"},
      {"mp4_no_audio", "j.mp4", kVideo25 + kX264, true, false},
      {"mp3_audio_only", "k.mp3", kSine44 + "-c:a libmp3lame", false, true, false},
      {"wav_audio_only", "l.wav", kSine48 + "-c:a pcm_s16le", false, true, false},
      {"mkv_5_1", "m.mkv", kVideo25 + kSine48 + "-ac 6 " + kX264 + "-c:a ac3"},
      {"mkv_10bit", "n.mkv", kVideo25 + kSine48 + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p10le -c:a aac"},
      {"mpeg_ps", "o.mpg", kVideo25 + kSine48 + "-c:v mpeg2video -q:v 3 -c:a mp2 -f mpeg"},
      {"webm_vp9_opus", "p.webm", kVideo25 + kSine48 + "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus"},
      {"wmv", "q.wmv", kVideo25 + kSine44 + "-c:v wmv2 -q:v 4 -c:a wmav2"},
  };
}

void PrintTo(const SourceCase& c, std::ostream* os) { *os << c.name; }

class SourceMatrix : public ::testing::TestWithParam<SourceCase> {};

std::vector<std::string> gray_frames(const fs::path& path, int width, int height) {
  const std::string raw = capture(ffmpeg() + "-i '" + path.string() + "' -map 0:v:0 -vsync passthrough -s " +
                                  std::to_string(width) + "x" + std::to_string(height) + " -pix_fmt gray -f rawvideo - 2>/dev/null");
  const std::size_t size = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  std::vector<std::string> frames;
  for (std::size_t at = 0; at + size <= raw.size(); at += size) frames.push_back(raw.substr(at, size));
  return frames;
}

double luma_psnr(const std::string& a, const std::string& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]);
    sum += d * d;
  }
  const double mse = sum / static_cast<double>(a.size());
  return mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
}

// The smallest per-frame luma PSNR of the concatenation against the source picture the
// contract names for each output frame k: the last source frame at or before origin + k / F
// (within 1 ms, for containers that round frame times to milliseconds), decoded and autorotated by the ffmpeg CLI. A frame off by one
// at a join drops far below the coding noise.
double min_psnr(const fs::path& ours, const fs::path& source, const Playlist& p) {
  const auto& v = *p.manifest.params.video;
  std::vector<double> times;
  std::istringstream lines(capture("ffprobe -v error -select_streams v:0 -show_entries frame=best_effort_timestamp_time "
                                   "-of csv=p=0 '" + source.string() + "'"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) times.push_back(std::atof(line.c_str()));
  }
  const auto out = gray_frames(ours, v.width, v.height);
  const auto src = gray_frames(source, v.width, v.height);
  if (out.empty() || src.size() != times.size()) return -1;
  const double origin = static_cast<double>(p.manifest.params.origin_us) / 1e6;
  const double frame = static_cast<double>(v.frame_rate.den) / static_cast<double>(v.frame_rate.num);
  double worst = 1000;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const double instant = origin + static_cast<double>(k) * frame + 0.001 + 1e-6;
    std::size_t pick = 0;
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (times[i] <= instant) pick = i;
    }
    worst = std::min(worst, luma_psnr(out[k], src[pick]));
  }
  return worst;
}

TEST_P(SourceMatrix, EverySegmentJoinsItsNeighbours) {
  const SourceCase& c = GetParam();
  const fs::path source = work_dir() / c.file;
  ASSERT_TRUE(run(ffmpeg() + c.command + " '" + source.string() + "'")) << c.command;

  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  const Playlist& p = *playlist;
  ASSERT_EQ(p.manifest.params.video.has_value(), c.video);
  ASSERT_EQ(p.manifest.params.audio.has_value(), c.audio);
  ASSERT_GE(p.plan.segments.size(), 2u);

  auto segments = make_all(p, source);
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();

  const media::Rational f = p.plan.frame_rate;
  const std::int64_t r = p.plan.sample_rate;
  std::vector<StreamPackets> probes;
  std::string concatenation;
  for (std::size_t i = 0; i < segments->size(); ++i) {
    const std::string& bytes = (*segments)[i];
    ASSERT_GE(bytes.size(), 188u * 3);
    EXPECT_EQ(bytes.size() % 188, 0u);
    EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x47);
    concatenation += bytes;
    probes.push_back(probe_ts(write_file(c.name + "-" + std::to_string(i) + ".ts", bytes)));
    const StreamPackets& s = probes.back();
    const hls::Segment& seg = p.plan.segments[i];
    SCOPED_TRACE("segment " + std::to_string(i));
    if (c.video) {
      ASSERT_EQ(static_cast<std::int64_t>(s.video.size()), seg.video_frames);
      EXPECT_TRUE(s.video.front().key) << "the first frame must be a keyframe";
      EXPECT_GT(s.video.front().dts, 0) << "DTS must stay positive with B-frames";
      EXPECT_NEAR(min_pts(s.video), kOffset + ticks(seg.first_video_frame, f.num, f.den), 1);
      EXPECT_NEAR(max_pts(s.video), kOffset + ticks(seg.first_video_frame + seg.video_frames - 1, f.num, f.den), 1);
      EXPECT_EQ(s.width, p.manifest.params.video->width);
      EXPECT_EQ(s.height, p.manifest.params.video->height);
      EXPECT_EQ(s.pix_fmt, p.manifest.params.video->pix_fmt);
      // |EXTINF - measured| < one frame.
      const double measured = static_cast<double>(max_pts(s.video) - min_pts(s.video)) / 90000 +
                              static_cast<double>(f.den) / static_cast<double>(f.num);
      EXPECT_LT(std::abs(measured - seg.duration.to_double()), static_cast<double>(f.den) / static_cast<double>(f.num));
      EXPECT_EQ(hls::format_extinf(seg.duration), hls::format_extinf(media::Rational{seg.video_frames * f.den, f.num}));
    } else {
      EXPECT_TRUE(s.video.empty());
    }
    if (c.audio) {
      ASSERT_EQ(static_cast<std::int64_t>(s.audio.size()), seg.audio_frames);
      EXPECT_NEAR(min_pts(s.audio), kOffset + ticks(seg.first_audio_frame * 1024, r, 1), 1);
      EXPECT_EQ(s.sample_rate, p.manifest.params.audio->sample_rate);
      EXPECT_EQ(s.channels, p.manifest.params.audio->channels);
      if (!c.video) {
        const double measured = static_cast<double>(max_pts(s.audio) - min_pts(s.audio) + ticks(1024, r, 1)) / 90000;
        EXPECT_LT(std::abs(measured - seg.duration.to_double()), 1024.0 / static_cast<double>(r));
      }
    } else {
      EXPECT_TRUE(s.audio.empty());
    }
  }

  // Joins: the next segment starts exactly one frame after this one ends; DTS keeps rising.
  std::int64_t last_video_dts = INT64_MIN, last_audio_dts = INT64_MIN;
  for (std::size_t i = 0; i < probes.size(); ++i) {
    SCOPED_TRACE("join into segment " + std::to_string(i));
    for (const auto& packet : probes[i].video) {
      EXPECT_GT(packet.dts, last_video_dts);
      last_video_dts = packet.dts;
    }
    for (const auto& packet : probes[i].audio) {
      EXPECT_GT(packet.dts, last_audio_dts);
      last_audio_dts = packet.dts;
    }
    if (i == 0) continue;
    if (c.video) {
      const auto step = static_cast<double>(90000 * f.den) / static_cast<double>(f.num);
      EXPECT_NEAR(static_cast<double>(min_pts(probes[i].video) - max_pts(probes[i - 1].video)), step, 1.0);
    }
    if (c.audio) {
      EXPECT_NEAR(static_cast<double>(min_pts(probes[i].audio) - max_pts(probes[i - 1].audio)), 1024.0 * 90000 / r, 1.0);
    }
  }

  // The byte concatenation plays as one stream with every frame of the plan.
  const fs::path joined = write_file(c.name + "-all.ts", concatenation);
  if (c.video) {
    std::string frames = capture("ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames "
                                 "-of csv=p=0 '" + joined.string() + "'");
    EXPECT_EQ(std::atoll(frames.c_str()), p.plan.total_video_frames);
    if (c.psnr) {
      const double psnr = min_psnr(joined, source, p);
      std::printf("[ %s ] worst frame luma PSNR against the source picture of the rule: %.2f dB\n", c.name.c_str(), psnr);
      EXPECT_GT(psnr, 30.0) << "a frame is off at a join or the picture rule differs";
    }
  }

  // The same segment made again is byte-identical.
  auto again = make_segment(p, source, 1);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  if (*again != (*segments)[1]) write_file(c.name + "-1-again.ts", *again);
  EXPECT_TRUE(*again == (*segments)[1]) << "segment 1 differs when made twice";
}

INSTANTIATE_TEST_SUITE_P(Sources, SourceMatrix, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<SourceCase>& info) { return info.param.name; });

}  // namespace
}  // namespace osslive::transcode::testing
