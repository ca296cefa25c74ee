#include "osslive/transcode/encoder_settings.hpp"

#include <algorithm>

namespace osslive::transcode {

media::VideoEncoderSettings video_encoder_settings(const hls::VideoParams& p, const TranscodeOptions& options,
                                                   int threads) {
  media::VideoEncoderSettings s{.encoder = p.encoder, .width = p.width, .height = p.height, .pix_fmt = p.pix_fmt,
                                .frame_rate = p.frame_rate, .crf = p.crf, .bitrate = p.bitrate,
                                .maxrate = p.maxrate, .bufsize = p.bufsize};
  s.preset = p.encoder == "libx265" ? options.x265_preset : options.x264_preset;
  s.threads = std::max(1, threads);
  // Keyframes at least every 2 s; counted from the segment's first frame (an IDR).
  s.keyint = static_cast<int>(std::max<std::int64_t>(1, 2 * p.frame_rate.num / p.frame_rate.den));
  // B-frames (the encoders' own choice of how many) save 18-25 % at the same crf and PSNR
  // (docs/PERFORMANCE.md). Below 5 fps their reorder delay would pass the timestamp offset's
  // headroom (video_track.hpp), so such slide-show outputs go without.
  s.b_frames = p.frame_rate.num >= 5 * p.frame_rate.den;
  return s;
}

}  // namespace osslive::transcode
