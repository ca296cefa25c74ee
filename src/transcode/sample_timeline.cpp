#include "sample_timeline.hpp"

#include <algorithm>

namespace osslive::transcode {
namespace {

constexpr std::int64_t kReleaseChunk = 1 << 16;  // samples; amortises erasing the front

}  // namespace

SampleTimeline::SampleTimeline(int channels, std::int64_t begin, std::int64_t end)
    : channels_(channels),
      begin_(begin),
      end_(std::max(begin, end)),
      written_end_(begin),
      stored_begin_(begin),
      data_(static_cast<std::size_t>(channels)) {}

void SampleTimeline::place(std::int64_t at, const media::PlanarSamples& samples, std::size_t count) {
  if (samples.size() < static_cast<std::size_t>(channels_)) return;
  const std::int64_t lo = std::max({at, written_end_, begin_});
  const std::int64_t hi = std::min(at + static_cast<std::int64_t>(count), end_);
  if (hi <= lo) {
    // Audio that starts past the window makes all of the window final (silence).
    if (at >= end_) written_end_ = end_;
    return;
  }
  const auto new_size = static_cast<std::size_t>(hi - stored_begin_);
  const auto from = static_cast<std::size_t>(lo - stored_begin_);
  const auto src = static_cast<std::size_t>(lo - at);
  for (int c = 0; c < channels_; ++c) {
    auto& plane = data_[static_cast<std::size_t>(c)];
    plane.resize(new_size, 0.0f);  // a hole between written_end_ and lo stays silent
    const auto& in = samples[static_cast<std::size_t>(c)];
    std::copy(in.begin() + static_cast<std::ptrdiff_t>(src),
              in.begin() + static_cast<std::ptrdiff_t>(src + (new_size - from)),
              plane.begin() + static_cast<std::ptrdiff_t>(from));
  }
  written_end_ = hi;
}

void SampleTimeline::read(std::int64_t at, std::size_t count, std::vector<std::vector<float>>& out) const {
  out.resize(static_cast<std::size_t>(channels_));
  for (int c = 0; c < channels_; ++c) {
    auto& plane = out[static_cast<std::size_t>(c)];
    plane.assign(count, 0.0f);
    const auto& stored = data_[static_cast<std::size_t>(c)];
    for (std::size_t i = 0; i < count; ++i) {
      const std::int64_t n = at + static_cast<std::int64_t>(i);
      if (n < stored_begin_ || n >= written_end_) continue;
      const auto index = static_cast<std::size_t>(n - stored_begin_);
      if (index < stored.size()) plane[i] = stored[index];
    }
  }
}

void SampleTimeline::release_before(std::int64_t at) {
  const std::int64_t drop = std::min(at, written_end_) - stored_begin_;
  if (drop < kReleaseChunk) return;
  for (auto& plane : data_) plane.erase(plane.begin(), plane.begin() + static_cast<std::ptrdiff_t>(drop));
  stored_begin_ += drop;
}

}  // namespace osslive::transcode
