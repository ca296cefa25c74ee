#include "osslive/hls/codecs.hpp"

#include <cstdint>
#include <vector>

namespace osslive::hls {
namespace {

// The RBSP bytes after `header` bytes of NAL header, up to `count`: 00 00 03 drops the 03.
std::vector<std::uint8_t> rbsp_prefix(std::string_view nal, std::size_t header, std::size_t count) {
  std::vector<std::uint8_t> out;
  int zeros = 0;
  for (std::size_t i = header; i < nal.size() && out.size() < count; ++i) {
    const auto byte = static_cast<std::uint8_t>(nal[i]);
    if (zeros >= 2 && byte == 0x03) {
      zeros = 0;
      continue;
    }
    zeros = byte == 0 ? zeros + 1 : 0;
    out.push_back(byte);
  }
  return out;
}

char hex_digit(unsigned v, bool upper) { return static_cast<char>(v < 10 ? '0' + v : (upper ? 'A' : 'a') + v - 10); }

std::string hex_byte(std::uint8_t v, bool upper) {
  return std::string{hex_digit(v >> 4, upper), hex_digit(v & 0x0f, upper)};
}

std::string hex_number(std::uint32_t v) {
  std::string out;
  do {
    out.insert(out.begin(), hex_digit(v & 0x0f, true));
    v >>= 4;
  } while (v != 0);
  return out;
}

std::uint32_t reverse_bits(std::uint32_t v) {
  std::uint32_t r = 0;
  for (int i = 0; i < 32; ++i) {
    r = (r << 1) | (v & 1u);
    v >>= 1;
  }
  return r;
}

}  // namespace

std::optional<std::string> avc1_codecs(std::string_view sps_nal) {
  if (sps_nal.empty() || (static_cast<std::uint8_t>(sps_nal[0]) & 0x1f) != 7) return std::nullopt;
  std::vector<std::uint8_t> b = rbsp_prefix(sps_nal, 1, 3);
  if (b.size() < 3) return std::nullopt;
  return "avc1." + hex_byte(b[0], false) + hex_byte(b[1], false) + hex_byte(b[2], false);
}

std::optional<std::string> hvc1_codecs(std::string_view sps_nal) {
  if (sps_nal.size() < 2 || ((static_cast<std::uint8_t>(sps_nal[0]) >> 1) & 0x3f) != 33) return std::nullopt;
  // sps_video_parameter_set_id(4) max_sub_layers_minus1(3) temporal_id_nesting(1), then the general
  // profile_tier_level: space(2) tier(1) profile_idc(5), 32 compatibility flags, 48 constraint
  // bits, level_idc(8).
  std::vector<std::uint8_t> b = rbsp_prefix(sps_nal, 2, 13);
  if (b.size() < 13) return std::nullopt;
  const unsigned space = b[1] >> 6;
  const bool high_tier = (b[1] >> 5) & 1u;
  const unsigned profile = b[1] & 0x1f;
  const std::uint32_t flags = (std::uint32_t{b[2]} << 24) | (std::uint32_t{b[3]} << 16) | (std::uint32_t{b[4]} << 8) | b[5];
  std::string out = "hvc1.";
  if (space > 0) out += static_cast<char>('A' + space - 1);
  out += std::to_string(profile) + "." + hex_number(reverse_bits(flags)) + "." + (high_tier ? "H" : "L") +
         std::to_string(b[12]);
  // Constraint bytes, trailing zero bytes left out.
  std::size_t last = 6;
  while (last > 0 && b[6 + last - 1] == 0) --last;
  for (std::size_t i = 0; i < last; ++i) out += "." + hex_byte(b[6 + i], true);
  return out;
}

std::string_view find_sps(std::string_view s, bool hevc) {
  std::size_t i = 0;
  while (i + 3 <= s.size()) {
    if (s[i] == 0 && s[i + 1] == 0 && s[i + 2] == 1) {
      const std::size_t start = i + 3;
      std::size_t end = start;
      while (end + 3 <= s.size() && !(s[end] == 0 && s[end + 1] == 0 && (s[end + 2] == 1 || (s[end + 2] == 0 && end + 3 < s.size() && s[end + 3] == 1)))) {
        ++end;
      }
      if (end + 3 > s.size()) end = s.size();
      if (start < s.size()) {
        const auto header = static_cast<std::uint8_t>(s[start]);
        const bool sps = hevc ? ((header >> 1) & 0x3f) == 33 : (header & 0x1f) == 7;
        if (sps) return s.substr(start, end - start);
      }
      i = end;
    } else {
      ++i;
    }
  }
  return {};
}

}  // namespace osslive::hls
