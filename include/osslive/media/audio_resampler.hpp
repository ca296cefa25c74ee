#pragma once
// Converts decoded audio to planar float at the output rate and channel count (the default
// layout for that count), as one continuous run: the filter state carries across frames until
// reset().
#include <memory>
#include <vector>

#include "osslive/core/result.hpp"
#include "osslive/media/frames.hpp"

namespace osslive::media {

// One vector per channel, all the same length.
using PlanarSamples = std::vector<std::vector<float>>;

class AudioResampler {
 public:
  AudioResampler(int sample_rate, int channels);
  AudioResampler(AudioResampler&&) noexcept;
  AudioResampler& operator=(AudioResampler&&) noexcept;
  ~AudioResampler();

  // Converts samples [from, to) of `frame` and appends the result to `out` (which must have one
  // vector per output channel). Output sample m of a run sits at input sample
  // m * in_rate / out_rate of the run.
  Status push(const AudioFrame& frame, int from, int to, PlanarSamples& out);
  // Ends the run: appends what the filter still holds.
  Status flush(PlanarSamples& out);
  // Forgets the run (without output); the next push starts a new one.
  void reset();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace osslive::media
