#include "osslive/media/probe.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "av_raii.hpp"
#include "pinned_input.hpp"
#include "stream_info.hpp"

namespace osslive::media {
namespace {

std::string media_type_name(AVMediaType type) {
  const char* name = av_get_media_type_string(type);
  return name != nullptr ? name : "unknown";
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
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open_probed(std::move(file), limits));
  AVFormatContext* format = input.get();
  OSSLIVE_TRY(check_index_within_file(format, file_size));

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
    summary.language = stream_tag(stream, "language");
    info.streams.push_back(std::move(summary));

    if (par->codec_type == AVMEDIA_TYPE_VIDEO && (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      ++info.video_streams;
    } else if (par->codec_type == AVMEDIA_TYPE_AUDIO) {
      ++info.audio_streams;
    } else if (par->codec_type == AVMEDIA_TYPE_SUBTITLE) {
      ++info.subtitle_streams;
    }
    if (!info.video && usable_video(stream)) info.video = video_stream_info(stream);
    if (!info.audio && usable_audio(stream)) info.audio = audio_stream_info(stream);
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
