#include "osslive/transcode/encoder_settings.hpp"

#include <algorithm>

namespace osslive::transcode {

media::VideoEncoderSettings video_encoder_settings(const hls::VideoParams& p, const TranscodeOptions& options,
                                                   int threads) {
  media::VideoEncoderSettings s;
  s.encoder = p.encoder;
  s.width = p.width;
  s.height = p.height;
  s.pix_fmt = p.pix_fmt;
  s.frame_rate = p.frame_rate;
  s.crf = p.crf;
  s.bitrate = p.bitrate;
  s.maxrate = p.maxrate;
  s.bufsize = p.bufsize;
  s.preset = p.encoder == "libx265" ? options.x265_preset : options.x264_preset;
  s.threads = std::max(1, threads);
  // Keyframes at least every 2 s; counted from the segment's first frame (an IDR).
  s.keyint = static_cast<int>(std::max<std::int64_t>(1, 2 * p.frame_rate.num / p.frame_rate.den));
  // Below 5 fps the B-frame reorder delay would pass the timestamp offset's headroom. x264 0.164's
  // macroblock-tree with B-frames gives different bytes for the same input from run to run (single-
  // threaded too, on segments that start mid-source), and a segment must be a pure function of its
  // input. Of the two cures, no B-frames costs about 25 % in size at the same crf and PSNR, no
  // MB-tree about 50 % (docs/PERFORMANCE.md); no B-frames also makes DTS = PTS, so the first packet
  // leaves the encoder one reorder delay sooner.
  s.b_frames = p.encoder == "libx265" && p.frame_rate.num >= 5 * p.frame_rate.den;
  return s;
}

}  // namespace osslive::transcode
