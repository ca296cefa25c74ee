#include "osslive/transcode/segment_transcoder.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <thread>

#include "audio_track.hpp"
#include "osslive/core/exact.hpp"
#include "osslive/media/source_reader.hpp"
#include "osslive/transcode/encoder_settings.hpp"
#include "osslive/media/ts_muxer.hpp"
#include "packet_interleaver.hpp"
#include "video_track.hpp"

namespace osslive::transcode {
namespace {

// AAC frames encoded before the segment's first frame and after its last, then dropped
// (docs/seamless.md, "Pre-roll and tail": at least two before and one after). Before the silent
// start below, the encoder's rate control converged slowly: on the 1 kHz sine-join test
// (tests/unit/transcode/sine_join_test.cpp) the worst join residual was 3.0% with 2 frames, 3.6%
// with 4, 2.7% with 8, 1.2% with 16 to 32 (one continuous encode: 0.25%); the tail made no
// difference from 1 to 4. With the silent start, 8 frames measured as well as 32 on every source
// of tests/unit/transcode/audio_join_test.cpp at its default settings.
constexpr int kAudioPreroll = 32;
constexpr int kAudioTail = 2;
// AAC frames of silence encoded (and dropped) before the pre-roll. The encoder's rate control
// moves its quality (lambda) slowly while a frame's bits stay near the budget, so where it starts
// decides for seconds how well a steady sound is coded: on the 441 Hz tone of
// tests/unit/transcode/audio_join_test.cpp one continuous encode settled at 0.26% residual when
// it began on silence and at 2.9% when it began on the tone, and segments whose encoders began on
// the tone stayed up to 11 times noisier than one continuous job. Silence first, which is how the
// first segment starts anyway, sends lambda to the top at once; every job then comes down to the
// same level from the same side (residual 0.26% in every segment; 2 frames did as well as 8).
constexpr int kAudioSilentStart = 2;
// Decoded source before the first instant a segment needs, so that a keyframe seek that lands
// a little late still starts early enough.
constexpr std::int64_t kSeekMarginUs = 500'000;
// When the first decoded frame still comes too late (imprecise demuxers), seek this much
// further back, then read from the file start.
constexpr std::array<std::int64_t, 6> kSeekBackoffUs{0, 2'000'000, 4'000'000, 8'000'000, 16'000'000, 32'000'000};
// Decoded pictures a background thread keeps ready: decoding then overlaps conversion and
// encoding instead of alternating with them.
constexpr int kDecodeAhead = 4;

// A source whose media stops this long before the instant a segment needs is truncated, or its
// header promised more than it holds: the segment fails rather than freezing the last picture.
// Less than this is padding (a video stream a little shorter than the container says).
constexpr std::int64_t kTruncationSlackUs = 1'000'000;

enum class Outcome { Done, Late };

// The latest presentation time decoded from each stream.
struct MediaReach {
  std::int64_t video_us = INT64_MIN;
  std::int64_t audio_us = INT64_MIN;
};

class SegmentJob {
 public:
  SegmentJob(const hls::Manifest& manifest, const hls::Segment& segment, std::shared_ptr<const FileHandle> source,
             const TranscodeOptions& options, const std::function<Status(std::string_view)>& sink)
      : params_(manifest.params), segment_(segment), source_(std::move(source)), options_(options), sink_(sink) {
    threads_ = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    encoder_threads_ = options.encoder_threads > 0 ? options.encoder_threads : kEncoderFrameThreads;
    deadline_ = options.deadline;
  }

  Status run() {
    OSSLIVE_ASSIGN(media::SourceReader reader, open_reader());
    // Where decoding must start: the earliest instant any track needs, less a margin.
    std::int64_t need = INT64_MAX, earliest = INT64_MAX;
    if (params_.video) {
      need = std::min(need, VideoTrack::need_us(video_config(reader, false)));
      earliest = std::min(earliest, reader.video_clock().start_us);
    }
    if (params_.audio) {
      need = std::min(need, AudioTrack::need_us(audio_config(reader, false)));
      earliest = std::min(earliest, reader.audio_clock().start_us);
    }
    const std::int64_t target = need - kSeekMarginUs;
    bool pristine = true;  // the reader has not moved since it was opened
    for (std::size_t attempt = 0;; ++attempt) {
      bool fresh = true;
      if (attempt < kSeekBackoffUs.size() && target - kSeekBackoffUs[attempt] > earliest) {
        pristine = false;
        OSSLIVE_ASSIGN(bool sought, reader.seek(target - kSeekBackoffUs[attempt]));
        fresh = !sought;
      }
      if (fresh && !pristine) {
        OSSLIVE_ASSIGN(reader, open_reader());
      }
      pristine = false;
      OSSLIVE_ASSIGN(Outcome outcome, run_attempt(reader, fresh));
      if (outcome == Outcome::Done) return {};
      if (fresh) return Error(Errc::InternalError, "decoding from the start of the source landed late");
    }
  }

 private:
  Result<media::SourceReader> open_reader() {
    media::ReaderOptions options;
    options.video_stream = params_.video ? params_.video->stream_index : -1;
    options.audio_stream = params_.audio ? params_.audio->stream_index : -1;
    options.threads = threads_;
    options.decode_ahead = kDecodeAhead;
    if (params_.video) {
      // Four times the picture the probe saw (room for non-square pixels and rotation), and never
      // below a small frame: a source whose later pictures grow fails here, not in the allocator.
      const std::int64_t seen = std::int64_t{params_.video->display_width} * params_.video->display_height;
      options.max_pixels = std::max<std::int64_t>(4 * seen, 640 * 480);
      // Pictures before the one on screen at the segment's first frame only cost time.
      VideoTrackConfig c;
      c.params = *params_.video;
      c.first_frame = segment_.first_video_frame;
      c.base_us = params_.origin_us + params_.ss_us;
      options.skip_superseded_before_us = VideoTrack::need_us(c);
    }
    options.deadline = deadline_;
    return media::SourceReader::open(source_, options);
  }

  VideoTrackConfig video_config(const media::SourceReader& reader, bool fresh) const {
    VideoTrackConfig c;
    c.params = *params_.video;
    c.first_frame = segment_.first_video_frame;
    c.frames = segment_.video_frames;
    c.base_us = params_.origin_us + params_.ss_us;
    c.clock = reader.video_clock();
    c.fresh = fresh;
    c.threads = threads_;
    c.encoder = video_encoder_settings(c.params, options_, encoder_threads_);
    return c;
  }

  AudioTrackConfig audio_config(const media::SourceReader& reader, bool fresh) const {
    AudioTrackConfig c;
    c.params = *params_.audio;
    c.first_frame = segment_.first_audio_frame;
    c.frames = segment_.audio_frames;
    c.preroll = kAudioPreroll;
    c.silent_start = kAudioSilentStart;
    c.tail = kAudioTail;
    c.base_us = params_.origin_us + params_.ss_us;
    c.clock = reader.audio_clock();
    c.source_rate = reader.audio_sample_rate();
    c.packet_grid = reader.audio_packet_grid();
    c.fresh = fresh;
    return c;
  }

  Result<Outcome> run_attempt(media::SourceReader& reader, bool fresh) {
    std::optional<VideoTrack> video;
    std::optional<AudioTrack> audio;
    PacketInterleaver out(params_.video.has_value(), params_.audio.has_value(), [&]() {
      return media::TsMuxer::open(video ? &video->encoder() : nullptr, audio ? &audio->encoder() : nullptr, sink_);
    });
    if (params_.video) {
      OSSLIVE_ASSIGN(auto track, VideoTrack::open(video_config(reader, fresh), out));
      video.emplace(std::move(track));
    }
    if (params_.audio) {
      OSSLIVE_ASSIGN(auto track, AudioTrack::open(audio_config(reader, fresh), out));
      audio.emplace(std::move(track));
    }

    MediaReach reach;
    while ((video && !video->done()) || (audio && !audio->done())) {
      if (auto expired = reader.expired()) return *std::move(expired);
      if (options_.pause) options_.pause();
      OSSLIVE_ASSIGN(media::DecodedFrame frame, reader.next());
      // Concealed pictures do not count: a truncated file ends in them.
      if (frame.has_pts && frame.kind == media::DecodedFrame::Kind::Video && !frame.corrupt)
        reach.video_us = std::max(reach.video_us, frame.pts_us);
      if (frame.has_pts && frame.kind == media::DecodedFrame::Kind::Audio)
        reach.audio_us = std::max(reach.audio_us, frame.pts_us);
      bool late = false;
      if (frame.kind == media::DecodedFrame::Kind::End) {
        // Nothing of the primary stream after the seek point: the seek went past it.
        late = !fresh && (video ? !video->saw_picture() : !audio->saw_audio());
        if (!late) {
          OSSLIVE_TRY(check_not_truncated(reach, reader.ended_by_damage()));
          break;
        }
      } else if (frame.kind == media::DecodedFrame::Kind::Video && video) {
        OSSLIVE_ASSIGN(late, video->on_frame(frame));
      } else if (frame.kind == media::DecodedFrame::Kind::Audio && audio) {
        OSSLIVE_ASSIGN(late, audio->on_frame(frame));
      }
      if (late) {
        // Both tracks hold their packets until each has produced one, so nothing was written.
        if (out.started()) return Error(Errc::InternalError, "segment decode landed late after writing");
        return Outcome::Late;
      }
    }
    if (video) OSSLIVE_TRY(video->finish());
    if (audio) OSSLIVE_TRY(audio->finish());
    OSSLIVE_TRY(out.finish());
    return Outcome::Done;
  }

  // The source ended before this segment's last instant. A clean end is padding (the last
  // picture held, silence) as long as some stream reached that instant within a second: one stream
  // may well be shorter than the container. After unreadable data (a truncated or damaged file)
  // each stream must reach its own last instant within a frame: what is missing is not padding but
  // a broken file. A header that claims a longer duration than any stream holds fails either way.
  Status check_not_truncated(const MediaReach& reach, bool damaged) const {
    const std::int64_t base = params_.origin_us + params_.ss_us;
    auto ms = [&](std::int64_t us) {
      return us == INT64_MIN ? std::string("its start") : std::to_string((us - params_.origin_us) / 1000) + " ms";
    };
    auto fail = [&](const std::string& what, std::int64_t reached, std::int64_t needed) {
      return Error(Errc::InvalidArgument, "the source's " + what + " ends at " + ms(reached) +
                                              " but the playlist needs it until " + ms(needed) +
                                              ": the file is truncated or damaged, or its header claims more than "
                                              "it holds");
    };
    std::int64_t video_needed = INT64_MIN, audio_needed = INT64_MIN;
    if (params_.video) {
      const auto& rate = params_.video->frame_rate;
      video_needed = base + exact::micros(segment_.first_video_frame + segment_.video_frames - 1, rate.num, rate.den);
      if (damaged && (reach.video_us == INT64_MIN || reach.video_us + exact::micros(1, rate.num, rate.den) < video_needed))
        return fail("video", reach.video_us, video_needed);
    }
    if (params_.audio && segment_.audio_frames > 0) {
      const int rate = params_.audio->sample_rate;
      audio_needed =
          base + exact::micros((segment_.first_audio_frame + segment_.audio_frames - 1) * hls::kAacFrameSamples, rate, 1);
      if (damaged && (reach.audio_us == INT64_MIN ||
                      reach.audio_us + exact::micros(2 * hls::kAacFrameSamples, rate, 1) < audio_needed))
        return fail("audio", reach.audio_us, audio_needed);
    }
    const std::int64_t reached = std::max(reach.video_us, reach.audio_us);
    const std::int64_t needed = std::max(video_needed, audio_needed);
    if (reached == INT64_MIN || reached + kTruncationSlackUs < needed) return fail("media", reached, needed);
    return {};
  }

  const hls::ResolvedParams& params_;
  const hls::Segment& segment_;
  std::shared_ptr<const FileHandle> source_;
  const TranscodeOptions& options_;
  const std::function<Status(std::string_view)>& sink_;
  int threads_ = 1;
  int encoder_threads_ = 1;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace

Status transcode_segment(const hls::Manifest& manifest, const hls::SegmentPlan& plan, std::int64_t index,
                         std::shared_ptr<const FileHandle> source, const TranscodeOptions& options,
                         const std::function<Status(std::string_view bytes)>& sink) {
  if (index < 0 || index >= static_cast<std::int64_t>(plan.segments.size())) {
    return Error(Errc::InvalidArgument, "segment " + std::to_string(index) + " is not in the playlist (it has " +
                                            std::to_string(plan.segments.size()) + ")");
  }
  if (!manifest.params.video && !manifest.params.audio) {
    return Error(Errc::InvalidArgument, "playlist has neither video nor audio");
  }
  if (!source || !source->valid()) return Error(Errc::InternalError, "no source file to transcode");
  SegmentJob job(manifest, plan.segments[static_cast<std::size_t>(index)], std::move(source), options, sink);
  Status status = job.run();
  if (!status.ok()) return std::move(status).error().context("segment " + std::to_string(index));
  return {};
}

}  // namespace osslive::transcode
