#pragma once
// The closed lists of values the hosted service's parameters accept, written once: the hls/m3u8
// parser, resolve() and validate() of the hls module, and GenerateVideoPlaylist's JSON all check
// against these.
#include <array>
#include <span>
#include <string>
#include <string_view>

#include "osslive/core/result.hpp"

namespace osslive::process {

inline constexpr std::array<int, 11> kAacSampleRates{8000,  11025, 12000, 16000, 22050, 24000,
                                                     32000, 44100, 48000, 88200, 96000};
inline constexpr std::array<std::string_view, 6> kPixelFormats{"yuv420p",     "yuv422p",     "yuv444p",
                                                               "yuv420p10le", "yuv422p10le", "yuv444p10le"};
inline constexpr std::array<std::string_view, 4> kScaleTypes{"stretch", "crop", "fill", "fit"};
inline constexpr std::array<std::string_view, 2> kVideoCodecs{"h264", "h265"};
inline constexpr std::array<std::string_view, 1> kAudioCodecs{"aac"};

bool is_aac_sample_rate(std::int64_t rate);
bool is_pixel_format(std::string_view name);

// InvalidArgument "<name> must be one of a, b, c, got <value>" unless value is listed.
Status check_one_of(std::string_view name, std::string_view value, std::span<const std::string_view> choices);
// The sample rate `value` names when kAacSampleRates lists it; else the same error, listing them.
Result<int> parse_sample_rate(std::string_view name, std::string_view value);

}  // namespace osslive::process
