#pragma once
// The output encoders: libx264 / libx265 video and FFmpeg's native AAC. Each encode call hands
// the packets it produced to a callback, in decoding order.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "osslive/core/result.hpp"
#include "osslive/media/frames.hpp"
#include "osslive/media/rational.hpp"

namespace osslive::media {

using PacketCallback = std::function<Status(Packet&& packet)>;

struct VideoEncoderSettings {
  std::string encoder = "libx264";  // libx264 | libx265
  int width = 0, height = 0;
  std::string pix_fmt = "yuv420p";
  Rational frame_rate{25, 1};       // the time base is its inverse: pts counts frames
  double crf = 23;                  // used when bitrate == 0; kept to 1/100
  std::int64_t bitrate = 0;
  std::int64_t maxrate = 0;         // with bufsize: caps crf
  std::int64_t bufsize = 0;
  std::string preset = "veryfast";
  int threads = 1;
  // Keyframe interval in frames, also the minimum one: with scene-cut detection off, keyframes
  // fall exactly every `keyint` frames counted from the first.
  int keyint = 50;
  bool b_frames = true;
};

class VideoEncoder {
 public:
  struct Impl;
  // Closed GOP, no scene cut, SPS/PPS in band before every keyframe, deterministic output.
  static Result<VideoEncoder> open(const VideoEncoderSettings& settings);
  VideoEncoder(VideoEncoder&&) noexcept;
  VideoEncoder& operator=(VideoEncoder&&) noexcept;
  ~VideoEncoder();

  // `picture` must already have the encoder's size and pixel format. force_idr makes it an
  // IDR picture.
  Status encode(const Picture& picture, std::int64_t pts, bool force_idr, const PacketCallback& on_packet);
  Status flush(const PacketCallback& on_packet);
  Impl* impl() const { return impl_.get(); }

 private:
  explicit VideoEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct AudioEncoderSettings {
  int sample_rate = 48000;
  int channels = 2;
  std::int64_t bitrate = 0;  // 0: the encoder's default for the channel count
  int global_quality = 0;    // > 0: VBR with this quality (FF_QP2LAMBDA units)
};

class AudioEncoder {
 public:
  struct Impl;
  static Result<AudioEncoder> open(const AudioEncoderSettings& settings);
  AudioEncoder(AudioEncoder&&) noexcept;
  AudioEncoder& operator=(AudioEncoder&&) noexcept;
  ~AudioEncoder();

  int frame_size() const;  // samples per frame (1024)
  // `planes` holds one pointer per channel to frame_size() samples; pts counts samples.
  // Packets come out one frame later with pts = input pts - frame_size (the encoder's priming).
  Status encode(const float* const* planes, std::int64_t pts, const PacketCallback& on_packet);
  Status flush(const PacketCallback& on_packet);
  Impl* impl() const { return impl_.get(); }

 private:
  explicit AudioEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace osslive::media
