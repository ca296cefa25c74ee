#pragma once
// The CODECS attribute of a master playlist (RFC 8216 §4.3.4.2, RFC 6381): read from the
// sequence parameter set the encoder really writes, so "avc1.PPCCLL" names the profile,
// constraint flags and level a player's decoder will meet, whatever preset made them.
#include <optional>
#include <string>
#include <string_view>

namespace osslive::hls {

// AAC-LC in ADTS, what the audio encoder writes.
inline constexpr std::string_view kAacLcCodecs = "mp4a.40.2";

// "avc1.PPCCLL" (lower-case hex) from an H.264 SPS NAL unit (its one-byte header first, emulation
// prevention bytes still in). nullopt when it is not an SPS or too short.
std::optional<std::string> avc1_codecs(std::string_view sps_nal);

// "hvc1.<space><profile>.<compatibility, bit-reversed hex>.<L|H><level>[.<constraint bytes>]"
// (ISO/IEC 14496-15 E.3) from an H.265 SPS NAL unit (two-byte header first). nullopt when it is
// not an SPS or too short.
std::optional<std::string> hvc1_codecs(std::string_view sps_nal);

// The first SPS NAL unit of an Annex B byte stream (start codes 00 00 01 or 00 00 00 01), without
// its start code; empty when there is none. `hevc` picks the NAL header layout.
std::string_view find_sps(std::string_view annex_b, bool hevc);

}  // namespace osslive::hls
