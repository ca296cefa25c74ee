#pragma once
// Every audio and subtitle stream of a source with what a master playlist needs to offer them
// (language, title, default flag), for GenerateVideoPlaylist's alternate renditions. probe()
// describes only the first stream of each kind.
#include <memory>
#include <string>
#include <vector>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/media/source_info.hpp"

namespace osslive::media {

struct AudioTrackInfo {
  AudioStreamInfo stream;
  std::string language;   // "language" tag as stored (often ISO 639-2, "eng"); may be empty
  std::string title;
  bool is_default = false;
  bool usable = false;    // a decoder exists and the rate and channels are known
};

struct SubtitleTrackInfo {
  int index = -1;         // container stream index
  std::string codec;      // "subrip", "ass", "mov_text", "webvtt", "hdmv_pgs_subtitle", ...
  std::string language;
  std::string title;
  bool is_default = false;
  bool text = false;      // a text format that decodes to text (not pictures)
};

struct SourceTracks {
  std::vector<AudioTrackInfo> audio;         // in container order
  std::vector<SubtitleTrackInfo> subtitles;  // in container order
};

// Opens the pinned file and lists its audio and subtitle streams. Works on subtitle-only files
// (.srt, .vtt, .ass objects) too. Not a media file: InvalidArgument.
Result<SourceTracks> probe_tracks(std::shared_ptr<const FileHandle> file, const ProbeLimits& limits = {});

}  // namespace osslive::media
