// resolve(): hls/m3u8 parameters against a probed source (docs/api.md, "hls/m3u8").
#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "osslive/core/exact.hpp"
#include "geometry.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/process/value_rules.hpp"

namespace osslive::hls {
namespace {

constexpr int kFfQp2Lambda = 118;  // FF_QP2LAMBDA, kept here so the header stays free of libav


// The source's pixel format mapped onto the output list: same chroma layout and bit depth family.
std::string map_pix_fmt(std::string_view source) {
  if (process::is_pixel_format(source)) return std::string(source);
  if (source == "yuvj420p" || source == "nv12" || source == "nv21") return "yuv420p";
  if (source == "yuvj422p" || source == "nv16") return "yuv422p";
  if (source == "yuvj444p" || source == "nv24" || source == "nv42") return "yuv444p";
  if (source == "yuv420p10be" || source == "p010le" || source == "p010be" || source == "yuv420p12le" ||
      source == "yuv420p12be") {
    return "yuv420p10le";
  }
  if (source == "yuv422p10be" || source == "p210le" || source == "yuv422p12le" || source == "yuv422p12be") {
    return "yuv422p10le";
  }
  if (source == "yuv444p10be" || source == "yuv444p12le" || source == "yuv444p12be") return "yuv444p10le";
  return "yuv420p";
}

std::string ms_text(std::int64_t us) { return std::to_string(us / 1000); }

// The *opt rule shared by vb and ab: 0 always the request, 1 the source's rate if lower and known,
// 2 an error if the source's rate is lower.
Result<std::int64_t> pick_bitrate(std::string_view name, std::int64_t requested, int opt, std::int64_t source,
                                  std::string_view what) {
  bool source_lower = source > 0 && source < requested;
  if (opt == 1 && source_lower) return source;
  if (opt == 2 && source_lower) {
    return invalid_argument(name, "must not exceed the " + std::string(what) + " " + std::to_string(source) +
                                      " when " + std::string(name) + "opt is 2",
                            std::to_string(requested));
  }
  return requested;
}

Status resolve_range(const process::HlsM3u8& request, const media::SourceInfo& source, ResolvedParams& out) {
  if (request.ss_ms < 0) return invalid_argument("ss", "must be >= 0", std::to_string(request.ss_ms));
  if (request.t_ms < 0) return invalid_argument("t", "must be >= 0", std::to_string(request.t_ms));
  if (source.duration_us <= 0) return Error(Errc::InvalidArgument, "source duration is unknown");
  out.origin_us = source.start_us;
  // Compare in 128 bits: ss is user input and may be near INT64_MAX.
  if (static_cast<exact::Int128>(request.ss_ms) * 1000 >= source.duration_us) {
    return Error(Errc::InvalidArgument, "ss " + std::to_string(request.ss_ms) + " is past the end of the source (duration " +
                                            ms_text(source.duration_us) + " ms)")
        .with("ArgumentName", "ss")
        .with("ArgumentValue", std::to_string(request.ss_ms));
  }
  out.ss_us = request.ss_ms * 1000;
  exact::Int128 end = source.duration_us;
  if (request.t_ms > 0) end = std::min<exact::Int128>(end, static_cast<exact::Int128>(out.ss_us) + request.t_ms * exact::Int128{1000});
  out.end_us = static_cast<std::int64_t>(end);
  out.duration_us = out.end_us - out.ss_us;
  return {};
}

Status resolve_frame_rate(const process::HlsM3u8& request, const media::VideoStreamInfo& source, VideoParams& out) {
  media::Rational source_rate = source_frame_rate(source);
  if (!request.fps) {
    out.frame_rate = source_rate;
    return {};
  }
  auto requested = parse_frame_rate(*request.fps);
  if (!requested) return invalid_argument("fps", "must be a decimal number in (0, 240]", *request.fps);
  bool source_lower = exact::compare(source_rate, *requested) < 0;
  int opt = request.fpsopt.value_or(1);
  if (opt == 1 && source_lower) {
    out.frame_rate = source_rate;
  } else if (opt == 2 && source_lower) {
    return invalid_argument("fps", "must not exceed the source frame rate " + format_frame_rate(source_rate) + " when fpsopt is 2",
                            *request.fps);
  } else {
    out.frame_rate = *requested;
  }
  return {};
}

Result<VideoParams> resolve_video(const process::HlsM3u8& request, const media::VideoStreamInfo& source) {
  VideoParams v;
  v.stream_index = source.index;
  if (request.vcodec == "h264") {
    v.codec = "h264";
    v.encoder = "libx264";
  } else if (request.vcodec == "h265") {
    v.codec = "h265";
    v.encoder = "libx265";
  } else {
    return invalid_argument("vcodec", "must be h264 or h265", request.vcodec);
  }
  OSSLIVE_TRY(resolve_frame_rate(request, source, v));
  OSSLIVE_TRY(resolve_geometry(request, source, v));
  if (request.pixfmt) {
    OSSLIVE_TRY(process::check_one_of("pixfmt", *request.pixfmt, process::kPixelFormats));
    v.pix_fmt = *request.pixfmt;
  } else {
    v.pix_fmt = map_pix_fmt(source.pix_fmt);
  }
  if (request.vb) {
    if (request.crf_hundredths)
      return invalid_argument("crf", "cannot be combined with vb", format_fixed_point(*request.crf_hundredths, 2));
    OSSLIVE_ASSIGN(v.bitrate, pick_bitrate("vb", *request.vb, request.vbopt.value_or(1), source.bit_rate,
                                           "source video bit rate"));
  } else {
    v.crf = static_cast<double>(request.crf_hundredths.value_or(2300)) / 100;
    if (request.maxrate && request.bufsize) {  // a buffer alone caps nothing
      v.maxrate = *request.maxrate;
      v.bufsize = *request.bufsize;
    }
  }
  return v;
}

int nearest_allowed_rate(int source) {
  for (int rate : process::kAacSampleRates) {
    if (rate >= source) return rate;
  }
  return process::kAacSampleRates.back();
}

Result<AudioParams> resolve_audio(const process::HlsM3u8& request, const media::AudioStreamInfo& source) {
  AudioParams a;
  a.stream_index = source.index;
  if (request.acodec != "aac") return invalid_argument("acodec", "must be aac", request.acodec);
  if (request.ar) {
    OSSLIVE_ASSIGN(a.sample_rate, process::parse_sample_rate("ar", std::to_string(*request.ar)));
  } else {
    a.sample_rate = nearest_allowed_rate(source.sample_rate);
  }
  if (request.ac) {
    if (*request.ac < 1 || *request.ac > 8) return invalid_argument("ac", "must be in [1, 8]", std::to_string(*request.ac));
    a.channels = *request.ac;
  } else {
    a.channels = std::clamp(source.channels, 1, 8);
  }
  if (request.ab && request.aq) return invalid_argument("aq", "cannot be combined with ab", std::to_string(*request.aq));
  if (request.ab) {
    OSSLIVE_ASSIGN(a.bitrate, pick_bitrate("ab", *request.ab, request.abopt.value_or(1), source.bit_rate,
                                           "source audio bit rate"));
  } else if (request.aq) {
    if (*request.aq < 0 || *request.aq > 100) return invalid_argument("aq", "must be in [0, 100]", std::to_string(*request.aq));
    a.quality = *request.aq;
    a.global_quality = static_cast<int>(std::lround((0.1 + 1.9 * a.quality / 100.0) * kFfQp2Lambda));
  }
  return a;
}

}  // namespace

Result<ResolvedParams> resolve(const process::HlsM3u8& request, const media::SourceInfo& source) {
  ResolvedParams out;
  OSSLIVE_TRY(resolve_range(request, source, out));
  if (request.st_ms < 5000 || request.st_ms > 15000) {
    return invalid_argument("st", "must be in [5000, 15000]", std::to_string(request.st_ms));
  }
  out.st_ms = request.st_ms;
  if (request.initseg_ms.size() > 10) {
    return invalid_argument("initseg", "must list at most 10 segments", std::to_string(request.initseg_ms.size()));
  }
  for (std::int64_t ms : request.initseg_ms) {
    if (ms < 1000 || ms > 15000) return invalid_argument("initseg", "durations must be in [1000, 15000]", std::to_string(ms));
  }
  out.initseg_ms = request.initseg_ms;
  out.initd_ms = request.initd_ms;
  if (request.ta) {
    if (*request.ta < 10 || *request.ta > 30) return invalid_argument("ta", "must be in [10, 30]", std::to_string(*request.ta));
    out.ta = *request.ta;
  } else {
    // About two minutes of segments ahead of the playhead.
    out.ta = default_transcode_ahead(out.st_ms);
  }

  if (source.video) {
    OSSLIVE_ASSIGN(out.video, resolve_video(request, *source.video));
  }
  if (source.audio && !request.an) {
    OSSLIVE_ASSIGN(out.audio, resolve_audio(request, *source.audio));
  }
  if (!out.video && !out.audio) {
    if (source.audio) return invalid_argument("an", "must be 0 for a source without video", "1");
    return Error(Errc::InvalidArgument, "source is not a readable media file: it has no audio or video stream");
  }
  OSSLIVE_TRY(validate(out));
  return out;
}

int default_transcode_ahead(std::int64_t st_ms) {
  return static_cast<int>(std::clamp<std::int64_t>((120'000 + st_ms - 1) / std::max<std::int64_t>(st_ms, 1), 10, 30));
}

}  // namespace osslive::hls
