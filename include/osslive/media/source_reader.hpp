#pragma once
// Decodes one video and one audio stream of a pinned source, with seeking, for the segment
// transcoder. Presentation times are microseconds on the source's own timeline (the same one
// probe() reports start times on). Audio frames keep their packet's timestamp and carry the
// trimming the stream asks for instead of having it applied, so a frame is the same whatever
// packet the decode started from.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/media/frames.hpp"
#include "osslive/media/rational.hpp"

namespace osslive::media {

struct ReaderOptions {
  int video_stream = -1;  // container stream index; -1: none
  int audio_stream = -1;
  int threads = 1;        // video decoder threads
  // The largest picture (width x height) the video decoder may make: a larger one fails the job
  // before its buffer is allocated. The caller derives it from what the probe saw, so a source
  // that starts small and grows cannot take gigabytes.
  std::int64_t max_pixels = std::int64_t{8192} * 8192;
  // Decoded frames a background thread keeps ready, so demuxing and decoding overlap the
  // caller's own work (conversion, encoding); 0: everything happens inside next().
  int decode_ahead = 0;
  // Non-reference video pictures that a picture decoded before them already follows in time,
  // both before this source time, are never on screen at or after it: they are not decoded.
  // The pictures that come out are the same either way, only fewer of them.
  std::int64_t skip_superseded_before_us = INT64_MIN;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Where a stream's timestamps start and how coarse they are.
struct StreamClock {
  std::int64_t start_us = 0;  // the stream's first presentation time (container start when unknown)
  std::int64_t tick_us = 1;   // one unit of its time base, rounded up
  Rational time_base{1, 1'000'000};  // that unit exactly, in seconds
};

struct DecodedFrame {
  enum class Kind { Video, Audio, End };
  Kind kind = Kind::End;
  bool has_pts = false;
  std::int64_t pts_us = 0;  // best-effort presentation time
  bool key = false;         // video: a picture decoding can start from (keyframe or recovery point)
  bool corrupt = false;     // video: decoded from damaged data (concealed or flagged corrupt)
  Picture picture;
  AudioFrame audio;
  // Audio the stream says is not part of it (encoder priming, an edit list, end padding), left in
  // the frame for the caller to drop by position: the trim_front samples from this frame's first
  // one on (they may run on into the next frames), its last trim_back samples, or all of it.
  int trim_front = 0;
  int trim_back = 0;
  bool discard = false;
};

class SourceReader {
 public:
  // Opens the file and the two decoders. A stream index that is not of the expected type (the
  // source changed under its playlist) or has no decoder: InvalidArgument.
  static Result<SourceReader> open(std::shared_ptr<const FileHandle> file, const ReaderOptions& options);

  SourceReader(SourceReader&&) noexcept;
  SourceReader& operator=(SourceReader&&) noexcept;
  ~SourceReader();

  // Seeks backward to a keyframe at or before `source_us` (of the video stream when there is
  // one, else the audio stream), flushes the video decoder and opens a new audio decoder (whose
  // start-up trim then applies only if the stream's first packet comes next). false: the
  // container cannot seek there; the caller reopens the source to read from its start.
  Result<bool> seek(std::int64_t source_us);

  // The next decoded frame of either stream in decoding order; Kind::End after both decoders
  // are drained. A truncated or damaged tail ends the stream rather than failing it; a timeout
  // or a failing disk is an error. The same with or without decode_ahead.
  Result<DecodedFrame> next();

  StreamClock video_clock() const;
  StreamClock audio_clock() const;
  int audio_sample_rate() const;
  // Every audio packet decodes to a whole multiple of this many samples (AAC 1024, MP3 1152,
  // AC-3 1536, Opus 2.5 ms, Vorbis a quarter of its short block), so packets start on this grid
  // counted from the stream's first one; 1 when the codec has no such grid (PCM).
  int audio_packet_grid() const;

  // The deadline has passed: the error the job should end with. With decode_ahead the
  // background thread reports it through next() instead, in order.
  std::optional<Error> expired() const;

  // The demuxer or a decoder met data it could not read (a truncated or damaged file) on the way
  // to the end of the streams.
  bool ended_by_damage() const;

 private:
  struct State;
  explicit SourceReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace osslive::media
