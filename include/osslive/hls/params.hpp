#pragma once
// hls/m3u8 parameters resolved against a probed source (docs/api.md, "hls/m3u8"): every choice the transcoder
// needs is made here, once, and stored in the playlist manifest, so every segment job agrees.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/media/rational.hpp"
#include "osslive/media/source_info.hpp"
#include "osslive/process/operations.hpp"

namespace osslive::hls {

enum class ScaleType { Stretch, Crop, Fill, Fit };

// The picture path: decode -> turn `rotation` degrees clockwise -> scale to scaled_width x
// scaled_height (which also makes pixels square) -> crop to width x height at (crop_x, crop_y), or pad
// to width x height with the picture at (pad_x, pad_y) on black. The geometry fields are
// authoritative; scale_type only records how they were derived.
struct VideoParams {
  int stream_index = -1;                // source stream
  std::string codec = "h264";           // h264 | h265
  std::string encoder = "libx264";      // libx264 | libx265
  media::Rational frame_rate{25, 1};    // F, reduced; output frame k sits at k / F
  int rotation = 0;                     // clockwise: 0, 90, 180, 270
  int display_width = 0;                // source upright with square pixels (before scaling)
  int display_height = 0;
  ScaleType scale_type = ScaleType::Stretch;
  int scaled_width = 0;
  int scaled_height = 0;
  int crop_x = 0, crop_y = 0;           // > 0 only when the scaled picture is larger than the output
  int pad_x = 0, pad_y = 0;             // > 0 only when it is smaller
  int width = 0, height = 0;            // output, even
  std::string pix_fmt = "yuv420p";
  double crf = 23;                      // used when bitrate == 0; [0, 51] in steps of 1/100
  std::int64_t bitrate = 0;             // bit/s; > 0: encode to this rate instead of crf
  std::int64_t maxrate = 0;             // crf cap (with bufsize); 0: none
  std::int64_t bufsize = 0;

  friend bool operator==(const VideoParams&, const VideoParams&) = default;
};

struct AudioParams {
  int stream_index = -1;
  std::string codec = "aac";
  int sample_rate = 44100;              // R; AAC frame j starts at sample 1024 j
  int channels = 2;
  std::int64_t bitrate = 0;             // bit/s; 0: not set
  int quality = -1;                     // aq as given (0..100); -1: not set
  // AVCodecContext::global_quality for the FFmpeg AAC encoder's VBR mode (with
  // AV_CODEC_FLAG_QSCALE): aq 0..100 maps linearly onto q 0.1..2.0 times FF_QP2LAMBDA. 0: unused.
  int global_quality = 0;

  friend bool operator==(const AudioParams&, const AudioParams&) = default;
};

struct ResolvedParams {
  // Output range on the source timeline, microseconds. Output time x is source time
  // origin_us + ss_us + x.
  std::int64_t origin_us = 0;           // source start time
  std::int64_t ss_us = 0;
  std::int64_t end_us = 0;              // E, measured from origin
  std::int64_t duration_us = 0;         // D = E - ss, > 0
  std::int64_t st_ms = 10'000;
  std::vector<std::int64_t> initseg_ms;  // header segments before the st grid (osslive extension, docs/api.md)
  std::int64_t initd_ms = 30'000;       // as given; see initd_segments()
  int ta = 12;
  std::optional<VideoParams> video;     // present iff the source has video
  std::optional<AudioParams> audio;     // present iff the source has audio and an is 0
  // Audio-only renditions of a master playlist: cut where a video rendition at this frame rate
  // cuts (the AAC frame at or after each segment's first picture), so every rendition of the
  // master has the same segments. Absent: audio-only output cuts on its own AAC grid.
  std::optional<media::Rational> cut_frame_rate;

  friend bool operator==(const ResolvedParams&, const ResolvedParams&) = default;
};

inline constexpr int kMaxFrameRate = 240;
inline constexpr std::int64_t kMaxDurationUs = 7ll * 24 * 3600 * 1'000'000;

Result<ResolvedParams> resolve(const process::HlsM3u8& request, const media::SourceInfo& source);

// ta when not given: about two minutes of segments ahead, within [10, 30].
int default_transcode_ahead(std::int64_t st_ms);

// Bounds every field so a manifest read back from a playlist (which anyone with write access
// could have edited) cannot drive the planner or the transcoder outside sane values.
Status validate(const ResolvedParams& params);

// Frame rate text as given ("25", "29.97", "23.976"): exact decimal, snapped to the NTSC
// rationals (N*1000/1001) when within 0.01 of one. nullopt unless in (0, kMaxFrameRate].
std::optional<media::Rational> parse_frame_rate(std::string_view text);
// "25", "29.97", "23.976", "59.94": up to 3 decimals, trailing zeros dropped.
std::string format_frame_rate(media::Rational rate);
// The rate a source plays at: avg_frame_rate, else r_frame_rate, else 25; snapped to NTSC or
// to a whole number when within 0.01, otherwise kept to 1/1000.
media::Rational source_frame_rate(const media::VideoStreamInfo& video);

std::string_view scale_type_name(ScaleType type);
std::optional<ScaleType> parse_scale_type(std::string_view name);

}  // namespace osslive::hls
