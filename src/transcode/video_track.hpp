#pragma once
// Private to src/transcode: the video of one segment. Output frame k (at output time k / F)
// shows the source picture on screen at source time base + k / F: the last decoded picture whose
// time is at most that instant plus half an output frame (the tolerance absorbs timestamps
// rounded by the container). Pictures before the source's first are its first; after its last,
// the last. Each used picture is converted once and encoded for every k it covers.
#include <cstdint>
#include <string>

#include "osslive/hls/params.hpp"
#include "osslive/media/encoders.hpp"
#include "osslive/media/source_reader.hpp"
#include "osslive/media/video_converter.hpp"
#include "packet_interleaver.hpp"

namespace osslive::transcode {

// How far after an output instant a source frame may be stamped and still count as on screen then.
inline constexpr std::int64_t kPictureToleranceUs = 1000;

struct VideoTrackConfig {
  hls::VideoParams params;
  std::int64_t first_frame = 0;  // k0
  std::int64_t frames = 0;       // k1 - k0
  std::int64_t base_us = 0;      // source time of output time 0
  media::StreamClock clock;      // the video stream's
  bool fresh = false;            // decoding starts at the file start (no seek)
  int threads = 1;               // picture conversion
  media::VideoEncoderSettings encoder;  // from video_encoder_settings()
};

// The constant 90 kHz offset of every segment of every playlist: large enough that the first
// DTS (reordered by B-frames) and the muxer's PCR (DTS - max_delay) stay positive.
inline constexpr std::int64_t kTimestampOffset = 126'000;

class VideoTrack {
 public:
  static Result<VideoTrack> open(const VideoTrackConfig& config, PacketInterleaver& out);

  // true: the decode started later than this segment needs (the seek landed late).
  Result<bool> on_frame(const media::DecodedFrame& frame);
  bool done() const { return next_k_ >= end_k_; }
  bool saw_picture() const { return seen_first_; }
  // Emits the rest (holding the last picture), flushes the encoder, ends the track.
  Status finish();
  // The source time the decode must reach back to.
  static std::int64_t need_us(const VideoTrackConfig& config);
  const media::VideoEncoder& encoder() const { return encoder_; }

 private:
  VideoTrack(const VideoTrackConfig& config, media::VideoEncoder encoder, PacketInterleaver& out);
  std::int64_t slot_of(std::int64_t pts_us) const;
  Status emit_held(std::int64_t until);
  Status on_packet(media::Packet&& packet);

  VideoTrackConfig config_;
  media::Rational rate_;
  std::int64_t end_k_;
  media::VideoConverter converter_;
  media::VideoEncoder encoder_;
  PacketInterleaver* out_;
  bool gating_;  // after a seek: drop pictures until one decoding can start from
  bool seen_first_ = false;
  media::Picture held_;
  media::Picture held_converted_;
  std::int64_t held_slot_ = 0;
  std::int64_t next_k_;
  std::int64_t packets_ = 0;
};

}  // namespace osslive::transcode
