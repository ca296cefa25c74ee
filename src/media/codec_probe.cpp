#include "osslive/media/codec_probe.hpp"

#include "encoder_impl.hpp"
#include "frames_impl.hpp"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

namespace osslive::media {

Result<std::string> first_video_packet(const VideoEncoderSettings& settings) {
  OSSLIVE_ASSIGN(VideoEncoder encoder, VideoEncoder::open(settings));
  FramePtr frame(av_frame_alloc());
  if (!frame) return Error(Errc::InternalError, "out of memory for a probe picture");
  frame->width = settings.width;
  frame->height = settings.height;
  frame->format = av_get_pix_fmt(settings.pix_fmt.c_str());
  if (frame->format == AV_PIX_FMT_NONE) return Error(Errc::InternalError, "unknown pixel format " + settings.pix_fmt);
  if (av_frame_get_buffer(frame.get(), 0) < 0) return Error(Errc::InternalError, "out of memory for a probe picture");
  std::ptrdiff_t linesizes[4];
  for (int i = 0; i < 4; ++i) linesizes[i] = frame->linesize[i];
  if (av_image_fill_black(frame->data, linesizes, static_cast<AVPixelFormat>(frame->format), AVCOL_RANGE_MPEG,
                          frame->width, frame->height) < 0) {
    return Error(Errc::InternalError, "cannot fill a " + settings.pix_fmt + " probe picture");
  }
  Picture picture = make_picture(frame.get());
  if (picture.empty()) return Error(Errc::InternalError, "out of memory for a probe picture");
  std::string first;
  auto keep_first = [&](Packet&& packet) -> Status {
    if (first.empty() && packet.impl() != nullptr && packet.impl()->packet->size > 0) {
      const AVPacket* p = packet.impl()->packet.get();
      first.assign(reinterpret_cast<const char*>(p->data), static_cast<std::size_t>(p->size));
    }
    return {};
  };
  OSSLIVE_TRY(encoder.encode(picture, 0, true, keep_first));
  OSSLIVE_TRY(encoder.flush(keep_first));
  if (first.empty()) return Error(Errc::InternalError, settings.encoder + " wrote nothing for a probe picture");
  return first;
}

}  // namespace osslive::media
