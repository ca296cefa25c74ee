#include "osslive/transcode/subtitle_segment.hpp"

#include <algorithm>

#include "osslive/core/exact.hpp"
#include "video_track.hpp"

namespace osslive::transcode {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (c < 0x80) return 1;
  if ((c & 0xe0) == 0xc0) n = 2, min = 0x80;
  else if ((c & 0xf0) == 0xe0) n = 3, min = 0x800;
  else if ((c & 0xf8) == 0xf0) n = 4, min = 0x10000;
  else return 0;
  if (i + n > s.size()) return 0;
  std::uint32_t cp = c & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

std::string two(std::int64_t v) { return std::to_string(100 + v).substr(1); }

}  // namespace

std::int64_t webvtt_mpegts_offset() { return kTimestampOffset; }

std::vector<media::SubtitleCue> cues_in_window(const std::vector<media::SubtitleCue>& cues, std::int64_t start_us,
                                               std::int64_t end_us) {
  std::vector<media::SubtitleCue> out;
  for (const media::SubtitleCue& cue : cues) {
    if (cue.end_us > start_us && cue.start_us < end_us) out.push_back(cue);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.start_us < b.start_us; });
  return out;
}

std::string format_webvtt_time(std::int64_t us) {
  const std::int64_t ms = us <= 0 ? 0 : (us + 500) / 1000;
  const std::int64_t hours = ms / 3'600'000;
  return (hours < 10 ? "0" : "") + std::to_string(hours) + ":" + two(ms / 60'000 % 60) + ":" + two(ms / 1000 % 60) + "." +
         std::to_string(1000 + ms % 1000).substr(1);
}

std::string escape_webvtt_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  std::string line;
  auto flush_line = [&] {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (line.empty()) return;  // a blank line would end the cue
    if (!out.empty()) out += '\n';
    out += line;
    line.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') {
      flush_line();
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      line += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (c == '&') line += "&amp;";
    else if (c == '<') line += "&lt;";
    else if (c == '>') line += "&gt;";  // also breaks up "-->"
    else if (c != '\r' && c != '\0') line.append(text.substr(i, n));
    i += n;
  }
  flush_line();
  return out;
}

std::string render_webvtt(const std::vector<media::SubtitleCue>& cues) {
  std::string text = "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:" + std::to_string(kTimestampOffset) + ",LOCAL:00:00:00.000\n";
  for (const media::SubtitleCue& cue : cues) {
    std::string body = escape_webvtt_text(cue.text);
    if (body.empty()) continue;
    text += "\n" + format_webvtt_time(cue.start_us) + " --> " + format_webvtt_time(cue.end_us) + "\n" + body + "\n";
  }
  return text;
}

Result<std::string> make_subtitle_segment(const hls::SubtitleManifest& manifest, const hls::SegmentPlan& plan,
                                          std::int64_t index, std::shared_ptr<const FileHandle> file,
                                          std::chrono::steady_clock::time_point deadline) {
  if (index < 0 || index >= static_cast<std::int64_t>(plan.segments.size()))
    return Error(Errc::InvalidArgument, "segment " + std::to_string(index) + " is not in the playlist");
  const hls::Segment& segment = plan.segments[static_cast<std::size_t>(index)];
  // The video frames' instants: the segment holds [first / F, (first + frames) / F).
  const media::Rational rate = plan.frame_rate;
  if (!rate.positive()) return Error(Errc::InvalidArgument, "subtitle timing has no video frame rate");
  const std::int64_t start = exact::micros(segment.first_video_frame, rate.num, rate.den);
  const std::int64_t end = exact::micros(segment.first_video_frame + segment.video_frames, rate.num, rate.den);
  const std::int64_t base = hls::subtitle_base_us(manifest);
  media::SubtitleReadOptions options;
  options.stream_index = manifest.stream_index;
  options.from_us = base + start;
  options.to_us = base + end;
  options.seek = !manifest.external;
  options.deadline = deadline;
  OSSLIVE_ASSIGN(std::vector<media::SubtitleCue> cues, media::read_subtitle_cues(std::move(file), options));
  for (media::SubtitleCue& cue : cues) {
    cue.start_us -= base;
    cue.end_us -= base;
  }
  return render_webvtt(cues_in_window(cues, start, end));
}

}  // namespace osslive::transcode
