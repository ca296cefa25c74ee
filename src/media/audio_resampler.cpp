#include "osslive/media/audio_resampler.hpp"

#include <algorithm>
#include <string>

#include "frames_impl.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

namespace osslive::media {
namespace {

struct ChannelLayout {
  AVChannelLayout layout{};
  ChannelLayout() = default;
  ChannelLayout(const ChannelLayout&) = delete;
  ChannelLayout& operator=(const ChannelLayout&) = delete;
  ~ChannelLayout() { av_channel_layout_uninit(&layout); }
};

}  // namespace

struct AudioResampler::State {
  int rate = 0;
  int channels = 0;
  SwrContextPtr swr;
  // What the current context was built for.
  int in_rate = 0;
  int in_format = -1;
  int in_channels = 0;
  std::uint64_t in_mask = 0;
  std::vector<float*> planes;

  Status build(const AVFrame* frame) {
    ChannelLayout in, out;
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame->ch_layout.nb_channels <= 0) {
      av_channel_layout_default(&in.layout, std::max(frame->ch_layout.nb_channels, 1));
    } else if (av_channel_layout_copy(&in.layout, &frame->ch_layout) < 0) {
      return Error(Errc::InternalError, "out of memory for the audio converter");
    }
    av_channel_layout_default(&out.layout, channels);
    SwrContext* context = nullptr;
    int rc = swr_alloc_set_opts2(&context, &out.layout, AV_SAMPLE_FMT_FLTP, rate, &in.layout,
                                 static_cast<AVSampleFormat>(frame->format), frame->sample_rate, 0, nullptr);
    swr.reset(context);
    if (rc < 0) return Error(Errc::InvalidArgument, "source audio cannot be converted: " + av_error_text(rc));
    rc = swr_init(swr.get());
    if (rc < 0) return Error(Errc::InvalidArgument, "source audio cannot be converted: " + av_error_text(rc));
    in_rate = frame->sample_rate;
    in_format = frame->format;
    in_channels = frame->ch_layout.nb_channels;
    in_mask = frame->ch_layout.order == AV_CHANNEL_ORDER_NATIVE ? frame->ch_layout.u.mask : 0;
    return {};
  }

  bool matches(const AVFrame* frame) const {
    const std::uint64_t mask = frame->ch_layout.order == AV_CHANNEL_ORDER_NATIVE ? frame->ch_layout.u.mask : 0;
    return swr && frame->sample_rate == in_rate && frame->format == in_format &&
           frame->ch_layout.nb_channels == in_channels && mask == in_mask;
  }

  // Runs swr with `count` input samples (none: drain) and appends the output.
  Status convert(const std::uint8_t** input, int count, PlanarSamples& out) {
    if (static_cast<int>(out.size()) != channels) return Error(Errc::InternalError, "audio output has the wrong channel count");
    const int capacity = swr_get_out_samples(swr.get(), count) + 16;
    const std::size_t start = out[0].size();
    planes.resize(static_cast<std::size_t>(channels));
    for (int c = 0; c < channels; ++c) {
      out[static_cast<std::size_t>(c)].resize(start + static_cast<std::size_t>(capacity));
      planes[static_cast<std::size_t>(c)] = out[static_cast<std::size_t>(c)].data() + start;
    }
    int got = swr_convert(swr.get(), reinterpret_cast<std::uint8_t**>(planes.data()), capacity, input, count);
    if (got < 0) return Error(Errc::InternalError, "audio conversion: " + av_error_text(got));
    for (auto& plane : out) plane.resize(start + static_cast<std::size_t>(got));
    return {};
  }
};

AudioResampler::AudioResampler(int sample_rate, int channels) : state_(std::make_unique<State>()) {
  state_->rate = sample_rate;
  state_->channels = channels;
}
AudioResampler::AudioResampler(AudioResampler&&) noexcept = default;
AudioResampler& AudioResampler::operator=(AudioResampler&&) noexcept = default;
AudioResampler::~AudioResampler() = default;

Status AudioResampler::push(const AudioFrame& frame, int from, int to, PlanarSamples& out) {
  if (frame.empty()) return {};
  State& s = *state_;
  const AVFrame* f = frame.impl()->frame.get();
  from = std::max(from, 0);
  to = std::min(to, f->nb_samples);
  if (from >= to) return {};
  if (!s.matches(f)) {
    // A format change mid-run: keep what the old filter holds, then start over.
    if (s.swr) OSSLIVE_TRY(flush(out));
    OSSLIVE_TRY(s.build(f));
  }
  const bool planar = av_sample_fmt_is_planar(static_cast<AVSampleFormat>(f->format)) != 0;
  const int bytes = av_get_bytes_per_sample(static_cast<AVSampleFormat>(f->format));
  const int planes = planar ? f->ch_layout.nb_channels : 1;
  const int stride = planar ? bytes : bytes * f->ch_layout.nb_channels;
  std::vector<const std::uint8_t*> input(static_cast<std::size_t>(std::max(planes, 1)));
  for (int p = 0; p < planes; ++p) input[static_cast<std::size_t>(p)] = f->extended_data[p] + static_cast<std::ptrdiff_t>(from) * stride;
  return s.convert(input.data(), to - from, out);
}

Status AudioResampler::flush(PlanarSamples& out) {
  State& s = *state_;
  if (!s.swr) return {};
  OSSLIVE_TRY(s.convert(nullptr, 0, out));
  s.swr.reset();
  return {};
}

void AudioResampler::reset() { state_->swr.reset(); }

}  // namespace osslive::media
