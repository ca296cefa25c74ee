// A segment is a pure function of its source, its playlist and its index (docs/seamless.md): made
// again in the same process, with another transcode running beside it and whatever the heap holds,
// it must come out byte for byte the same, B-frames included. x264's AVX-512 code read memory that
// nothing wrote, so its bytes followed what earlier work had left in the heap
// (docs/PERFORMANCE.md, "B-frames"): this test made that visible on every source below.
#include <atomic>
#include <cstring>
#include <random>
#include <thread>

#include "osslive/core/digest.hpp"
#include "osslive/core/memory.hpp"
#include "transcode_support.hpp"

namespace osslive::transcode::testing {
namespace {

// The server keeps freed heap for the next job (core/memory.hpp): blocks then come back with what
// the last user left in them. Set before any thread starts, as main() does.
const bool kServerAllocator = keep_freed_memory(std::size_t{256} << 20);

struct DeterminismCase {
  std::string name;
  std::string file;
  std::string args;  // ffmpeg inputs and codecs
};

const std::string kTiny = "-f lavfi -i testsrc2=size=96x64:rate=25:duration=9 ";
const std::string kTone = "-f lavfi -i sine=frequency=441:sample_rate=48000:duration=9 ";

std::vector<DeterminismCase> cases() {
  return {
      // The tiny sources of audio_join_test.cpp, whose pictures were not encoded the same twice.
      {"x264_96x64", "tiny.mp4", kTiny + kTone + "-c:v libx264 -preset ultrafast -pix_fmt yuv420p -g 12 -c:a aac"},
      {"mpeg2_96x64", "tiny.mpg", kTiny + kTone + "-c:v mpeg2video -q:v 6 -g 12 -c:a mp2 -f mpeg"},
      {"wmv2_96x64", "tiny.wmv", kTiny + kTone + "-c:v wmv2 -q:v 6 -g 12 -c:a wmav2"},
      // Film rate, a size whose width is no multiple of 64, with B-frames in the source too.
      {"x264_320x134_23976", "film.mkv",
       "-f lavfi -i testsrc2=size=320x134:rate=24000/1001:duration=9 " + kTone +
           "-c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p -c:a aac"},
  };
}

void PrintTo(const DeterminismCase& c, std::ostream* os) { *os << c.name; }

// Fills the heap with blocks of noise and frees them: the next allocations come back holding it.
void scribble_heap(unsigned seed) {
  std::mt19937 random(seed);
  std::vector<unsigned char*> blocks;
  for (int i = 0; i < 3000; ++i) {
    const std::size_t size = 16 + random() % 100'000;
    auto* block = static_cast<unsigned char*>(std::malloc(size));
    if (block == nullptr) continue;
    for (std::size_t k = 0; k < size; k += 4) {
      const std::uint32_t noise = random();
      std::memcpy(block + k, &noise, std::min<std::size_t>(4, size - k));
    }
    blocks.push_back(block);
  }
  for (unsigned char* block : blocks) std::free(block);
}

std::string video_packet_sizes(const std::string& name, const std::string& bytes) {
  const fs::path ts = write_file(name, bytes);
  return capture("ffprobe -v error -select_streams v -show_entries packet=size -of default=nw=1:nk=1 '" + ts.string() +
                 "' | head -8 | tr '\\n' ' '");
}

class SameBytes : public ::testing::TestWithParam<DeterminismCase> {};

TEST_P(SameBytes, WhenMadeAgainBesideAnotherTranscode) {
  ASSERT_TRUE(kServerAllocator);
  const DeterminismCase& c = GetParam();
  const fs::path source = work_dir() / (c.name + "-" + c.file);
  ASSERT_TRUE(run(ffmpeg() + c.args + " '" + source.string() + "'")) << c.args;
  process::HlsM3u8 request;
  request.st_ms = 5000;
  request.initseg_ms = {2000, 2000};  // segments of 2, 2, 5 s
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  ASSERT_GE(playlist->plan.segments.size(), 3u);

  auto first = make_segment(*playlist, source, 1);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  const StreamPackets packets = probe_ts(write_file(c.name + "-first.ts", *first));
  ASSERT_FALSE(packets.video.empty());
  bool reordered = false;
  for (const PacketInfo& p : packets.video) reordered = reordered || p.pts != p.dts;
  EXPECT_TRUE(reordered) << "the segment has no B-frames: the case tests less than it should";

  for (unsigned round = 1; round <= 3; ++round) {
    scribble_heap(round);
    // Beside it: the other segments of the same playlist, one after another, until it is done.
    std::atomic<bool> done{false};
    std::thread beside([&] {
      for (std::int64_t i = 0; !done; i = (i + 2) % static_cast<std::int64_t>(playlist->plan.segments.size())) {
        (void)make_segment(*playlist, source, i);
      }
    });
    auto again = make_segment(*playlist, source, 1);
    done = true;
    beside.join();
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    if (md5(*again) != md5(*first)) {
      ADD_FAILURE() << "segment 1 made again (round " << round << ") differs: " << first->size() << " vs "
                    << again->size() << " bytes; first video packets "
                    << video_packet_sizes(c.name + "-first.ts", *first) << "vs "
                    << video_packet_sizes(c.name + "-again.ts", *again);
      return;
    }
  }
}

// A cluster grows by adding machines, and they need not have the same number of cores: the job's
// threads (threads_per_job, from the machine) must not change the bytes. Frame-threaded encoding
// did: x264 with 1.5 x the job's threads made other bytes on every machine size.
TEST(SameBytesOnAnyMachine, WhateverTheJobsThreadCount) {
  const fs::path source = work_dir() / "any-machine.mkv";
  ASSERT_TRUE(run(ffmpeg() + "-f lavfi -i testsrc2=size=320x134:rate=24000/1001:duration=9 " + kTone +
                  "-c:v libx264 -preset veryfast -bf 3 -pix_fmt yuv420p -c:a aac '" + source.string() + "'"));
  process::HlsM3u8 request;
  request.st_ms = 5000;
  auto playlist = make_playlist(source, request);
  ASSERT_TRUE(playlist.ok()) << playlist.error().to_string();
  std::string first_md5;
  for (int threads : {1, 2, 4, 8}) {
    TranscodeOptions options;
    options.threads = threads;
    auto bytes = make_segment(*playlist, source, 1, options);
    ASSERT_TRUE(bytes.ok()) << bytes.error().to_string();
    if (first_md5.empty()) first_md5 = md5(*bytes);
    EXPECT_EQ(md5(*bytes), first_md5) << "segment 1 made with " << threads << " threads per job differs from 1 thread's";
  }
}

INSTANTIATE_TEST_SUITE_P(Sources, SameBytes, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<DeterminismCase>& info) { return info.param.name; });

}  // namespace
}  // namespace osslive::transcode::testing
