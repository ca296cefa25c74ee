#pragma once
// WebVTT subtitle renditions (GenerateVideoPlaylist): the playlist carries, on the same
// "#OSSLIVE-MANIFEST:" line as media playlists (so hls/sign strips it), what hls/ts needs to cut
// any .vtt segment: the subtitle source, its stream, and the video manifest whose segment plan
// the subtitles follow, so their boundaries coincide with the video's.
#include <cstdint>
#include <string>
#include <string_view>

#include "osslive/core/result.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::hls {

struct SubtitleManifest {
  int version = kManifestVersion;
  SourceRef source;       // the video source (an embedded stream) or an external subtitle object
  int stream_index = -1;  // container stream index; -1: the first text subtitle stream
  bool external = false;  // an external file (read whole; not seekable by time)
  // The source time (microseconds) of the subtitles' time 0: 0 for a stream of the source (its
  // timestamps are the source's); for an external file, the start of the source's video stream,
  // so "00:00:01" is the second second of the picture whatever timestamp the container starts at.
  std::int64_t zero_us = 0;
  std::string token;      // 32 hex
  Manifest timing;        // the video rendition: its plan is this playlist's plan
};

// The subtitle time (microseconds, on the timeline read_subtitle_cues reports) of output time 0.
std::int64_t subtitle_base_us(const SubtitleManifest& manifest);

std::string subtitle_manifest_line(const SubtitleManifest& manifest);
// The manifest of a subtitle playlist; InvalidArgument for any other text (a media playlist's
// manifest included).
Result<SubtitleManifest> parse_subtitle_manifest(std::string_view playlist_text);

// The playlist object: like render_playlist, with "P-<token>-<n>.vtt" segments.
std::string render_subtitle_playlist(const SubtitleManifest& manifest, const SegmentPlan& plan,
                                     std::string_view playlist_key);

}  // namespace osslive::hls
