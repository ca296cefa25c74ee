#include "osslive/media/subtitle_reader.hpp"

#include <algorithm>

#include "av_raii.hpp"
#include "pinned_input.hpp"

namespace osslive::media {
namespace {

// A cue the stream gives no end for lasts until the next one, but no longer than this.
constexpr std::int64_t kOpenCueUs = 10'000'000;
// Packets of other streams this far past the window end mean the subtitle stream has nothing
// more to say about the window (containers interleave by time).
constexpr std::int64_t kReadPastUs = 5'000'000;

struct SubtitleDeleter {
  void operator()(AVSubtitle* subtitle) const {
    avsubtitle_free(subtitle);
    delete subtitle;
  }
};

std::int64_t to_us(std::int64_t ts, AVRational time_base) { return av_rescale_q(ts, time_base, AV_TIME_BASE_Q); }

// "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text": the Text field.
std::string_view ass_dialogue_text(std::string_view line) {
  for (int comma = 0; comma < 8; ++comma) {
    const std::size_t at = line.find(',');
    if (at == std::string_view::npos) return line;
    line.remove_prefix(at + 1);
  }
  return line;
}

std::string trim_lines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && (text[start] == '\n' || text[start] == ' ')) ++start;
  return text.substr(start);
}

Result<int> pick_stream(AVFormatContext* format, int wanted) {
  auto text_subtitle = [](const AVStream* stream) {
    const AVCodecDescriptor* d = avcodec_descriptor_get(stream->codecpar->codec_id);
    return d != nullptr && (d->props & AV_CODEC_PROP_TEXT_SUB) != 0;
  };
  if (wanted >= 0) {
    if (wanted >= static_cast<int>(format->nb_streams) || format->streams[wanted]->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE)
      return Error(Errc::InvalidArgument, "stream " + std::to_string(wanted) + " of the source is not a subtitle stream");
    if (!text_subtitle(format->streams[wanted]))
      return Error(Errc::InvalidArgument, "subtitle stream " + std::to_string(wanted) +
                                              " holds pictures, not text: it cannot become WebVTT");
    return wanted;
  }
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_SUBTITLE && text_subtitle(format->streams[i]))
      return static_cast<int>(i);
  }
  return Error(Errc::InvalidArgument, "the file has no text subtitle stream");
}

std::string cue_text(const AVSubtitle& subtitle) {
  std::string text;
  for (unsigned i = 0; i < subtitle.num_rects; ++i) {
    const AVSubtitleRect* rect = subtitle.rects[i];
    std::string part;
    if (rect->type == SUBTITLE_ASS && rect->ass != nullptr) part = ass_to_text(ass_dialogue_text(rect->ass));
    else if (rect->type == SUBTITLE_TEXT && rect->text != nullptr) part = rect->text;
    part = trim_lines(std::move(part));
    if (part.empty()) continue;
    if (!text.empty()) text += '\n';
    text += part;
  }
  return text;
}

}  // namespace

std::string ass_to_text(std::string_view ass) {
  std::string out;
  out.reserve(ass.size());
  for (std::size_t i = 0; i < ass.size(); ++i) {
    const char c = ass[i];
    if (c == '{') {
      const std::size_t close = ass.find('}', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (c == '\\' && i + 1 < ass.size()) {
      const char next = ass[i + 1];
      if (next == 'N' || next == 'n') {
        out += '\n';
        ++i;
        continue;
      }
      if (next == 'h') {
        out += ' ';
        ++i;
        continue;
      }
    }
    out += c;
  }
  return out;
}

Result<std::vector<SubtitleCue>> read_subtitle_cues(std::shared_ptr<const FileHandle> file,
                                                    const SubtitleReadOptions& options) {
  InputLimits limits;
  limits.deadline = options.deadline;
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open(std::move(file), limits));
  AVFormatContext* format = input.get();
  OSSLIVE_ASSIGN(const int index, pick_stream(format, options.stream_index));
  const AVStream* stream = format->streams[index];
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (codec == nullptr) return Error(Errc::InvalidArgument, "this build has no decoder for subtitle stream " + std::to_string(index));
  CodecContextPtr decoder(avcodec_alloc_context3(codec));
  if (!decoder) return Error(Errc::InternalError, "out of memory for a subtitle decoder");
  if (avcodec_parameters_to_context(decoder.get(), stream->codecpar) < 0)
    return Error(Errc::InternalError, "cannot set up the subtitle decoder");
  decoder->pkt_timebase = stream->time_base;
  if (int rc = avcodec_open2(decoder.get(), codec, nullptr); rc < 0)
    return Error(Errc::InvalidArgument, "cannot open the subtitle decoder: " + av_error_text(rc));

  if (options.seek && options.from_us != INT64_MIN) {
    const std::int64_t target = options.from_us - options.lookback_us;
    // A failed seek leaves the demuxer at the start: reading everything is slower, not wrong.
    if (target > 0) avformat_seek_file(format, -1, INT64_MIN, target, target, 0);
  }

  std::vector<SubtitleCue> cues;
  std::vector<std::size_t> open;  // cues waiting for the next start to end them
  PacketPtr packet(av_packet_alloc());
  if (!packet) return Error(Errc::InternalError, "out of memory for a subtitle packet");
  while (true) {
    const int rc = av_read_frame(format, packet.get());
    if (rc < 0) {
      if (input.interrupted()) return input.failure(rc);
      break;  // the end, or damage: what was read stands
    }
    const AVStream* from = format->streams[packet->stream_index];
    const std::int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
    if (packet->stream_index != index) {
      const bool past = ts != AV_NOPTS_VALUE && options.to_us != INT64_MAX &&
                        to_us(ts, from->time_base) > options.to_us + kReadPastUs;
      av_packet_unref(packet.get());
      if (past) break;
      continue;
    }
    if (ts == AV_NOPTS_VALUE) {
      av_packet_unref(packet.get());
      continue;
    }
    std::unique_ptr<AVSubtitle, SubtitleDeleter> subtitle(new AVSubtitle{});
    int got = 0;
    const int decoded = avcodec_decode_subtitle2(decoder.get(), subtitle.get(), &got, packet.get());
    const std::int64_t start = to_us(ts, stream->time_base);
    const std::int64_t duration = packet->duration;
    av_packet_unref(packet.get());
    for (std::size_t i : open) cues[i].end_us = std::min(cues[i].start_us + kOpenCueUs, std::max(start, cues[i].start_us + 1));
    open.clear();
    if (decoded >= 0 && got) {
      SubtitleCue cue;
      cue.start_us = start + static_cast<std::int64_t>(subtitle->start_display_time) * 1000;
      if (duration > 0) {
        cue.end_us = to_us(ts + duration, stream->time_base);
      } else if (subtitle->end_display_time > 0 && subtitle->end_display_time != UINT32_MAX) {
        cue.end_us = start + static_cast<std::int64_t>(subtitle->end_display_time) * 1000;
      } else {
        open.push_back(cues.size());
        cue.end_us = cue.start_us + kOpenCueUs;
      }
      cue.text = cue_text(*subtitle);
      if (!cue.text.empty() && cue.end_us > cue.start_us) cues.push_back(std::move(cue));
      else if (!open.empty() && open.back() == cues.size()) open.pop_back();
    }
    if (options.to_us != INT64_MAX && start > options.to_us) break;
  }
  std::stable_sort(cues.begin(), cues.end(), [](const SubtitleCue& a, const SubtitleCue& b) { return a.start_us < b.start_us; });
  std::erase_if(cues, [&](const SubtitleCue& c) { return c.end_us <= options.from_us || c.start_us >= options.to_us; });
  return cues;
}

}  // namespace osslive::media
