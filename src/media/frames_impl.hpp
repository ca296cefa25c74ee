#pragma once
// Private to src/media: what the opaque handles of osslive/media/frames.hpp hold.
#include "av_raii.hpp"
#include "osslive/media/frames.hpp"

namespace osslive::media {

struct Picture::Impl {
  FramePtr frame;
};

struct AudioFrame::Impl {
  FramePtr frame;
};

struct Packet::Impl {
  PacketPtr packet;
};

// Takes a new reference to `frame` (which keeps its own).
Picture make_picture(const AVFrame* frame);
AudioFrame make_audio_frame(const AVFrame* frame);

}  // namespace osslive::media
