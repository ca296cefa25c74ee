#pragma once
// One WebVTT segment of a subtitle playlist (GenerateVideoPlaylist): the cues that overlap the
// segment's time range, on the output timeline, with an X-TIMESTAMP-MAP that pins output time 0
// to the MPEG-TS timestamp the video and audio segments give it, so cues line up with the picture.
// A cue across a boundary appears in both segments, with its full times (players merge them).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/subtitle_manifest.hpp"
#include "osslive/media/subtitle_reader.hpp"

namespace osslive::transcode {

// The 90 kHz timestamp of output time 0 in every TS segment (the transcoder's constant offset).
std::int64_t webvtt_mpegts_offset();

// Cues overlapping [start_us, end_us) (output microseconds), in start order, times unchanged.
std::vector<media::SubtitleCue> cues_in_window(const std::vector<media::SubtitleCue>& cues, std::int64_t start_us,
                                               std::int64_t end_us);

// "HH:MM:SS.mmm", rounded to the millisecond; negative times clamp to 0.
std::string format_webvtt_time(std::int64_t us);

// Cue text made safe for WebVTT: '&', '<', '>' escaped, invalid UTF-8 replaced by U+FFFD, blank
// lines (which would end the cue) dropped, "-->" broken up.
std::string escape_webvtt_text(std::string_view text);

// The whole segment: "WEBVTT", the X-TIMESTAMP-MAP header, then each cue (output times).
std::string render_webvtt(const std::vector<media::SubtitleCue>& cues);

// Segment `index` of `plan` (made from manifest.timing) from the subtitle source `file`.
Result<std::string> make_subtitle_segment(const hls::SubtitleManifest& manifest, const hls::SegmentPlan& plan,
                                          std::int64_t index, std::shared_ptr<const FileHandle> file,
                                          std::chrono::steady_clock::time_point deadline);

}  // namespace osslive::transcode
