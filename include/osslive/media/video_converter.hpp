#pragma once
// Turns decoded pictures into the output geometry and pixel format: rotate by quarter turns,
// scale (square pixels out), crop or pad with black, convert the pixel format.
#include <memory>
#include <string>

#include "osslive/core/result.hpp"
#include "osslive/media/frames.hpp"

namespace osslive::media {

struct VideoGeometry {
  int rotation = 0;  // clockwise quarter turns in degrees: 0, 90, 180, 270
  int scaled_width = 0, scaled_height = 0;
  int crop_x = 0, crop_y = 0;  // used when the scaled picture is larger than width x height
  int pad_x = 0, pad_y = 0;    // used when it is smaller
  int width = 0, height = 0;
  std::string pix_fmt = "yuv420p";
};

class VideoConverter {
 public:
  // `threads` scale slices of one picture in parallel.
  explicit VideoConverter(VideoGeometry geometry, int threads = 1);
  VideoConverter(VideoConverter&&) noexcept;
  VideoConverter& operator=(VideoConverter&&) noexcept;
  ~VideoConverter();

  // The filter chain is built for the first picture and rebuilt when the source's size or pixel
  // format changes mid-stream.
  Result<Picture> convert(const Picture& source);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace osslive::media
