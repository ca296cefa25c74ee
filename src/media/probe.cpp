#include "osslive/media/probe.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "av_raii.hpp"
#include "pinned_input.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

namespace osslive::media {
namespace {

Rational to_rational(AVRational r) { return Rational{r.num, r.den}; }

std::int64_t to_us(std::int64_t ts, AVRational time_base) {
  if (ts == AV_NOPTS_VALUE || time_base.num <= 0 || time_base.den <= 0) return 0;
  return av_rescale_q(ts, time_base, AV_TIME_BASE_Q);
}

std::string codec_name(AVCodecID id) {
  const char* name = avcodec_get_name(id);
  return name != nullptr ? name : "unknown";
}

std::string media_type_name(AVMediaType type) {
  const char* name = av_get_media_type_string(type);
  return name != nullptr ? name : "unknown";
}

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

VideoStreamInfo video_info(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  VideoStreamInfo v;
  v.index = stream->index;
  v.codec = codec_name(par->codec_id);
  v.width = par->width;
  v.height = par->height;
  AVRational sar = stream->sample_aspect_ratio.num > 0 ? stream->sample_aspect_ratio : par->sample_aspect_ratio;
  if (sar.num > 0 && sar.den > 0) v.sample_aspect_ratio = to_rational(sar);
  const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
  if (pix != nullptr) v.pix_fmt = pix;
  v.avg_frame_rate = to_rational(stream->avg_frame_rate);
  v.r_frame_rate = to_rational(stream->r_frame_rate);
  v.time_base = to_rational(stream->time_base);
  v.start_us = to_us(stream->start_time, stream->time_base);
  v.bit_rate = par->bit_rate > 0 ? par->bit_rate : 0;
  v.rotation = rotation_of(stream);
  v.has_b_frames = par->video_delay;
  v.field_order = field_order_name(par->field_order);
  return v;
}

AudioStreamInfo audio_info(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  AudioStreamInfo a;
  a.index = stream->index;
  a.codec = codec_name(par->codec_id);
  a.sample_rate = par->sample_rate;
  a.channels = par->ch_layout.nb_channels;
  char layout[128] = {};
  if (par->ch_layout.nb_channels > 0 && av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0) {
    a.channel_layout = layout;
  }
  a.bit_rate = par->bit_rate > 0 ? par->bit_rate : 0;
  a.start_us = to_us(stream->start_time, stream->time_base);
  a.time_base = to_rational(stream->time_base);
  return a;
}

// A stream the transcoder can use: known dimensions / rate and a decoder in this build.
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

Error over_limit(const std::string& what) { return Error(Errc::InvalidArgument, "source " + what); }

// Containers with a full sample index (MP4/MOV) say where every packet lies. An index that
// points past the end of the file means the file was cut short: refused here, at once, rather
// than segment after segment.
Status check_index_within_file(AVFormatContext* format, std::uint64_t file_size) {
  std::int64_t end = 0;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    AVStream* stream = format->streams[i];
    const int count = avformat_index_get_entries_count(stream);
    for (int e = count - 1; e >= 0 && e >= count - 64; --e) {  // the last entries reach furthest
      const AVIndexEntry* entry = avformat_index_get_entry(stream, e);
      if (entry != nullptr && entry->pos >= 0) end = std::max(end, entry->pos + entry->size);
    }
  }
  if (end > static_cast<std::int64_t>(file_size)) {
    return Error(Errc::InvalidArgument, "source is truncated: its index points " +
                                            std::to_string(end - static_cast<std::int64_t>(file_size)) +
                                            " bytes past the end of the file (" + std::to_string(file_size) +
                                            " bytes)");
  }
  return {};
}

}  // namespace

Result<SourceInfo> probe(std::shared_ptr<const FileHandle> file, const ProbeLimits& limits) {
  OSSLIVE_ASSIGN(std::uint64_t file_size, file->size());
  InputLimits input_limits;
  input_limits.probesize = limits.probesize;
  input_limits.analyzeduration_us = limits.analyzeduration_us;
  input_limits.deadline = std::chrono::steady_clock::now() + limits.timeout;
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open(std::move(file), input_limits));

  AVFormatContext* format = input.get();
  // Checked before stream info, which opens a decoder per stream.
  if (static_cast<std::int64_t>(format->nb_streams) > limits.max_streams) {
    return over_limit("has " + std::to_string(format->nb_streams) + " streams, more than the limit of " +
                      std::to_string(limits.max_streams));
  }
  OSSLIVE_TRY(input.find_stream_info(limits.max_width, limits.max_height,
                                     static_cast<std::int64_t>(limits.max_width) * limits.max_height));
  OSSLIVE_TRY(check_index_within_file(format, file_size));
  if (static_cast<std::int64_t>(format->nb_streams) > limits.max_streams) {
    return over_limit("has " + std::to_string(format->nb_streams) + " streams, more than the limit of " +
                      std::to_string(limits.max_streams));
  }

  SourceInfo info;
  info.format = format->iformat != nullptr && format->iformat->name != nullptr ? format->iformat->name : "unknown";
  info.start_us = format->start_time != AV_NOPTS_VALUE ? format->start_time : 0;
  std::int64_t longest_stream_us = 0;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    const AVCodecParameters* par = stream->codecpar;
    StreamSummary summary;
    summary.index = stream->index;
    summary.type = media_type_name(par->codec_type);
    summary.codec = codec_name(par->codec_id);
    if (const AVDictionaryEntry* lang = av_dict_get(stream->metadata, "language", nullptr, 0)) summary.language = lang->value;
    info.streams.push_back(std::move(summary));

    if (par->codec_type == AVMEDIA_TYPE_VIDEO && (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      ++info.video_streams;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
      ++info.audio_streams;
    } else if (par->codec_type == AVMEDIA_TYPE_SUBTITLE) {
      ++info.subtitle_streams;
    }
    if (!info.video && usable_video(stream)) info.video = video_info(stream);
    if (!info.audio && usable_audio(stream)) info.audio = audio_info(stream);
    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
      longest_stream_us = std::max(longest_stream_us, to_us(stream->duration, stream->time_base));
    }
  }

  if (!info.video && !info.audio) {
    return Error(Errc::InvalidArgument,
                 "source is not a readable media file: it has no decodable audio or video stream");
  }
  info.duration_us = format->duration != AV_NOPTS_VALUE && format->duration > 0 ? format->duration : longest_stream_us;
  if (info.duration_us <= 0) {
    return Error(Errc::InvalidArgument, "source duration is unknown: the container and its streams do not say how long it is");
  }
  if (info.duration_us > limits.max_duration_us) {
    return over_limit("duration " + std::to_string(info.duration_us / 1000) + " ms is longer than the limit of " +
                      std::to_string(limits.max_duration_us / 1000) + " ms");
  }
  if (info.video && (info.video->width > limits.max_width || info.video->height > limits.max_height)) {
    return over_limit("video size " + std::to_string(info.video->width) + "x" + std::to_string(info.video->height) +
                      " is larger than the limit of " + std::to_string(limits.max_width) + "x" +
                      std::to_string(limits.max_height));
  }
  return info;
}

}  // namespace osslive::media
