#pragma once
// GenerateVideoPlaylist planning (osslive extension, docs/api.md): each target of the request resolved against the
// probed source into a media playlist exactly like hls/m3u8 makes (manifest + plan), or a WebVTT
// playlist that follows the first video rendition's plan, and the master playlist over them.
// Every rendition shares one segment shape (Duration, InitialSegments) and the video renditions
// one frame rate, so their boundaries coincide.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/master.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/subtitle_manifest.hpp"
#include "osslive/hls/video_playlist_request.hpp"
#include "osslive/media/source_info.hpp"
#include "osslive/media/tracks.hpp"

namespace osslive::hls {

struct PlannedMedia {     // a video or an audio media playlist
  std::size_t target = 0;  // index in Targets
  std::string key;         // in the master's bucket
  Manifest manifest;
  SegmentPlan plan;
  std::string language;    // audio: RFC 5646 tag, may be empty
  std::string name;        // audio: EXT-X-MEDIA NAME
  bool is_default = false;
};

struct PlannedSubtitles {
  std::size_t target = 0;
  std::string key;
  SubtitleManifest manifest;
  SegmentPlan plan;
  std::string language;
  std::string name;
};

struct RenditionPlan {
  std::string bucket;      // of the master and every media playlist
  std::string master_key;
  std::string token;       // digest of every rendition's token
  std::vector<PlannedMedia> video;
  std::vector<PlannedMedia> audio;
  std::vector<PlannedSubtitles> subtitles;
};

struct SourceDescription {
  SourceRef ref;
  media::SourceInfo info;
  media::SourceTracks tracks;
};

// An external subtitle object named by a Subtitle target's SourceURI, already opened and probed.
struct ExternalSubtitles {
  SourceRef ref;
  media::SourceTracks tracks;
};

// `externals` maps a target index to its external subtitle object. Failures: InvalidArgument
// naming the field (a stream that does not exist, a bitmap subtitle stream, frame rates that
// differ, a playlist key outside the master's bucket or folder, two targets on one key).
Result<RenditionPlan> plan_renditions(const VideoPlaylistRequest& request, const SourceDescription& source,
                                      const std::map<std::size_t, ExternalSubtitles>& externals);

// The master over a plan. `video_codecs[i]` is the CODECS entry of plan.video[i] (codecs.hpp);
// bandwidths come from bandwidth.hpp.
MasterPlaylist compose_master(const RenditionPlan& plan, const std::vector<std::string>& video_codecs);

// The URI of `key` in a master at `master_key` (same bucket): relative to the master's folder,
// percent-encoded.
std::string relative_uri(std::string_view master_key, std::string_view key);

// Default AAC bit rate for a channel count when the request names none: 64 kbit/s a channel, at
// most 320 kbit/s.
std::int64_t default_audio_bitrate(int channels);

}  // namespace osslive::hls
