#pragma once
// Everything the live layer asks of libav, behind one interface: describing a source, the CODECS
// of a rendition, and making one TS or WebVTT segment. LibavBackend is the real one (media/ and
// transcode/); the live layer's unit tests give a fake, so its handlers run without libav.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "osslive/core/config.hpp"
#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/subtitle_manifest.hpp"
#include "osslive/media/source_info.hpp"
#include "osslive/media/tracks.hpp"

namespace osslive::live {

// What one segment job is given besides its playlist: when it must be done (on the caller's
// clock), and where it may pause between pictures for a player's job.
struct SegmentJobTiming {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::function<void()> pause;
};

class MediaBackend {
 public:
  virtual ~MediaBackend() = default;

  // media::probe / media::probe_tracks of a pinned source, within the configured limits.
  virtual Result<media::SourceInfo> probe(std::shared_ptr<const FileHandle> source) = 0;
  virtual Result<media::SourceTracks> probe_tracks(std::shared_ptr<const FileHandle> source) = 0;
  // The master playlist's CODECS entry ("avc1.64001f") of a video rendition, read from what the
  // segment jobs' encoder settings really write.
  virtual Result<std::string> video_codecs(const hls::VideoParams& params) = 0;
  // Segment `index` of a media playlist as MPEG-TS, handed to `sink` as it is produced.
  virtual Status make_segment(const hls::Manifest& manifest, const hls::SegmentPlan& plan, std::int64_t index,
                              std::shared_ptr<const FileHandle> source, const SegmentJobTiming& timing,
                              const std::function<Status(std::string_view bytes)>& sink) = 0;
  // Segment `index` of a subtitle playlist as WebVTT text.
  virtual Result<std::string> make_subtitle_segment(const hls::SubtitleManifest& manifest, const hls::SegmentPlan& plan,
                                                    std::int64_t index, std::shared_ptr<const FileHandle> source,
                                                    const SegmentJobTiming& timing) = 0;
};

// The real backend: probe limits and encoder presets from the transcode configuration.
class LibavBackend final : public MediaBackend {
 public:
  explicit LibavBackend(const TranscodeConfig& config);

  Result<media::SourceInfo> probe(std::shared_ptr<const FileHandle> source) override;
  Result<media::SourceTracks> probe_tracks(std::shared_ptr<const FileHandle> source) override;
  Result<std::string> video_codecs(const hls::VideoParams& params) override;
  Status make_segment(const hls::Manifest& manifest, const hls::SegmentPlan& plan, std::int64_t index,
                      std::shared_ptr<const FileHandle> source, const SegmentJobTiming& timing,
                      const std::function<Status(std::string_view bytes)>& sink) override;
  Result<std::string> make_subtitle_segment(const hls::SubtitleManifest& manifest, const hls::SegmentPlan& plan,
                                            std::int64_t index, std::shared_ptr<const FileHandle> source,
                                            const SegmentJobTiming& timing) override;

 private:
  TranscodeConfig config_;
  media::ProbeLimits limits_;
};

}  // namespace osslive::live
