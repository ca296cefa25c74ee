#include "audio_track.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "osslive/core/exact.hpp"
#include "osslive/hls/plan.hpp"
#include "video_track.hpp"

namespace osslive::transcode {

using exact::Int128;

namespace {

// Decoders need a little audio before the first sample that matters: the first frame after a
// seek lacks its MDCT overlap (AAC) or bit reservoir (MP3); resampler filters need history.
constexpr std::int64_t kWarmupUs = 100'000;

}  // namespace

Result<AudioTrack> AudioTrack::open(const AudioTrackConfig& config, PacketInterleaver& out) {
  if (config.source_rate <= 0) return Error(Errc::InvalidArgument, "source audio has no sample rate");
  media::AudioEncoderSettings settings;
  settings.sample_rate = config.params.sample_rate;
  settings.channels = config.params.channels;
  settings.bitrate = config.params.bitrate;
  settings.global_quality = config.params.global_quality;
  OSSLIVE_ASSIGN(auto encoder, media::AudioEncoder::open(settings));
  if (encoder.frame_size() != hls::kAacFrameSamples) {
    return Error(Errc::InternalError, "aac encoder frame size " + std::to_string(encoder.frame_size()));
  }
  return AudioTrack(config, std::move(encoder), out);
}

AudioTrack::AudioTrack(const AudioTrackConfig& config, media::AudioEncoder encoder, PacketInterleaver& out)
    : config_(config),
      rate_(config.params.sample_rate),
      frame_samples_(hls::kAacFrameSamples),
      end_j_(config.first_frame + config.frames + config.tail),
      next_j_(config.first_frame - config.preroll - config.silent_start),
      placer_(config.clock, config.source_rate, config.packet_grid),
      resampler_(config.params.sample_rate, config.params.channels),
      encoder_(std::move(encoder)),
      timeline_(config.params.channels, (config.first_frame - config.preroll) * hls::kAacFrameSamples,
                (config.first_frame + config.frames + config.tail) * hls::kAacFrameSamples),
      out_(&out),
      scratch_(static_cast<std::size_t>(config.params.channels)) {
  const std::int64_t sr = config.source_rate;
  offset_ = static_cast<std::int64_t>(
      exact::round_div(static_cast<Int128>(config.clock.start_us - config.base_us) * rate_, 1'000'000));
  const std::int64_t g = exact::gcd(sr, rate_);
  if (sr / g <= sr / 10) {
    align_ = sr / g;
    align_out_ = rate_ / g;
  } else {
    exact_align_ = false;
  }
}

std::int64_t AudioTrack::need_us(const AudioTrackConfig& config) {
  return config.base_us +
         exact::micros((config.first_frame - config.preroll) * hls::kAacFrameSamples, config.params.sample_rate, 1) -
         kWarmupUs;
}

Result<bool> AudioTrack::on_frame(const media::DecodedFrame& frame) {
  const int samples = frame.audio.samples();
  if (done() || samples <= 0) return false;
  if (!seen_first_) {
    seen_first_ = true;
    const std::int64_t frame_us = static_cast<std::int64_t>(samples) * 1'000'000 / config_.source_rate;
    const std::int64_t stream_start_slack = std::max(config_.clock.tick_us, frame_us);
    if (!config_.fresh && frame.has_pts && frame.pts_us > need_us(config_) &&
        frame.pts_us > config_.clock.start_us + stream_start_slack) {
      return true;
    }
  }
  placements_.clear();
  placer_.add(frame, placements_);
  OSSLIVE_TRY(take_placements());
  OSSLIVE_TRY(encode_ready(false));
  return false;
}

Status AudioTrack::take_placements() {
  for (const Placement& p : placements_) {
    if (p.new_run || !run_active_) {
      OSSLIVE_TRY(end_run());
      OSSLIVE_TRY(start_run(p));
    } else {
      OSSLIVE_TRY(push(p.audio, p.from, p.to));
    }
  }
  placements_.clear();
  return {};
}

// Starts a resampler run with a placement. Runs start on multiples of L = sr / gcd(sr, R)
// source samples, which are whole output samples: the resampler's phase is then the same from
// any starting frame. Rates without a short common period (L > 100 ms) round instead.
Status AudioTrack::start_run(const Placement& p) {
  const std::int64_t begin = p.position + p.from;
  const std::int64_t skip = exact_align_ ? static_cast<std::int64_t>(exact::floor_mod(-begin, align_)) : 0;
  if (p.from + skip >= p.to) return {};  // the next placement starts the run
  const std::int64_t first = begin + skip;
  run_out_ = offset_ + (exact_align_ ? static_cast<std::int64_t>(exact::floor_div(first, align_)) * align_out_
                                     : static_cast<std::int64_t>(exact::round_div(static_cast<Int128>(first) * rate_,
                                                                                  config_.source_rate)));
  resampler_.reset();
  run_active_ = true;
  return push(p.audio, static_cast<int>(p.from + skip), p.to);
}

Status AudioTrack::end_run() {
  if (!run_active_) return {};
  run_active_ = false;
  for (auto& plane : scratch_) plane.clear();
  OSSLIVE_TRY(resampler_.flush(scratch_));
  const std::size_t count = scratch_[0].size();
  timeline_.place(run_out_, scratch_, count);
  run_out_ += static_cast<std::int64_t>(count);
  return {};
}

Status AudioTrack::push(const media::AudioFrame& frame, int from, int to) {
  for (auto& plane : scratch_) plane.clear();
  OSSLIVE_TRY(resampler_.push(frame, from, to, scratch_));
  const std::size_t count = scratch_[0].size();
  timeline_.place(run_out_, scratch_, count);
  run_out_ += static_cast<std::int64_t>(count);
  return {};
}

Status AudioTrack::encode_ready(bool final) {
  const auto fs = static_cast<std::size_t>(frame_samples_);
  while (next_j_ < end_j_) {
    const std::int64_t n = next_j_ * frame_samples_;
    if (!final && n + frame_samples_ > timeline_.written_end()) break;
    timeline_.read(n, fs, frame_buffer_);
    planes_.clear();
    for (const auto& plane : frame_buffer_) planes_.push_back(plane.data());
    OSSLIVE_TRY(encoder_.encode(planes_.data(), n, [this](media::Packet&& packet) { return on_packet(std::move(packet)); }));
    ++next_j_;
    timeline_.release_before(n + frame_samples_);
  }
  return {};
}

Status AudioTrack::on_packet(media::Packet&& packet) {
  const std::int64_t begin = config_.first_frame * frame_samples_;
  const std::int64_t end = (config_.first_frame + config_.frames) * frame_samples_;
  if (packet.pts() < begin || packet.pts() >= end) return {};  // pre-roll or tail
  ++kept_;
  const std::int64_t ts = kTimestampOffset + exact::ticks(packet.pts(), rate_, 1);
  return out_->push(Track::Audio, std::move(packet), ts, ts);
}

Status AudioTrack::finish() {
  placer_.flush(placements_);
  OSSLIVE_TRY(take_placements());
  OSSLIVE_TRY(end_run());
  OSSLIVE_TRY(encode_ready(true));
  OSSLIVE_TRY(encoder_.flush([this](media::Packet&& packet) { return on_packet(std::move(packet)); }));
  if (kept_ != config_.frames) {
    return Error(Errc::InternalError, "aac encoder produced " + std::to_string(kept_) + " of " +
                                          std::to_string(config_.frames) + " frames");
  }
  return out_->end(Track::Audio);
}

}  // namespace osslive::transcode
