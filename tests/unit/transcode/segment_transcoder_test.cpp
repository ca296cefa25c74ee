// Every segment of a playlist, made alone in a shuffled order, must join its neighbours on one
// timeline (docs/seamless.md, "How the tests measure it"), for each kind of source osslive accepts.
#include <cmath>
#include <sstream>

#include "expected_plan.hpp"
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
  // What the output must be, stated here rather than read from the code under test: the frame
  // rate ("" no video; "avg": ffprobe's average rate, for a VFR source) and the AAC rate (0 none).
  std::string fps;
  std::int64_t sample_rate = 0;
  bool psnr = true;     // compare with one continuous ffmpeg CLI transcode
  bool video() const { return !fps.empty(); }
  bool audio() const { return sample_rate > 0; }
};

const std::string kVideo25 = "-f lavfi -i testsrc2=size=320x240:rate=25:duration=11 ";
const std::string kSine48 = "-f lavfi -i sine=frequency=1000:sample_rate=48000:duration=11 ";
const std::string kSine44 = "-f lavfi -i sine=frequency=1000:sample_rate=44100:duration=11 ";
const std::string kX264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p ";

std::vector<SourceCase> cases() {
  return {
      {"mp4_25fps_bframes", "a.mp4", kVideo25 + kSine48 + "-ac 2 -c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p -c:a aac", "25", 48000},
      {"mkv_2997", "b.mkv", "-f lavfi -i testsrc2=size=320x240:rate=30000/1001:duration=11 " + kSine44 + kX264 + "-c:a aac", "30000/1001", 44100},
      {"mp4_23976", "c.mp4", "-f lavfi -i testsrc2=size=320x240:rate=24000/1001:duration=11 " + kSine48 + kX264 + "-c:a aac", "24000/1001", 48000},
      {"flv_60fps", "d.flv", "-f lavfi -i testsrc2=size=320x240:rate=60:duration=11 " + kSine44 + kX264 + "-c:a aac", "60", 44100},
      {"mp4_vfr", "e.mp4", "-f lavfi -i testsrc2=size=320x240:rate=30:duration=11 " + kSine48 +
                               "-vf \"select='lt(mod(n\\,10)\\,7)'\" -vsync vfr " + kX264 + "-c:a aac", "avg", 48000},
      {"mp4_rotate90", "f.mp4", kVideo25 + kSine48 + kX264 + "-c:a aac -metadata:s:v rotate=90", "25", 48000},
      {"avi_odd_size", "g.avi", "-f lavfi -i testsrc2=size=321x241:rate=25:duration=11 " + kSine44 +
                                    "-c:v mpeg4 -q:v 3 -c:a libmp3lame", "25", 44100},
      {"mp4_audio_offset", "h.mp4", kVideo25 + "-itsoffset 1.5 " + kSine48 + kX264 + "-c:a aac", "25", 48000},
      {"ts_start_10s", "i.ts", kVideo25 + kSine48 + kX264 + "-c:a aac -output_ts_offset 10", "25", 48000},
      {"mp4_no_audio", "j.mp4", kVideo25 + kX264, "25", 0},
      {"mp3_audio_only", "k.mp3", kSine44 + "-c:a libmp3lame", "", 44100, false},
      {"wav_audio_only", "l.wav", kSine48 + "-c:a pcm_s16le", "", 48000, false},
      {"mkv_5_1", "m.mkv", kVideo25 + kSine48 + "-ac 6 " + kX264 + "-c:a ac3", "25", 48000},
      {"mkv_10bit", "n.mkv", kVideo25 + kSine48 + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p10le -c:a aac", "25", 48000},
      {"mpeg_ps", "o.mpg", kVideo25 + kSine48 + "-c:v mpeg2video -q:v 3 -c:a mp2 -f mpeg", "25", 48000},
      {"webm_vp9_opus", "p.webm", kVideo25 + kSine48 + "-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus", "25", 48000},
      {"wmv", "q.wmv", kVideo25 + kSine44 + "-c:v wmv2 -q:v 4 -c:a wmav2", "25", 44100},
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

// The source as ffprobe reports it: the container's duration and start time (exact microseconds)
// and the first video stream's average frame rate.
struct SourceFacts {
  std::int64_t duration_us = 0;
  std::int64_t start_us = 0;
  ExactRate average_fps;
};

SourceFacts source_facts(const fs::path& source) {
  SourceFacts out;
  auto j = nlohmann::json::parse(capture("ffprobe -v error -show_entries format=duration,start_time:stream=codec_type,"
                                         "avg_frame_rate -of json '" + source.string() + "'"),
                                 nullptr, false);
  if (j.is_discarded()) return out;
  const auto format = j.value("format", nlohmann::json::object());
  out.duration_us = microseconds(format.value("duration", "0"));
  out.start_us = microseconds(format.value("start_time", "0"));
  for (const auto& stream : j.value("streams", nlohmann::json::array())) {
    if (stream.value("codec_type", "") == "video") {
      out.average_fps = rate_of(stream.value("avg_frame_rate", "0/1"));
      break;
    }
  }
  return out;
}

// The smallest per-frame luma PSNR of the concatenation against the source picture the
// contract names for each output frame k: the last source frame at or before origin + k / F
// (within 1 ms, for containers that round frame times to milliseconds), decoded and autorotated by
// the ffmpeg CLI. The origin is the source's start time as ffprobe reports it. A frame off by one
// at a join drops far below the coding noise.
double min_psnr(const fs::path& ours, const fs::path& source, int width, int height, std::int64_t origin_us, ExactRate fps) {
  std::vector<double> times;
  std::istringstream lines(capture("ffprobe -v error -select_streams v:0 -show_entries frame=best_effort_timestamp_time "
                                   "-of csv=p=0 '" + source.string() + "'"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) times.push_back(std::atof(line.c_str()));
  }
  const auto out = gray_frames(ours, width, height);
  const auto src = gray_frames(source, width, height);
  if (out.empty() || src.size() != times.size()) return -1;
  const double origin = static_cast<double>(origin_us) / 1e6;
  const double frame = static_cast<double>(fps.den) / static_cast<double>(fps.num);
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

  // What every check below expects, from the document and ffprobe, not from src/hls.
  const SourceFacts facts = source_facts(source);
  ASSERT_GT(facts.duration_us, 0);
  const ExactRate f = !c.video() ? ExactRate{} : c.fps == "avg" ? facts.average_fps : rate_of(c.fps);
  const std::int64_t r = c.sample_rate;
  ASSERT_TRUE(!c.video() || f.num > 0);
  const ExpectedPlan want = expected_plan(facts.duration_us, f, r, 5000);

  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  const Playlist& p = *playlist;
  ASSERT_EQ(p.manifest.params.video.has_value(), c.video());
  ASSERT_EQ(p.manifest.params.audio.has_value(), c.audio());
  ASSERT_GE(want.segments.size(), 2u);

  // The plan osslive made is the one computed from the document.
  if (c.video()) {
    EXPECT_EQ(p.plan.frame_rate.num * f.den, f.num * p.plan.frame_rate.den) << "output frame rate";
  }
  if (c.audio()) {
    EXPECT_EQ(p.plan.sample_rate, r);
  }
  EXPECT_EQ(p.plan.total_video_frames, want.total_video_frames);
  EXPECT_EQ(p.plan.total_audio_frames, want.total_audio_frames);
  ASSERT_EQ(p.plan.segments.size(), want.segments.size());
  for (std::size_t i = 0; i < want.segments.size(); ++i) {
    SCOPED_TRACE("plan of segment " + std::to_string(i));
    const hls::Segment& got = p.plan.segments[i];
    const ExpectedSegment& w = want.segments[i];
    EXPECT_EQ(got.first_video_frame, w.first_video_frame);
    EXPECT_EQ(got.video_frames, w.video_frames);
    EXPECT_EQ(got.first_audio_frame, w.first_audio_frame);
    EXPECT_EQ(got.audio_frames, w.audio_frames);
    EXPECT_EQ(hls::format_extinf(got.duration), w.extinf) << "EXTINF";
  }

  auto segments = make_all(p, source);
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();

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
    const ExpectedSegment& w = want.segments[i];
    SCOPED_TRACE("segment " + std::to_string(i));
    if (c.video()) {
      ASSERT_EQ(static_cast<std::int64_t>(s.video.size()), w.video_frames);
      EXPECT_TRUE(s.video.front().key) << "the first frame must be a keyframe";
      EXPECT_GT(s.video.front().dts, 0) << "DTS must stay positive with B-frames";
      EXPECT_NEAR(min_pts(s.video), kOffset + ticks(w.first_video_frame, f.num, f.den), 1);
      EXPECT_NEAR(max_pts(s.video), kOffset + ticks(w.first_video_frame + w.video_frames - 1, f.num, f.den), 1);
      EXPECT_EQ(s.width, p.manifest.params.video->width);
      EXPECT_EQ(s.height, p.manifest.params.video->height);
      EXPECT_EQ(s.pix_fmt, p.manifest.params.video->pix_fmt);
      // |EXTINF - measured| < one frame.
      const double frame = static_cast<double>(f.den) / static_cast<double>(f.num);
      const double measured = static_cast<double>(max_pts(s.video) - min_pts(s.video)) / 90000 + frame;
      EXPECT_LT(std::abs(measured - std::atof(w.extinf.c_str())), frame);
    } else {
      EXPECT_TRUE(s.video.empty());
    }
    if (c.audio()) {
      ASSERT_EQ(static_cast<std::int64_t>(s.audio.size()), w.audio_frames);
      EXPECT_NEAR(min_pts(s.audio), kOffset + ticks(w.first_audio_frame * 1024, r, 1), 1);
      EXPECT_EQ(s.sample_rate, r);
      EXPECT_EQ(s.channels, p.manifest.params.audio->channels);
      if (!c.video()) {
        const double measured = static_cast<double>(max_pts(s.audio) - min_pts(s.audio) + ticks(1024, r, 1)) / 90000;
        EXPECT_LT(std::abs(measured - std::atof(w.extinf.c_str())), 1024.0 / static_cast<double>(r));
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
    if (c.video()) {
      const auto step = static_cast<double>(90000 * f.den) / static_cast<double>(f.num);
      EXPECT_NEAR(static_cast<double>(min_pts(probes[i].video) - max_pts(probes[i - 1].video)), step, 1.0);
    }
    if (c.audio()) {
      EXPECT_NEAR(static_cast<double>(min_pts(probes[i].audio) - max_pts(probes[i - 1].audio)), 1024.0 * 90000 / r, 1.0);
    }
  }

  // The byte concatenation plays as one stream with every frame of the plan.
  const fs::path joined = write_file(c.name + "-all.ts", concatenation);
  if (c.video()) {
    std::string frames = capture("ffprobe -v error -select_streams v:0 -count_frames -show_entries stream=nb_read_frames "
                                 "-of csv=p=0 '" + joined.string() + "'");
    EXPECT_EQ(std::atoll(frames.c_str()), want.total_video_frames);
    if (c.psnr) {
      const auto& v = *p.manifest.params.video;
      const double psnr = min_psnr(joined, source, v.width, v.height, facts.start_us, f);
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
