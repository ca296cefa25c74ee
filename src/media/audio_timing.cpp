#include "audio_timing.hpp"

#include <algorithm>
#include <cstring>

namespace osslive::media {
namespace {

// The side data layout of AV_PKT_DATA_SKIP_SAMPLES / AV_FRAME_DATA_SKIP_SAMPLES: samples to skip
// at the start (u32 LE), samples to discard at the end (u32 LE), two reason bytes.
constexpr std::size_t kTrimBytes = 10;

std::uint32_t read_le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

// A quarter of the short block named in the identification header ("\x01vorbis", the block
// sizes byte 28 bytes on): a Vorbis packet decodes to a quarter of the previous block plus a
// quarter of its own. Works on both extradata layouts (Xiph lacing and 16-bit sizes), which
// hold the header whole.
int vorbis_grid(const AVCodecParameters* par) {
  static constexpr std::uint8_t kMagic[] = {0x01, 'v', 'o', 'r', 'b', 'i', 's'};
  if (par->extradata == nullptr || par->extradata_size < 30) return 1;
  const std::uint8_t* begin = par->extradata;
  const std::uint8_t* end = begin + par->extradata_size;
  const std::uint8_t* at = std::search(begin, end, std::begin(kMagic), std::end(kMagic));
  if (end - at < 30) return 1;
  const int short_bits = at[28] & 0x0F;
  if (short_bits < 6 || short_bits > 13) return 1;
  return (1 << short_bits) / 4;
}

// WMA v1/v2 frames are 2^frame_len_bits samples (libavcodec's ff_wma_get_frame_len_bits).
int wma_grid(const AVCodecParameters* par) {
  const bool v1 = par->codec_id == AV_CODEC_ID_WMAV1;
  if (par->sample_rate <= 16000) return 512;
  if (par->sample_rate <= 22050 || (par->sample_rate <= 32000 && v1)) return 1024;
  return 2048;
}

}  // namespace

int audio_packet_grid(const AVCodecParameters* par, int sample_rate) {
  switch (par->codec_id) {
    case AV_CODEC_ID_OPUS:
      return std::max(1, sample_rate / 400);  // Opus frames are multiples of 2.5 ms
    case AV_CODEC_ID_VORBIS:
      return vorbis_grid(par);
    case AV_CODEC_ID_AC3:
      return 1536;
    case AV_CODEC_ID_EAC3:
      return 256;  // 1, 2, 3 or 6 blocks of 256
    case AV_CODEC_ID_WMAV1:
    case AV_CODEC_ID_WMAV2:
      return wma_grid(par);
    default:
      // Fixed-size frames (AAC 1024, MP3 and MP2 1152 or 576) as the probe found them.
      return std::max(1, par->frame_size);
  }
}

Status state_packet_trim(AVPacket* packet, bool keep_decoder_trim) {
  if (keep_decoder_trim || av_packet_get_side_data(packet, AV_PKT_DATA_SKIP_SAMPLES, nullptr) != nullptr) return {};
  std::uint8_t* data = av_packet_new_side_data(packet, AV_PKT_DATA_SKIP_SAMPLES, kTrimBytes);
  if (data == nullptr) return Error(Errc::InternalError, "out of memory while decoding");
  std::memset(data, 0, kTrimBytes);
  return {};
}

void read_frame_trim(const AVFrame* frame, DecodedFrame& out) {
  out.discard = (frame->flags & AV_FRAME_FLAG_DISCARD) != 0;
  const AVFrameSideData* side = av_frame_get_side_data(frame, AV_FRAME_DATA_SKIP_SAMPLES);
  if (side == nullptr || side->size < kTrimBytes) return;
  out.trim_front = static_cast<int>(std::min<std::uint32_t>(read_le32(side->data), INT32_MAX));
  out.trim_back = static_cast<int>(std::min<std::uint32_t>(read_le32(side->data + 4), INT32_MAX));
}

}  // namespace osslive::media
