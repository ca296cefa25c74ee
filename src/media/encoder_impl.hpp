#pragma once
// Private to src/media: the encoder state the TS muxer copies stream parameters from.
#include "av_raii.hpp"
#include "osslive/media/encoders.hpp"

namespace osslive::media {

struct VideoEncoder::Impl {
  CodecContextPtr context;
  PacketPtr packet{av_packet_alloc()};
};

struct AudioEncoder::Impl {
  CodecContextPtr context;
  PacketPtr packet{av_packet_alloc()};
  FramePtr frame{av_frame_alloc()};
};

}  // namespace osslive::media
