#include "video_track.hpp"

#include <algorithm>

#include "osslive/core/exact.hpp"

namespace osslive::transcode {

using exact::Int128;

namespace {

media::VideoGeometry geometry_of(const hls::VideoParams& p) {
  return {.rotation = p.rotation, .scaled_width = p.scaled_width, .scaled_height = p.scaled_height,
          .crop_x = p.crop_x, .crop_y = p.crop_y, .pad_x = p.pad_x, .pad_y = p.pad_y,
          .width = p.width, .height = p.height, .pix_fmt = p.pix_fmt};
}

}  // namespace

Result<VideoTrack> VideoTrack::open(const VideoTrackConfig& config, PacketInterleaver& out) {
  OSSLIVE_ASSIGN(auto encoder, media::VideoEncoder::open(config.encoder));
  return VideoTrack(config, std::move(encoder), out);
}

VideoTrack::VideoTrack(const VideoTrackConfig& config, media::VideoEncoder encoder, PacketInterleaver& out)
    : config_(config),
      rate_(config.params.frame_rate),
      end_k_(config.first_frame + config.frames),
      converter_(geometry_of(config.params), config.threads),
      encoder_(std::move(encoder)),
      out_(&out),
      gating_(!config.fresh),
      next_k_(config.first_frame) {}

// The first output frame whose instant (plus half a frame) reaches pts:
// smallest k with (pts - base) <= (k + 1/2) / F  <=>  2 (pts - base) num <= (2k + 1) den 10^6.
// The picture rule (docs/seamless.md, "Pictures"): output frame k shows the last source frame whose time is at
// or before the instant k / F. Containers that keep milliseconds (FLV, MKV, WebM) round frame
// times by up to half a millisecond, so a frame counts as "at" the instant within 1 ms.
std::int64_t VideoTrack::slot_of(std::int64_t pts_us) const {
  const Int128 rel = static_cast<Int128>(pts_us) - config_.base_us - kPictureToleranceUs;
  const Int128 unit = static_cast<Int128>(rate_.den) * 1'000'000;
  return static_cast<std::int64_t>(exact::ceil_div(rel * rate_.num, unit));
}

std::int64_t VideoTrack::need_us(const VideoTrackConfig& config) {
  // Frame k0's instant (less the tolerance): the picture on screen then is the first one needed.
  const media::Rational& rate = config.params.frame_rate;
  return config.base_us + exact::micros(config.first_frame, rate.num, rate.den) - kPictureToleranceUs;
}

Result<bool> VideoTrack::on_frame(const media::DecodedFrame& frame) {
  if (done() || !frame.has_pts) return false;
  if (gating_) {
    if (!frame.key) return false;
    gating_ = false;
  }
  const std::int64_t slot = slot_of(frame.pts_us);
  if (!seen_first_) {
    seen_first_ = true;
    // The picture for k0 lies before this one; unless this is the stream's very first picture,
    // an earlier start would have shown it.
    if (!config_.fresh && slot > config_.first_frame && frame.pts_us > config_.clock.start_us + config_.clock.tick_us) {
      return true;
    }
  }
  if (!held_.empty()) {
    if (slot < held_slot_) return false;  // out of order: the picture on screen stays
    if (slot > held_slot_) OSSLIVE_TRY(emit_held(std::min(slot, end_k_)));
  }
  held_ = frame.picture;
  held_converted_ = media::Picture();
  held_slot_ = slot;
  return false;
}

Status VideoTrack::emit_held(std::int64_t until) {
  for (; next_k_ < until; ++next_k_) {
    if (held_converted_.empty()) {
      OSSLIVE_ASSIGN(held_converted_, converter_.convert(held_));
    }
    OSSLIVE_TRY(encoder_.encode(held_converted_, next_k_, next_k_ == config_.first_frame,
                                [this](media::Packet&& packet) { return on_packet(std::move(packet)); }));
  }
  return {};
}

Status VideoTrack::on_packet(media::Packet&& packet) {
  ++packets_;
  const std::int64_t pts = kTimestampOffset + exact::ticks(packet.pts(), rate_.num, rate_.den);
  const std::int64_t dts = kTimestampOffset + exact::ticks(packet.dts(), rate_.num, rate_.den);
  return out_->push(Track::Video, std::move(packet), pts, dts);
}

Status VideoTrack::finish() {
  if (!done()) {
    if (held_.empty()) return Error(Errc::InvalidArgument, "source has no decodable video picture for this segment");
    OSSLIVE_TRY(emit_held(end_k_));
  }
  OSSLIVE_TRY(encoder_.flush([this](media::Packet&& packet) { return on_packet(std::move(packet)); }));
  if (packets_ != config_.frames) {
    return Error(Errc::InternalError, "video encoder produced " + std::to_string(packets_) + " packets for " +
                                          std::to_string(config_.frames) + " frames");
  }
  return out_->end(Track::Video);
}

}  // namespace osslive::transcode
