// Audio joins as clean as one continuous encode, on every kind of source (docs/seamless.md, "How
// the joins are measured"). Each source holds one 441 Hz tone (a period of 2.268 ms: a sample
// placed a millisecond or a codec frame off shifts its phase visibly) in the codec under test.
// Its segments are made in a shuffled order and concatenated; one sine is fitted to the decoded
// whole. The residual near each join and its 99th percentile overall must stay within 1.5x of
// one continuous encode of the same range by the ffmpeg CLI (same rate, channels and bit rate),
// and the tone's phase must not step by more than a sample at any join.
#include <optional>

#include "tone_measure.hpp"

namespace osslive::transcode::testing {
namespace {

constexpr double kTone = 441;
constexpr int kSeconds = 13;
constexpr double kJoinWindowSeconds = 0.021;  // +-21 ms around each join
constexpr std::size_t kPhaseWindow = 1024;    // samples fitted on each side of a join
constexpr double kMaxRatio = 1.5;
constexpr double kMaxStepSamples = 1.0;

struct ToneSource {
  std::string name;
  std::string file;     // its extension picks the container
  std::string args;     // ffmpeg arguments making it (inputs and codecs)
  int rate = 48000;     // the tone's sample rate in the source
  std::int64_t ss_ms = 0;
  std::int64_t t_ms = 0;
  std::optional<int> channels;  // ac_ of the request
};

struct JoinCase {
  ToneSource source;
  bool other_rate = false;  // ar_44100 from a 48 kHz source, ar_48000 from a 44.1 kHz one
};

const std::string kVideo = "-f lavfi -i testsrc2=size=96x64:rate=25:duration=" + std::to_string(kSeconds) + " ";
std::string tone(int rate) {
  return "-f lavfi -i sine=frequency=441:sample_rate=" + std::to_string(rate) + ":duration=" + std::to_string(kSeconds) + " ";
}
// Keyframes every 12 pictures: each segment's decode starts from a different seek point.
const std::string kX264 = "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 12 ";

std::vector<ToneSource> sources() {
  const std::string opus_mkv = kVideo + tone(48000) + kX264 + "-ac 2 -c:a libopus";
  const std::string vorbis_webm = kVideo + tone(48000) + "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 200k -g 12 -ac 2 -c:a libvorbis";
  return {
      {"mkv_opus", "opus.mkv", opus_mkv},
      {"mkv_opus_ss", "opus-ss.mkv", opus_mkv, 48000, 1010, 9000},
      {"webm_vorbis", "vorbis.webm", vorbis_webm},
      {"webm_vorbis_ss", "vorbis-ss.webm", vorbis_webm, 48000, 1010, 9000},
      {"asf_wma", "wma.wmv", kVideo + tone(44100) + "-c:v wmv2 -q:v 6 -g 12 -ac 2 -c:a wmav2", 44100},
      {"flv_mp3", "mp3.flv", kVideo + tone(44100) + kX264 + "-ac 2 -c:a libmp3lame", 44100},
      {"ps_mp2", "mp2.mpg", kVideo + tone(48000) + "-c:v mpeg2video -q:v 6 -g 12 -ac 2 -c:a mp2 -f mpeg"},
      {"avi_mp3", "mp3.avi", kVideo + tone(48000) + "-c:v mpeg4 -q:v 6 -g 12 -c:a libmp3lame"},
      {"mp4_aac_edit_list", "aac.mp4", kVideo + tone(48000) + kX264 + "-ac 2 -c:a aac"},
      {"mov_negative_audio_start", "early.mov", kVideo + "-itsoffset -0.0371 " + tone(48000) + kX264 + "-c:a aac"},
      {"mp3_audio_only", "only.mp3", tone(44100) + "-ac 2 -c:a libmp3lame", 44100},
      {"opus_audio_only", "only.opus", tone(48000) + "-c:a libopus"},
      {"mkv_ac3_5_1_to_stereo", "ac3.mkv", kVideo + tone(48000) + kX264 + "-ac 6 -c:a ac3", 48000, 0, 0, 2},
  };
}

std::vector<JoinCase> cases() {
  std::vector<JoinCase> out;
  for (const ToneSource& s : sources()) {
    out.push_back({s, false});
    out.push_back({s, true});
  }
  return out;
}

std::string case_name(const JoinCase& c) {
  return c.source.name + (c.other_rate ? (c.source.rate == 48000 ? "_ar_44100" : "_ar_48000") : "_default");
}

void PrintTo(const JoinCase& c, std::ostream* os) { *os << case_name(c); }

struct ToneReport {
  double near_joins = 0;  // worst relative residual within +-21 ms of a join
  double p99 = 0;         // 99th percentile of the relative residual overall
  double amplitude = 0;
};

// The fit runs over the whole signal but its first and last 100 ms (the encoder's start and
// the source's end).
ToneReport measure(const std::vector<float>& x, int rate, const std::vector<std::int64_t>& joins) {
  const auto edge = static_cast<std::size_t>(rate / 10);
  ToneReport report;
  if (x.size() < 4 * edge) return report;
  const std::size_t to = x.size() - edge;
  const Sine sine = fit_sine(x, kTone, rate, edge, to);
  const std::vector<double> r = relative_residual(x, sine, edge, to);
  report.near_joins = worst_near(r, joins, static_cast<std::int64_t>(kJoinWindowSeconds * rate));
  report.p99 = quantile(r, edge, to, 0.99);
  report.amplitude = sine.amplitude();
  return report;
}

// The AAC frames of a segment as an ADTS stream.
std::string audio_stream(const fs::path& ts) {
  return capture(ffmpeg() + "-i '" + ts.string() + "' -map 0:a -c copy -f adts - 2>/dev/null");
}

class AudioJoin : public ::testing::TestWithParam<JoinCase> {};

TEST_P(AudioJoin, AsCleanAsOneContinuousEncode) {
  const JoinCase& c = GetParam();
  const ToneSource& s = c.source;
  const fs::path source = work_dir() / s.file;
  ASSERT_TRUE(run(ffmpeg() + s.args + " '" + source.string() + "'")) << s.args;

  process::HlsM3u8 request;
  request.st_ms = 5000;
  request.initseg_ms = {2000, 3000};  // segments of 2, 3, 5, ... s: two or three joins
  request.ss_ms = s.ss_ms;
  request.t_ms = s.t_ms;
  request.ac = s.channels;
  if (c.other_rate) request.ar = s.rate == 48000 ? 44100 : 48000;
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  const Playlist& p = *playlist;
  ASSERT_TRUE(p.manifest.params.audio.has_value());
  const hls::AudioParams& audio = *p.manifest.params.audio;
  ASSERT_GE(p.plan.segments.size(), 3u);

  auto segments = make_all(p, source);
  ASSERT_TRUE(segments.ok()) << segments.error().to_string();
  std::string all;
  for (const auto& bytes : *segments) all += bytes;
  const std::string name = case_name(c);
  const std::vector<float> ours = decode_mono(write_file(name + "-all.ts", all));
  ASSERT_GT(ours.size(), static_cast<std::size_t>(audio.sample_rate * 5));

  std::vector<std::int64_t> joins;  // output samples where a segment starts
  for (std::size_t i = 1; i < p.plan.segments.size(); ++i) joins.push_back(p.plan.segments[i].first_audio_frame * 1024);

  // The floor: one continuous encode of the same range, its first sample at the range's start by
  // the source's timestamps as ours (aresample first_pts). An ADTS stream plays the encoder's
  // 1024 priming samples first; without them its sample n sits at output time n / R as ours does.
  const fs::path continuous = work_dir() / (name + "-continuous.aac");
  char range[96];
  std::snprintf(range, sizeof range, "-ss %.6f -t %.6f ", static_cast<double>(p.manifest.params.ss_us) / 1e6,
                static_cast<double>(p.manifest.params.duration_us) / 1e6);
  ASSERT_TRUE(run(ffmpeg() + range + "-i '" + source.string() + "' -vn -af aresample=first_pts=0 -c:a aac -ar " + std::to_string(audio.sample_rate) +
                  " -ac " + std::to_string(audio.channels) +
                  (audio.bitrate > 0 ? " -b:a " + std::to_string(audio.bitrate) : std::string()) + " -f adts '" +
                  continuous.string() + "'"));
  std::vector<float> reference = decode_mono(continuous);
  ASSERT_GT(reference.size(), 1024u);
  reference.erase(reference.begin(), reference.begin() + 1024);

  const ToneReport got = measure(ours, audio.sample_rate, joins);
  const ToneReport floor = measure(reference, audio.sample_rate, joins);
  std::vector<double> steps;
  double worst_step = 0;
  for (std::int64_t join : joins) {
    steps.push_back(phase_step(ours, kTone, audio.sample_rate, static_cast<std::size_t>(join), kPhaseWindow));
    worst_step = std::max(worst_step, std::abs(steps.back()));
  }
  std::string step_text;
  for (double step : steps) {
    char text[32];
    std::snprintf(text, sizeof text, "%s%.2f", step_text.empty() ? "" : " ", step);
    step_text += text;
  }
  std::printf("[ %s ] near joins %.3f%% (continuous %.3f%%, x%.2f); p99 %.3f%% (continuous %.3f%%, x%.2f); "
              "phase steps [%s] samples\n",
              name.c_str(), 100 * got.near_joins, 100 * floor.near_joins, got.near_joins / floor.near_joins, 100 * got.p99,
              100 * floor.p99, got.p99 / floor.p99, step_text.c_str());

  EXPECT_GT(got.amplitude, 0.5 * floor.amplitude) << "the tone is missing from the segments";
  EXPECT_LE(got.near_joins, kMaxRatio * floor.near_joins) << "the joins add noise a continuous encode does not have";
  EXPECT_LE(got.p99, kMaxRatio * floor.p99) << "the segments are noisier overall than a continuous encode";
  EXPECT_LE(worst_step, kMaxStepSamples) << "samples after a join are placed off the timeline of those before it";

  // Made again alone, after all the others: the same segment, byte for byte (pictures included:
  // determinism_test.cpp).
  auto again = make_segment(p, source, 1);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  const fs::path made = write_file(name + "-1.ts", (*segments)[1]);
  EXPECT_FALSE(audio_stream(made).empty());
  if (*again != (*segments)[1]) {
    const bool same_audio = audio_stream(write_file(name + "-1-again.ts", *again)) == audio_stream(made);
    ADD_FAILURE() << "segment 1 differs when made twice (" << (same_audio ? "its pictures" : "its audio") << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, AudioJoin, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<JoinCase>& info) { return case_name(info.param); });

}  // namespace
}  // namespace osslive::transcode::testing
