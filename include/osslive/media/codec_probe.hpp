#pragma once
// What an encoder really writes with given settings, learnt by encoding one black picture: the
// master playlist's CODECS attribute is read from these bytes (profile and level depend on the
// preset, the size, the rate and the VBV settings, and x264 picks the level itself).
#include <string>

#include "osslive/core/result.hpp"
#include "osslive/media/encoders.hpp"

namespace osslive::media {

// The first encoded packet (Annex B: parameter sets in band, then the IDR picture) of a one-frame
// encode with `settings`. Cost: one encoder open and one picture (~10-100 ms).
Result<std::string> first_video_packet(const VideoEncoderSettings& settings);

}  // namespace osslive::media
