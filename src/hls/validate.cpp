// validate(): bounds for resolved parameters, whether just resolved or read back from a playlist.
#include <string>

#include "osslive/core/exact.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/process/value_rules.hpp"

namespace osslive::hls {
namespace {

constexpr int kMaxSize = 16384;
constexpr std::int64_t kMaxBitrate = 1'000'000'000;

Error bad(std::string_view what) { return Error(Errc::InvalidArgument, "invalid resolved parameters: " + std::string(what)); }

bool even_size(int v) { return v >= 2 && v <= kMaxSize && v % 2 == 0; }

// Along one axis the scaled picture is either cut to the output (crop) or placed inside it (pad).
bool fits(int scaled, int output, int crop, int pad) {
  if (crop < 0 || pad < 0) return false;
  if (scaled >= output) return pad == 0 && crop <= scaled - output;
  return crop == 0 && pad <= output - scaled;
}

Status validate_video(const VideoParams& v) {
  if (v.stream_index < 0) return bad("video stream index");
  if (!((v.codec == "h264" && v.encoder == "libx264") || (v.codec == "h265" && v.encoder == "libx265"))) {
    return bad("video codec");
  }
  const media::Rational& f = v.frame_rate;
  if (!f.positive() || f.den > 1'000'000 || static_cast<exact::Int128>(f.num) > static_cast<exact::Int128>(kMaxFrameRate) * f.den) {
    return bad("frame rate");
  }
  if (v.rotation != 0 && v.rotation != 90 && v.rotation != 180 && v.rotation != 270) return bad("rotation");
  if (v.display_width < 1 || v.display_height < 1 || v.display_width > (1 << 20) || v.display_height > (1 << 20)) {
    return bad("display size");
  }
  if (!even_size(v.scaled_width) || !even_size(v.scaled_height) || !even_size(v.width) || !even_size(v.height)) {
    return bad("picture size");
  }
  if (!fits(v.scaled_width, v.width, v.crop_x, v.pad_x) || !fits(v.scaled_height, v.height, v.crop_y, v.pad_y)) {
    return bad("crop or pad rectangle");
  }
  if (!process::is_pixel_format(v.pix_fmt)) return bad("pixel format");
  if (v.crf < 0 || v.crf > 51) return bad("crf");
  if (v.bitrate < 0 || v.bitrate > kMaxBitrate || v.maxrate < 0 || v.maxrate > kMaxBitrate || v.bufsize < 0 ||
      v.bufsize > kMaxBitrate) {
    return bad("video bit rate");
  }
  return {};
}

Status validate_audio(const AudioParams& a) {
  if (a.stream_index < 0) return bad("audio stream index");
  if (a.codec != "aac") return bad("audio codec");
  if (!process::is_aac_sample_rate(a.sample_rate)) return bad("sample rate");
  if (a.channels < 1 || a.channels > 8) return bad("channels");
  if (a.bitrate < 0 || a.bitrate > kMaxBitrate) return bad("audio bit rate");
  if (a.quality < -1 || a.quality > 100 || a.global_quality < 0 || a.global_quality > 1000) return bad("audio quality");
  return {};
}

}  // namespace

Status validate(const ResolvedParams& p) {
  if (p.duration_us <= 0 || p.duration_us > kMaxDurationUs) return bad("duration");
  if (p.ss_us < 0 || p.ss_us > kMaxDurationUs || p.end_us != p.ss_us + p.duration_us) return bad("output range");
  if (p.origin_us < -kMaxDurationUs || p.origin_us > kMaxDurationUs) return bad("origin");
  if (p.st_ms < 1000 || p.st_ms > 60'000) return bad("segment duration");
  if (p.initseg_ms.size() > 16) return bad("header segments");
  for (std::int64_t ms : p.initseg_ms) {
    if (ms < 100 || ms > 60'000) return bad("header segment duration");
  }
  if (p.ta < 1 || p.ta > 100) return bad("ta");
  if (!p.video && !p.audio) return bad("no video and no audio");
  if (p.video) OSSLIVE_TRY(validate_video(*p.video));
  if (p.audio) OSSLIVE_TRY(validate_audio(*p.audio));
  if (p.cut_frame_rate) {
    const media::Rational& f = *p.cut_frame_rate;
    if (p.video || !f.positive() || f.den > 1'000'000 ||
        static_cast<exact::Int128>(f.num) > static_cast<exact::Int128>(kMaxFrameRate) * f.den) {
      return bad("cut frame rate");
    }
  }
  return {};
}

}  // namespace osslive::hls
