#pragma once
// What the container says of one stream, read the same way by the probe (one video and one audio
// stream for transcoding) and by the track listing of GenerateVideoPlaylist (every stream).
#include <cstdint>
#include <string>

#include "osslive/media/source_info.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

namespace osslive::media {

std::string codec_name(AVCodecID id);
std::string stream_tag(const AVStream* stream, const char* name);  // "" when absent
// A timestamp in the stream's time base as microseconds; 0 when unknown.
std::int64_t to_us(std::int64_t ts, AVRational time_base);

VideoStreamInfo video_stream_info(const AVStream* stream);
AudioStreamInfo audio_stream_info(const AVStream* stream);

// A stream the transcoder can use: known dimensions / rate and a decoder in this build.
bool usable_video(const AVStream* stream);
bool usable_audio(const AVStream* stream);

}  // namespace osslive::media
