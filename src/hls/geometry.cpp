#include "geometry.hpp"

#include <algorithm>
#include <string>

#include "osslive/core/exact.hpp"

namespace osslive::hls {
namespace {

using exact::Int128;

// Encoders and 4:2:0 chroma need even sizes and offsets.
int even_down(Int128 v) { return static_cast<int>(std::max<Int128>(2, v - (v % 2))); }

std::string size_text(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

// Coded size with the sample aspect ratio applied to the width (square pixels out), then turned
// upright. Not yet rounded to even.
void display_size(const media::VideoStreamInfo& source, int rotation, int& w, int& h) {
  Int128 width = std::max(source.width, 1);
  const media::Rational& sar = source.sample_aspect_ratio;
  if (sar.positive() && sar.num != sar.den) {
    width = std::max<Int128>(1, (width * sar.num * 2 + sar.den) / (static_cast<Int128>(sar.den) * 2));
  }
  w = static_cast<int>(std::min<Int128>(width, 1 << 20));
  h = std::max(source.height, 1);
  if (rotation == 90 || rotation == 270) std::swap(w, h);
}

}  // namespace

Status resolve_geometry(const process::HlsM3u8& request, const media::VideoStreamInfo& source, VideoParams& out) {
  out.rotation = (source.rotation == 90 || source.rotation == 180 || source.rotation == 270) ? source.rotation : 0;
  display_size(source, out.rotation, out.display_width, out.display_height);
  const int source_w = even_down(out.display_width);
  const int source_h = even_down(out.display_height);

  auto keep_source = [&] {
    out.scale_type = ScaleType::Stretch;
    out.scaled_width = out.width = source_w;
    out.scaled_height = out.height = source_h;
    return Status{};
  };
  if (!request.width || !request.height) return keep_source();

  int target_w = *request.width, target_h = *request.height;
  if (request.arotate == 1) {
    // s names the long side first; a portrait source gets it turned.
    int long_side = std::max(target_w, target_h), short_side = std::min(target_w, target_h);
    bool portrait = out.display_height > out.display_width;
    target_w = portrait ? short_side : long_side;
    target_h = portrait ? long_side : short_side;
  }
  const std::string target_text = size_text(*request.width, *request.height);

  int sopt = request.sopt.value_or(1);
  bool source_smaller = static_cast<std::int64_t>(source_w) * source_h < static_cast<std::int64_t>(target_w) * target_h;
  if (source_smaller && sopt == 1) return keep_source();
  if (source_smaller && sopt == 2) {
    return invalid_argument("s", "must not be larger than the source size " + size_text(source_w, source_h) +
                                     " when sopt is 2", target_text);
  }

  ScaleType type = ScaleType::Stretch;
  if (request.scaletype) {
    auto parsed = parse_scale_type(*request.scaletype);
    if (!parsed) return invalid_argument("scaletype", "must be one of stretch, crop, fill, fit", *request.scaletype);
    type = *parsed;
  }
  out.scale_type = type;
  out.width = target_w;
  out.height = target_h;
  out.scaled_width = target_w;
  out.scaled_height = target_h;
  if (type == ScaleType::Stretch) return {};

  // Aspect comparison on the exact display size: target wider than the source <=> W*dh > H*dw.
  const Int128 dw = out.display_width, dh = out.display_height;
  const bool target_wider = static_cast<Int128>(target_w) * dh > static_cast<Int128>(target_h) * dw;
  if (type == ScaleType::Crop) {
    // Cover the target, then cut the centre.
    if (target_wider) {
      out.scaled_height = std::max(target_h, even_down(dh * target_w / dw));
    } else {
      out.scaled_width = std::max(target_w, even_down(dw * target_h / dh));
    }
    out.crop_x = (out.scaled_width - target_w) / 2 / 2 * 2;
    out.crop_y = (out.scaled_height - target_h) / 2 / 2 * 2;
    return {};
  }
  // Fill and fit: fit inside the target.
  if (target_wider) {
    out.scaled_width = std::min(target_w, even_down(dw * target_h / dh));
  } else {
    out.scaled_height = std::min(target_h, even_down(dh * target_w / dw));
  }
  if (type == ScaleType::Fill) {
    out.pad_x = (target_w - out.scaled_width) / 2 / 2 * 2;
    out.pad_y = (target_h - out.scaled_height) / 2 / 2 * 2;
  } else {
    out.width = out.scaled_width;
    out.height = out.scaled_height;
  }
  return {};
}

}  // namespace osslive::hls
