#include "osslive/hls/codecs.hpp"
#include "osslive/live/media_backend.hpp"
#include "osslive/media/codec_probe.hpp"
#include "osslive/media/probe.hpp"
#include "osslive/transcode/encoder_settings.hpp"
#include "osslive/transcode/segment_transcoder.hpp"
#include "osslive/transcode/subtitle_segment.hpp"

namespace osslive::live {
namespace {

transcode::TranscodeOptions transcode_options(const TranscodeConfig& config) {
  transcode::TranscodeOptions options;
  options.threads = config.threads_per_job;
  options.x264_preset = config.x264_preset;
  options.x265_preset = config.x265_preset;
  return options;
}

}  // namespace

LibavBackend::LibavBackend(const TranscodeConfig& config) : config_(config) {
  limits_.max_width = config.max_source_width;
  limits_.max_height = config.max_source_height;
  limits_.max_duration_us = config.max_source_duration_ms * 1000;
  limits_.max_streams = config.max_source_streams;
}

Result<media::SourceInfo> LibavBackend::probe(std::shared_ptr<const FileHandle> source) {
  return media::probe(std::move(source), limits_);
}

Result<media::SourceTracks> LibavBackend::probe_tracks(std::shared_ptr<const FileHandle> source) {
  return media::probe_tracks(std::move(source), limits_);
}

Result<std::string> LibavBackend::video_codecs(const hls::VideoParams& params) {
  // One frame thread: the parameter sets do not depend on it, and the probe stays cheap.
  OSSLIVE_ASSIGN(std::string packet,
                 media::first_video_packet(transcode::video_encoder_settings(params, transcode_options(config_), 1)));
  const bool hevc = params.codec == "h265";
  const std::string_view sps = hls::find_sps(packet, hevc);
  auto codecs = hevc ? hls::hvc1_codecs(sps) : hls::avc1_codecs(sps);
  if (!codecs) return Error(Errc::InternalError, params.encoder + " wrote no readable sequence parameter set");
  return *codecs;
}

Status LibavBackend::make_segment(const hls::Manifest& manifest, const hls::SegmentPlan& plan, std::int64_t index,
                                  std::shared_ptr<const FileHandle> source, const SegmentJobTiming& timing,
                                  const std::function<Status(std::string_view bytes)>& sink) {
  transcode::TranscodeOptions options = transcode_options(config_);
  options.deadline = timing.deadline;
  options.pause = timing.pause;
  return transcode::transcode_segment(manifest, plan, index, std::move(source), options, sink);
}

Result<std::string> LibavBackend::make_subtitle_segment(const hls::SubtitleManifest& manifest,
                                                        const hls::SegmentPlan& plan, std::int64_t index,
                                                        std::shared_ptr<const FileHandle> source,
                                                        const SegmentJobTiming& timing) {
  return transcode::make_subtitle_segment(manifest, plan, index, std::move(source), timing.deadline);
}

}  // namespace osslive::live
