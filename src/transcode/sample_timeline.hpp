#pragma once
// Private to src/transcode: the output audio of one job as one continuous sample buffer on the
// output timeline (sample n plays at output time n / R). Samples are only ever appended: what
// overlaps samples already placed is dropped, a hole is silence, so every sample before
// written_end() is final.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "osslive/media/audio_resampler.hpp"

namespace osslive::transcode {

class SampleTimeline {
 public:
  // Keeps only samples in [begin, end).
  SampleTimeline(int channels, std::int64_t begin, std::int64_t end);

  // samples[c][0] sits at output sample `at`; `count` samples per channel.
  void place(std::int64_t at, const media::PlanarSamples& samples, std::size_t count);
  std::int64_t written_end() const { return written_end_; }
  // `count` samples from `at` into out[c][0..count): silence where nothing was placed.
  void read(std::int64_t at, std::size_t count, std::vector<std::vector<float>>& out) const;
  // Samples before `at` will not be read again.
  void release_before(std::int64_t at);

 private:
  int channels_;
  std::int64_t begin_;
  std::int64_t end_;
  std::int64_t written_end_;
  std::int64_t stored_begin_;  // data_[c][i] is sample stored_begin_ + i
  std::vector<std::vector<float>> data_;
};

}  // namespace osslive::transcode
