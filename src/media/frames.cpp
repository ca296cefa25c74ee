#include "frames_impl.hpp"

namespace osslive::media {

int AudioFrame::samples() const { return impl_ ? impl_->frame->nb_samples : 0; }
int AudioFrame::sample_rate() const { return impl_ ? impl_->frame->sample_rate : 0; }

Packet::Packet() = default;
Packet::Packet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Packet::Packet(Packet&&) noexcept = default;
Packet& Packet::operator=(Packet&&) noexcept = default;
Packet::~Packet() = default;

std::int64_t Packet::pts() const { return impl_ ? impl_->packet->pts : 0; }
std::int64_t Packet::dts() const { return impl_ ? impl_->packet->dts : 0; }
bool Packet::key() const { return impl_ && (impl_->packet->flags & AV_PKT_FLAG_KEY) != 0; }
std::size_t Packet::size() const { return impl_ ? static_cast<std::size_t>(impl_->packet->size) : 0; }

Picture make_picture(const AVFrame* frame) {
  auto impl = std::make_shared<Picture::Impl>();
  impl->frame.reset(av_frame_clone(frame));
  if (!impl->frame) return Picture();
  return Picture(std::move(impl));
}

AudioFrame make_audio_frame(const AVFrame* frame) {
  auto impl = std::make_shared<AudioFrame::Impl>();
  impl->frame.reset(av_frame_clone(frame));
  if (!impl->frame) return AudioFrame();
  return AudioFrame(std::move(impl));
}

}  // namespace osslive::media
