#pragma once
// Private to src/transcode: the audio of one segment (docs/seamless.md, "Audio placement").
// AudioPlacer puts each decoded frame on a source sample the same way in every job; runs of
// contiguous samples go through the resampler onto the output sample grid, holes become silence.
// The AAC encoder starts on `silent_start` frames of silence, then `preroll` frames before the
// segment's first frame, and runs `tail` frames past its last; only the segment's own frames are
// kept: each is encoded with real audio on both sides and with the encoder's rate control in the
// same state as in every other job, so it joins its neighbours' frames without a click.
#include <cstdint>
#include <vector>

#include "osslive/hls/params.hpp"
#include "osslive/media/audio_resampler.hpp"
#include "osslive/media/encoders.hpp"
#include "osslive/media/source_reader.hpp"
#include "audio_placer.hpp"
#include "packet_interleaver.hpp"
#include "sample_timeline.hpp"

namespace osslive::transcode {

struct AudioTrackConfig {
  hls::AudioParams params;
  std::int64_t first_frame = 0;  // j0
  std::int64_t frames = 0;       // j1 - j0
  int preroll = 6;               // AAC frames encoded before j0 and dropped
  int silent_start = 0;          // AAC frames of silence encoded before those, and dropped
  int tail = 2;                  // AAC frames encoded after j1 - 1 and dropped
  std::int64_t base_us = 0;      // source time of output time 0
  media::StreamClock clock;      // the audio stream's
  int source_rate = 0;
  int packet_grid = 1;           // source samples; 1: none
  bool fresh = false;
};

class AudioTrack {
 public:
  static Result<AudioTrack> open(const AudioTrackConfig& config, PacketInterleaver& out);

  // true: the decode started later than this segment needs (the seek landed late).
  Result<bool> on_frame(const media::DecodedFrame& frame);
  bool done() const { return next_j_ >= end_j_; }
  bool saw_audio() const { return seen_first_; }
  // Encodes what is left (silence past the source's audio), flushes, ends the track.
  Status finish();
  // The source time the decode must reach back to.
  static std::int64_t need_us(const AudioTrackConfig& config);
  const media::AudioEncoder& encoder() const { return encoder_; }

 private:
  AudioTrack(const AudioTrackConfig& config, media::AudioEncoder encoder, PacketInterleaver& out);
  Status take_placements();
  Status start_run(const Placement& placement);
  Status end_run();
  Status push(const media::AudioFrame& frame, int from, int to);
  Status encode_ready(bool final);
  Status on_packet(media::Packet&& packet);

  AudioTrackConfig config_;
  int rate_;              // R
  int frame_samples_;     // 1024
  std::int64_t end_j_;    // j1 + tail
  std::int64_t next_j_;   // next AAC frame to encode
  std::int64_t offset_;   // output sample of source sample 0 (the stream's start)
  std::int64_t align_ = 1;     // run starts fall on multiples of this many source samples...
  std::int64_t align_out_ = 1; // ...which are this many output samples
  bool exact_align_ = true;
  AudioPlacer placer_;
  std::vector<Placement> placements_;
  media::AudioResampler resampler_;
  media::AudioEncoder encoder_;
  SampleTimeline timeline_;
  PacketInterleaver* out_;
  media::PlanarSamples scratch_;
  std::vector<std::vector<float>> frame_buffer_;
  std::vector<const float*> planes_;
  bool seen_first_ = false;
  bool run_active_ = false;       // the resampler holds a run
  std::int64_t run_out_ = 0;     // output sample the run's next converted sample lands on
  std::int64_t kept_ = 0;
};

}  // namespace osslive::transcode
