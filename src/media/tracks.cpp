#include "osslive/media/tracks.hpp"

#include "av_raii.hpp"
#include "pinned_input.hpp"
#include "stream_info.hpp"

namespace osslive::media {
namespace {

AudioTrackInfo audio_track(const AVStream* stream) {
  AudioTrackInfo t;
  t.stream = audio_stream_info(stream);
  t.language = stream_tag(stream, "language");
  t.title = stream_tag(stream, "title");
  t.is_default = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
  t.usable = usable_audio(stream);
  return t;
}

SubtitleTrackInfo subtitle_track(const AVStream* stream) {
  const AVCodecParameters* par = stream->codecpar;
  SubtitleTrackInfo t;
  t.index = stream->index;
  t.codec = codec_name(par->codec_id);
  t.language = stream_tag(stream, "language");
  t.title = stream_tag(stream, "title");
  t.is_default = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
  const AVCodecDescriptor* descriptor = avcodec_descriptor_get(par->codec_id);
  t.text = descriptor != nullptr && (descriptor->props & AV_CODEC_PROP_TEXT_SUB) != 0 &&
           avcodec_find_decoder(par->codec_id) != nullptr;
  return t;
}

}  // namespace

Result<SourceTracks> probe_tracks(std::shared_ptr<const FileHandle> file, const ProbeLimits& limits) {
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open_probed(std::move(file), limits));
  AVFormatContext* format = input.get();
  SourceTracks tracks;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVStream* stream = format->streams[i];
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) tracks.audio.push_back(audio_track(stream));
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE) tracks.subtitles.push_back(subtitle_track(stream));
  }
  return tracks;
}

}  // namespace osslive::media
