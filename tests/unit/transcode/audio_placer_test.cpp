// AudioPlacer puts every audio packet on the same source sample whatever packet the decode started
// from (docs/seamless.md, "Audio placement"): a decode from the file's start and decodes after
// seeks to several points give every packet they share the same position. Real sources made by
// the ffmpeg CLI, one per container clock: 1 ms (Matroska, WebM, FLV, ASF), frame units (AVI),
// 90 kHz (MPEG-PS), samples (MP4, Ogg).
#include <map>

#include "audio_placer.hpp"
#include "osslive/media/source_reader.hpp"
#include "transcode_support.hpp"

namespace osslive::transcode::testing {
namespace {

struct PlacerCase {
  std::string name;
  std::string file;
  std::string args;  // ffmpeg arguments making it
};

const std::string kTone48 = "-f lavfi -i sine=frequency=441:sample_rate=48000:duration=6 ";
const std::string kTone44 = "-f lavfi -i sine=frequency=441:sample_rate=44100:duration=6 ";
// Matroska clusters (seek points) every 200 ms instead of every 5 s.
const std::string kClusters = " -cluster_time_limit 200";

std::vector<PlacerCase> cases() {
  return {
      {"mkv_opus", "p.mkv", kTone48 + "-c:a libopus" + kClusters},
      {"webm_vorbis", "p.webm", kTone48 + "-c:a libvorbis" + kClusters},
      {"asf_wma", "p.wma", kTone44 + "-c:a wmav2"},
      {"flv_mp3", "p.flv", kTone44 + "-c:a libmp3lame"},
      {"mkv_aac", "p-aac.mkv", kTone48 + "-c:a aac" + kClusters},
      {"avi_mp3", "p.avi", kTone48 + "-c:a libmp3lame"},
      {"mpeg_ps_mp2", "p.mpg", kTone48 + "-c:a mp2 -f mpeg"},
      {"mp4_aac", "p.mp4", kTone48 + "-c:a aac"},
      {"ogg_opus", "p.opus", kTone48 + "-c:a libopus"},
  };
}

void PrintTo(const PlacerCase& c, std::ostream* os) { *os << c.name; }

// Source sample of each placed frame's first sample, by the frame's timestamp.
using Positions = std::map<std::int64_t, std::int64_t>;

Result<Positions> place_from(const fs::path& file, std::optional<std::int64_t> seek_us, std::int64_t until_us) {
  media::ReaderOptions options;
  options.audio_stream = 0;
  OSSLIVE_ASSIGN(media::SourceReader reader, media::SourceReader::open(open_file(file), options));
  if (seek_us) {
    OSSLIVE_ASSIGN(bool sought, reader.seek(*seek_us));
    if (!sought) return Error(Errc::InternalError, "seek failed");
  }
  AudioPlacer placer(reader.audio_clock(), reader.audio_sample_rate(), reader.audio_packet_grid());
  std::vector<Placement> placed;
  while (true) {
    OSSLIVE_ASSIGN(media::DecodedFrame frame, reader.next());
    if (frame.kind == media::DecodedFrame::Kind::End || (frame.has_pts && frame.pts_us > until_us)) break;
    placer.add(frame, placed);
  }
  placer.flush(placed);
  Positions out;
  for (const Placement& p : placed) {
    if (p.pts_us != INT64_MIN) out[p.pts_us] = p.position;
  }
  return out;
}

class AudioPlacement : public ::testing::TestWithParam<PlacerCase> {};

TEST_P(AudioPlacement, SamePositionFromEverySeekPoint) {
  const PlacerCase& c = GetParam();
  const fs::path file = work_dir() / c.file;
  ASSERT_TRUE(run(ffmpeg() + c.args + " '" + file.string() + "'")) << c.args;
  auto whole = place_from(file, std::nullopt, INT64_MAX);
  ASSERT_TRUE(whole.ok()) << whole.error().to_string();
  ASSERT_GT(whole->size(), 100u);
  // Seek points a prime number of milliseconds apart land on packets of every rounding.
  for (std::int64_t seek_us = 503'000; seek_us < 4'500'000; seek_us += 317'000) {
    SCOPED_TRACE("seek to " + std::to_string(seek_us) + " us");
    auto part = place_from(file, seek_us, seek_us + 800'000);
    ASSERT_TRUE(part.ok()) << part.error().to_string();
    std::size_t shared = 0;
    for (const auto& [pts_us, position] : *part) {
      const auto it = whole->find(pts_us);
      if (it == whole->end()) continue;
      ++shared;
      EXPECT_EQ(position, it->second) << "the frame stamped " << pts_us << " us";
    }
    EXPECT_GT(shared, 10u);
  }
}

INSTANTIATE_TEST_SUITE_P(Containers, AudioPlacement, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<PlacerCase>& info) { return info.param.name; });

}  // namespace
}  // namespace osslive::transcode::testing
