#pragma once
// Private to src/hls: output picture geometry from s / sopt / scaletype / arotate.
#include "osslive/core/result.hpp"
#include "osslive/hls/params.hpp"

namespace osslive::hls {

// Fills rotation, display size, scale_type, scaled size, crop / pad offsets and output size.
Status resolve_geometry(const process::HlsM3u8& request, const media::VideoStreamInfo& source, VideoParams& out);

}  // namespace osslive::hls
