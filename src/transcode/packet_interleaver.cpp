#include "packet_interleaver.hpp"

#include <string>

namespace osslive::transcode {
namespace {

std::size_t slot(Track track) { return static_cast<std::size_t>(track); }

}  // namespace

PacketInterleaver::PacketInterleaver(bool video, bool audio, MuxerFactory open_muxer)
    : open_muxer_(std::move(open_muxer)) {
  open_[slot(Track::Video)] = video;
  open_[slot(Track::Audio)] = audio;
}

Status PacketInterleaver::push(Track track, media::Packet&& packet, std::int64_t pts, std::int64_t dts) {
  const std::size_t i = slot(track);
  if (!open_[i]) return Error(Errc::InternalError, "packet for a track that has ended");
  // The seamless contract: DTS strictly increasing inside a segment and across its joins.
  if (dts <= last_dts_[i]) {
    return Error(Errc::InternalError, "encoder produced a non-increasing DTS " + std::to_string(dts) + " after " +
                                          std::to_string(last_dts_[i]));
  }
  last_dts_[i] = dts;
  queues_[i].push_back(Pending{std::move(packet), pts, dts});
  return pump();
}

Status PacketInterleaver::end(Track track) {
  open_[slot(track)] = false;
  return pump();
}

Status PacketInterleaver::finish() {
  open_ = {false, false};
  OSSLIVE_TRY(pump());
  if (!muxer_) {
    // A segment without any packet still becomes a valid (PAT/PMT only) TS.
    OSSLIVE_ASSIGN(auto muxer, open_muxer_());
    muxer_.emplace(std::move(muxer));
  }
  return muxer_->finish();
}

Status PacketInterleaver::pump() {
  auto& video = queues_[slot(Track::Video)];
  auto& audio = queues_[slot(Track::Audio)];
  while (true) {
    const bool v = !video.empty(), a = !audio.empty();
    if (v && a) {
      OSSLIVE_TRY(write(video.front().dts <= audio.front().dts ? Track::Video : Track::Audio));
    } else if (v && !open_[slot(Track::Audio)]) {
      OSSLIVE_TRY(write(Track::Video));
    } else if (a && !open_[slot(Track::Video)]) {
      OSSLIVE_TRY(write(Track::Audio));
    } else {
      return {};
    }
  }
}

Status PacketInterleaver::write(Track track) {
  if (!muxer_) {
    OSSLIVE_ASSIGN(auto muxer, open_muxer_());
    muxer_.emplace(std::move(muxer));
  }
  auto& queue = queues_[slot(track)];
  Pending next = std::move(queue.front());
  queue.pop_front();
  const int stream = track == Track::Video ? muxer_->video_stream() : muxer_->audio_stream();
  return muxer_->write(stream, std::move(next.packet), next.pts, next.dts);
}

}  // namespace osslive::transcode
