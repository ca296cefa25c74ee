#include "osslive/media/tracks.hpp"

#include "av_raii.hpp"
#include "pinned_input.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace osslive::media {
namespace {

std::string tag(const AVStream* stream, const char* name) {
  const AVDictionaryEntry* entry = av_dict_get(stream->metadata, name, nullptr, 0);
  return entry != nullptr && entry->value != nullptr ? entry->value : "";
}

std::string codec_name(AVCodecID id) {
  const char* name = avcodec_get_name(id);
  return name != nullptr ? name : "unknown";
}

AudioTrackInfo audio_track(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  AudioTrackInfo t;
  t.stream.index = stream->index;
  t.stream.codec = codec_name(par->codec_id);
  t.stream.sample_rate = par->sample_rate;
  t.stream.channels = par->ch_layout.nb_channels;
  char layout[128] = {};
  if (par->ch_layout.nb_channels > 0 && av_channel_layout_describe(&par->ch_layout, layout, sizeof layout) > 0) {
    t.stream.channel_layout = layout;
  }
  t.stream.bit_rate = par->bit_rate > 0 ? par->bit_rate : 0;
  if (stream->start_time != AV_NOPTS_VALUE && stream->time_base.num > 0 && stream->time_base.den > 0) {
    t.stream.start_us = av_rescale_q(stream->start_time, stream->time_base, AV_TIME_BASE_Q);
  }
  t.stream.time_base = Rational{stream->time_base.num, stream->time_base.den};
  t.language = tag(stream, "language");
  t.title = tag(stream, "title");
  t.is_default = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
  t.usable = par->sample_rate > 0 && par->ch_layout.nb_channels > 0 && avcodec_find_decoder(par->codec_id) != nullptr;
  return t;
}

SubtitleTrackInfo subtitle_track(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  SubtitleTrackInfo t;
  t.index = stream->index;
  t.codec = codec_name(par->codec_id);
  t.language = tag(stream, "language");
  t.title = tag(stream, "title");
  t.is_default = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get(par->codec_id);
  t.text = descriptor != nullptr && (descriptor->props & AV_CODEC_PROP_TEXT_SUB) != 0 &&
           avcodec_find_decoder(par->codec_id) != nullptr;
  return t;
}

}  // namespace

Result<SourceTracks> probe_tracks(std::shared_ptr<const FileHandle> file, const ProbeLimits& limits) {
  InputLimits input_limits;
  input_limits.probesize = limits.probesize;
  input_limits.analyzeduration_us = limits.analyzeduration_us;
  input_limits.deadline = std::chrono::steady_clock::now() + limits.timeout;
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open(std::move(file), input_limits));
  AVFormatContext* format = input.get();
  if (static_cast<std::int64_t>(format->nb_streams) > limits.max_streams) {
    return Error(Errc::InvalidArgument, "source has " + std::to_string(format->nb_streams) +
                                            " streams, more than the limit of " + std::to_string(limits.max_streams));
  }
  OSSLIVE_TRY(input.find_stream_info(limits.max_width, limits.max_height,
                                     static_cast<std::int64_t>(limits.max_width) * limits.max_height));
  SourceTracks tracks;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) tracks.audio.push_back(audio_track(stream));
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) tracks.subtitles.push_back(subtitle_track(stream));
  }
  return tracks;
}

}  // namespace osslive::media
