#pragma once
// Private to src/transcode: where each decoded audio frame sits on the source's sample timeline
// (docs/seamless.md, "Audio placement"). Every job must put a given packet's samples on the same
// source sample, to the sample, whatever packet its decode started from:
//
// - Positions count source samples from the stream's first timestamp (its start time), which
//   every job reads from the same file header.
// - A clock with ticks no longer than a sample (MP4, MPEG-TS, Ogg, WAV), or whose ticks divide
//   the codec's packet grid (AVI, AC-3 in Matroska at 48 kHz), gives each frame's position
//   directly.
// - A coarse clock (Matroska, WebM, FLV, ASF: 1 ms) rounds every timestamp. The first frames of
//   a run are held until kAnchorFrames of them (or a break) have been seen; the run is placed
//   where their timestamps, less the samples decoded before each, agree on average, snapped to
//   the codec's packet grid (every packet decodes to whole multiples of it, counted from the
//   stream's first packet). Rounding errors average out and the snap removes what is left, so
//   two jobs placing the same run from different first frames agree.
// - Within a run frames follow sample counts while their timestamps stay within the clock's
//   precision; past that a gap starts a new run (silence between) and an overlap is dropped.
// - What the stream trims (priming, edit lists, padding: reported by the reader, not applied)
//   is dropped by position, so it goes whichever frame a decode started from.
#include <cstdint>
#include <vector>

#include "osslive/core/exact.hpp"
#include "osslive/media/source_reader.hpp"

namespace osslive::transcode {

// Samples [from, to) of `audio` start at source sample position + from. new_run: they do not
// continue the samples placed before them (the first of a job, or after a gap).
struct Placement {
  media::AudioFrame audio;
  std::int64_t position = 0;
  int from = 0;
  int to = 0;
  bool new_run = false;
  std::int64_t pts_us = INT64_MIN;  // the frame's own timestamp, when it had one (diagnostics)
};

class AudioPlacer {
 public:
  // Frames of a coarse clock whose timestamps place a run together.
  static constexpr std::size_t kAnchorFrames = 16;

  AudioPlacer(const media::StreamClock& clock, int source_rate, int packet_grid);

  // Takes the next decoded audio frame; appends the placements now known to `out`.
  void add(const media::DecodedFrame& frame, std::vector<Placement>& out);
  // Places the frames still held (the stream ended).
  void flush(std::vector<Placement>& out);

 private:
  struct Held {
    media::DecodedFrame frame;
    std::int64_t offset = 0;  // samples decoded in the run before it
  };

  std::int64_t raw_position(std::int64_t pts_us) const;
  void hold(const media::DecodedFrame& frame, std::vector<Placement>& out);
  void settle(std::vector<Placement>& out);
  void place(const media::DecodedFrame& frame, std::int64_t position, bool counted, std::vector<Placement>& out);

  media::StreamClock clock_;
  int source_rate_;
  std::int64_t grid_;
  bool coarse_ = false;
  std::int64_t tolerance_ = 2;  // source samples a timestamp may be off by
  std::vector<Held> held_;
  std::int64_t held_samples_ = 0;
  exact::Int128 held_sum_ = 0;  // sum of (raw position - offset) over held frames with a timestamp
  std::int64_t held_stamped_ = 0;
  bool run_ = false;
  std::int64_t next_ = 0;                   // source sample the run expects next
  std::int64_t trimmed_until_ = INT64_MIN;  // source samples before this were trimmed away
};

}  // namespace osslive::transcode
