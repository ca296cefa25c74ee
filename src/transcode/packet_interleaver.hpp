#pragma once
// Private to src/transcode: merges the video and audio packets of one segment into the TS in
// decoding-time order. The order is a pure function of the packets (ties: video first), and
// nothing reaches the muxer, so nothing reaches the sink, before both streams have produced
// their first packet: a job can still start over until then.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

#include "osslive/core/result.hpp"
#include "osslive/media/ts_muxer.hpp"

namespace osslive::transcode {

enum class Track { Video = 0, Audio = 1 };

class PacketInterleaver {
 public:
  using MuxerFactory = std::function<Result<media::TsMuxer>()>;

  PacketInterleaver(bool video, bool audio, MuxerFactory open_muxer);

  // pts/dts in 90 kHz ticks on the output timeline.
  Status push(Track track, media::Packet&& packet, std::int64_t pts, std::int64_t dts);
  // No more packets for the track.
  Status end(Track track);
  // Writes what is left and the trailer.
  Status finish();
  bool started() const { return muxer_.has_value(); }

 private:
  struct Pending {
    media::Packet packet;
    std::int64_t pts;
    std::int64_t dts;
  };
  Status pump();
  Status write(Track track);

  MuxerFactory open_muxer_;
  std::optional<media::TsMuxer> muxer_;
  std::array<std::deque<Pending>, 2> queues_;
  std::array<bool, 2> open_{};  // the track may still produce packets
  std::array<std::int64_t, 2> last_dts_{INT64_MIN, INT64_MIN};
};

}  // namespace osslive::transcode
