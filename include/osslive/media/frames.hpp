#pragma once
// Opaque handles for decoded pictures, decoded audio and encoded packets, so code outside
// src/media can move them between the media stages without seeing a libav type.
#include <cstdint>
#include <memory>

namespace osslive::media {

// A picture (decoded or converted). Copies share the pixels; nothing ever writes into them.
class Picture {
 public:
  struct Impl;
  Picture() = default;
  explicit Picture(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  bool empty() const { return !impl_; }
  Impl* impl() const { return impl_.get(); }

 private:
  std::shared_ptr<Impl> impl_;
};

// Decoded audio in the source's own format, rate and layout.
class AudioFrame {
 public:
  struct Impl;
  AudioFrame() = default;
  explicit AudioFrame(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  bool empty() const { return !impl_; }
  Impl* impl() const { return impl_.get(); }
  int samples() const;
  int sample_rate() const;

 private:
  std::shared_ptr<Impl> impl_;
};

// One encoded packet; pts/dts in the encoder's time base.
class Packet {
 public:
  struct Impl;
  Packet();
  explicit Packet(std::unique_ptr<Impl> impl);
  Packet(Packet&&) noexcept;
  Packet& operator=(Packet&&) noexcept;
  ~Packet();

  std::int64_t pts() const;
  std::int64_t dts() const;
  bool key() const;
  std::size_t size() const;
  Impl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace osslive::media
