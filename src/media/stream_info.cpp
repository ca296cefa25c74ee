#include "stream_info.hpp"

#include <cmath>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

namespace osslive::media {
namespace {

Rational to_rational(AVRational r) { return Rational{r.num, r.den}; }

std::string field_order_name(AVFieldOrder order) {
  switch (order) {
    case AV_FIELD_PROGRESSIVE: return "progressive";
    case AV_FIELD_TT: return "tt";
    case AV_FIELD_BB: return "bb";
    case AV_FIELD_TB: return "tb";
    case AV_FIELD_BT: return "bt";
    default: return "unknown";
  }
}

// The display matrix holds the counter-clockwise angle; what must be applied is its opposite,
// snapped to quarter turns (the same rule as the ffmpeg CLI's autorotate).
int rotation_of(const AVStream* stream) {
  std::size_t size = 0;
  const std::uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (matrix == nullptr || size < 9 * sizeof(std::int32_t)) return 0;
  double angle = -av_display_rotation_get(reinterpret_cast<const std::int32_t*>(matrix));
  if (!std::isfinite(angle)) return 0;
  long quarter_turns = std::lround(angle / 90.0);
  return static_cast<int>(((quarter_turns % 4) + 4) % 4) * 90;
}

// The members every stream description has, whatever its type.
template <typename Info>
void read_common(const AVStream* stream, Info& info) {
  info.index = stream->index;
  info.codec = codec_name(stream->codecpar->codec_id);
  info.time_base = to_rational(stream->time_base);
  info.start_us = to_us(stream->start_time, stream->time_base);
  info.bit_rate = stream->codecpar->bit_rate > 0 ? stream->codecpar->bit_rate : 0;
}

}  // namespace

std::string codec_name(AVCodecID id) {
  const char* name = avcodec_get_name(id);
  return name != nullptr ? name : "unknown";
}

std::string stream_tag(const AVStream* stream, const char* name) {
  const AVDictionaryEntry* entry = av_dict_get(stream->metadata, name, nullptr, 0);
  return entry != nullptr && entry->value != nullptr ? entry->value : "";
}

std::int64_t to_us(std::int64_t ts, AVRational time_base) {
  if (ts == AV_NOPTS_VALUE || time_base.num <= 0 || time_base.den <= 0) return 0;
  return av_rescale_q(ts, time_base, AV_TIME_BASE_Q);
}

VideoStreamInfo video_stream_info(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  VideoStreamInfo v;
  read_common(stream, v);
  v.width = par->width;
  v.height = par->height;
  AVRational sar = stream->sample_aspect_ratio.num > 0 ? stream->sample_aspect_ratio : par->sample_aspect_ratio;
  if (sar.num > 0 && sar.den > 0) v.sample_aspect_ratio = to_rational(sar);
  const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
  if (pix != nullptr) v.pix_fmt = pix;
  v.avg_frame_rate = to_rational(stream->avg_frame_rate);
  v.r_frame_rate = to_rational(stream->r_frame_rate);
  v.rotation = rotation_of(stream);
  v.has_b_frames = par->video_delay;
  v.field_order = field_order_name(par->field_order);
  return v;
}

AudioStreamInfo audio_stream_info(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  AudioStreamInfo a;
  read_common(stream, a);
  a.sample_rate = par->sample_rate;
  a.channels = par->ch_layout.nb_channels;
  char layout[128] = {};
  if (par->ch_layout.nb_channels > 0 && av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0) {
    a.channel_layout = layout;
  }
  return a;
}

bool usable_video(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  if (par->codec_type != AVMEDIA_TYPE_VIDEO || (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) != 0) return false;
  return par->width > 0 && par->height > 0 && avcodec_find_decoder(par->codec_id) != nullptr;
}

bool usable_audio(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  return par->codec_type == AVMEDIA_TYPE_AUDIO && par->sample_rate > 0 && par->ch_layout.nb_channels > 0 &&
         avcodec_find_decoder(par->codec_id) != nullptr;
}

}  // namespace osslive::media
