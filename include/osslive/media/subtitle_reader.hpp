#pragma once
// Text cues of one subtitle stream (SRT, ASS/SSA, mov_text, WebVTT; in MKV, MP4 or on their own),
// decoded with libavcodec to plain text, for WebVTT renditions.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"

namespace osslive::media {

struct SubtitleCue {
  std::int64_t start_us = 0;  // presentation time on the source's own timeline
  std::int64_t end_us = 0;    // > start_us
  std::string text;           // plain UTF-8 text, lines joined by '\n'; ASS override tags removed
};

struct SubtitleReadOptions {
  int stream_index = -1;      // container stream index; -1: the first text subtitle stream
  // Only cues that end after `from_us` and start before `to_us` are wanted. With seek, reading
  // starts at a seek point `lookback_us` before from_us (a cue that starts earlier than that is
  // not seen); without, the whole stream is read (small subtitle files).
  std::int64_t from_us = INT64_MIN;
  std::int64_t to_us = INT64_MAX;
  bool seek = false;
  std::int64_t lookback_us = 20'000'000;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Cues in start order. A cue without a duration lasts until the next one starts (at most 10 s).
// Bitmap subtitles (PGS, DVB, VobSub) or a missing stream: InvalidArgument.
Result<std::vector<SubtitleCue>> read_subtitle_cues(std::shared_ptr<const FileHandle> file,
                                                    const SubtitleReadOptions& options);

// ASS dialogue text to plain text: {...} override blocks removed, \N and \n to line breaks, \h to
// a space. Exposed for tests.
std::string ass_to_text(std::string_view ass_text);

}  // namespace osslive::media
