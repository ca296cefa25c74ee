#pragma once
// MPEG-TS output to a callback. Timestamps are written exactly as given (90 kHz ticks): the
// muxer's own shift (twice max_delay) and negative-timestamp avoidance are off, so every segment
// of a playlist lands on one timeline.
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "osslive/core/result.hpp"
#include "osslive/media/encoders.hpp"
#include "osslive/media/frames.hpp"

namespace osslive::media {

class TsMuxer {
 public:
  using Sink = std::function<Status(std::string_view bytes)>;

  // Streams are copied from the opened encoders (either may be null, not both). Bytes reach
  // `sink` right after the first packet and each video keyframe, otherwise in 64 KiB blocks as
  // the muxer produces them, and at finish().
  static Result<TsMuxer> open(const VideoEncoder* video, const AudioEncoder* audio, Sink sink);
  TsMuxer(TsMuxer&&) noexcept;
  TsMuxer& operator=(TsMuxer&&) noexcept;
  ~TsMuxer();

  int video_stream() const;  // -1 when absent
  int audio_stream() const;
  // A sink error is returned as the sink gave it.
  Status write(int stream, Packet&& packet, std::int64_t pts, std::int64_t dts);
  Status finish();

 private:
  struct State;
  explicit TsMuxer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace osslive::media
