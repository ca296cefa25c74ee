#pragma once
// The GenerateVideoPlaylist request body (osslive extension, IMM names; docs/api.md): JSON in, typed
// and range-checked here; every violation is InvalidArgument naming the field by its JSON path
// ("Targets[1].Video.Bitrate"). Resolution against the probed source happens in renditions.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive::hls {

inline constexpr std::size_t kMaxTargets = 6;
inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;

struct OssUri {
  std::string bucket;
  std::string key;
  friend bool operator==(const OssUri&, const OssUri&) = default;
};
// "oss://bucket/key": both parts non-empty. `field` names the field in the error.
Result<OssUri> parse_oss_uri(std::string_view text, std::string_view field);

// Which source stream of a kind: the n-th stream of that kind (0 = first), or the first whose
// language tag matches (ISO 639-1 or 639-2, any case); neither: the first of that kind.
struct StreamSelector {
  std::optional<int> index;
  std::optional<std::string> language;
};

struct VideoTarget {
  std::string codec = "h264";                   // h264 | h265
  std::optional<int> width, height;             // Width/Height or Resolution "WxH"; both or neither
  std::optional<std::string> frame_rate;        // decimal text, (0, 240]
  std::optional<std::int64_t> bitrate;          // bit/s, exclusive with crf
  std::optional<int> crf;                       // [0, 51]
  std::optional<std::int64_t> max_bitrate;      // bit/s: the VBV cap (>= bitrate)
  std::optional<std::string> scale_type;        // stretch | crop | fill | fit, needs a size
  std::optional<std::string> pix_fmt;
};

struct AudioTarget {
  std::string codec = "aac";
  std::optional<std::int64_t> bitrate;          // bit/s
  std::optional<int> sample_rate;
  std::optional<int> channels;                  // [1, 8]
  StreamSelector stream;
  std::optional<std::string> name;              // EXT-X-MEDIA NAME (extension)
};

struct SubtitleTarget {
  std::string format = "webvtt";
  StreamSelector stream;                        // a text subtitle stream of the source...
  std::optional<OssUri> source;                 // ...or an external .srt/.vtt/.ass object
  std::optional<std::string> language;          // LANGUAGE of an external file (or a selector)
  std::optional<std::string> name;
};

struct Target {
  std::string field;                            // "Targets[i]", for errors
  std::variant<VideoTarget, AudioTarget, SubtitleTarget> media;
  std::optional<OssUri> uri;                    // media playlist; default derived from MasterURI
  std::optional<int> transcode_ahead;           // [10, 30] segments
  std::optional<std::int64_t> initial_transcode_ms;  // any; < 0 all, 0 none
};

struct VideoPlaylistRequest {
  OssUri source;
  OssUri master;
  std::int64_t source_start_ms = 0;             // SourceStartTime (s)
  std::int64_t source_duration_ms = 0;          // SourceDuration (s); 0: to the end
  std::int64_t segment_ms = 10'000;             // Duration, shared by every target
  std::vector<std::int64_t> initial_segments_ms;  // InitialSegments, shared by every target
  std::vector<Target> targets;                  // 1..kMaxTargets, at least one video
};

// Parses and checks the body. Unknown fields are refused, except IMM's ProjectName, UserData,
// Notification, CredentialConfig and Tags, which are accepted and ignored.
Result<VideoPlaylistRequest> parse_video_playlist_request(std::string_view json);

}  // namespace osslive::hls
