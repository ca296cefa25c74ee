#include "osslive/media/source_reader.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "audio_timing.hpp"
#include "frames_impl.hpp"
#include "pinned_input.hpp"

namespace osslive::media {
namespace {

std::int64_t to_us(std::int64_t ts, AVRational time_base) { return av_rescale_q(ts, time_base, AV_TIME_BASE_Q); }

Result<CodecContextPtr> open_decoder(const AVStream* stream, int threads, bool manual_trim, std::int64_t max_pixels) {
  const AVCodecParameters* par = stream->codecpar;
  const AVCodec* codec = avcodec_find_decoder(par->codec_id);
  if (codec == nullptr) {
    return Error(Errc::InvalidArgument, std::string("source stream uses a codec this build cannot decode: ") +
                                            avcodec_get_name(par->codec_id));
  }
  CodecContextPtr context(avcodec_alloc_context3(codec));
  if (!context) return Error(Errc::InternalError, "out of memory for a decoder");
  if (int rc = avcodec_parameters_to_context(context.get(), par); rc < 0) {
    return Error(Errc::InternalError, "decoder parameters: " + av_error_text(rc));
  }
  context->pkt_timebase = stream->time_base;
  context->thread_count = threads;
  if (max_pixels > 0) context->max_pixels = std::min<std::int64_t>(max_pixels, std::numeric_limits<int>::max());
  context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  if (manual_trim) context->flags2 |= AV_CODEC_FLAG2_SKIP_MANUAL;
  if (int rc = avcodec_open2(context.get(), codec, nullptr); rc < 0) {
    return Error(Errc::InvalidArgument, std::string("source stream cannot be decoded (") + codec->name +
                                            "): " + av_error_text(rc));
  }
  return context;
}

}  // namespace

struct SourceReader::State {
  explicit State(PinnedInput in) : input(std::move(in)) {}
  ~State() { stop_ahead(); }

  PinnedInput input;
  int video = -1;
  int audio = -1;
  CodecContextPtr video_decoder;
  CodecContextPtr audio_decoder;
  bool audio_fed = false;  // the audio decoder has had a packet since it was opened
  PacketPtr packet{av_packet_alloc()};
  FramePtr frame{av_frame_alloc()};
  std::deque<DecodedFrame> ready;
  bool eof = false;      // no more packets
  bool damaged = false;  // unreadable data was met: a short end means a broken file
  bool drained = false;  // decoders flushed after eof
  std::int64_t skip_before_us = INT64_MIN;
  std::int64_t max_pixels = 0;  // the video decoder's bound (ReaderOptions::max_pixels)
  std::int64_t max_video_pts_us = INT64_MIN;  // of the video packets read since the last seek

  // The background decoder (decode_ahead > 0): it alone touches the input, the decoders and the
  // fields above while it runs; the caller takes finished results from `ahead`.
  int ahead_limit = 0;
  std::thread worker;
  std::mutex ahead_mutex;
  std::condition_variable ahead_changed;
  std::deque<Result<DecodedFrame>> ahead;
  bool worker_stop = false;
  std::optional<Result<DecodedFrame>> terminal;  // End or an error: every later next() repeats it

  AVStream* stream(int index) const { return input->streams[index]; }

  // The audio stream's first packet: at or before the stream's start time.
  bool is_stream_start(const AVPacket* pkt) const {
    const std::int64_t start = stream(audio)->start_time;
    return pkt->pts != AV_NOPTS_VALUE && start != AV_NOPTS_VALUE && pkt->pts <= start;
  }

  // Moves every frame the decoder has into `ready`.
  Status receive(AVCodecContext* decoder, int index) {
    const bool is_video = index == video;
    const AVRational time_base = stream(index)->time_base;
    while (true) {
      int rc = avcodec_receive_frame(decoder, frame.get());
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
      if (rc == AVERROR(ENOMEM)) return Error(Errc::InternalError, "out of memory while decoding");
      if (rc < 0 && is_video) OSSLIVE_TRY(check_picture_size(decoder));
      if (rc < 0) return {};  // a damaged frame: skip it, the next keyframe recovers
      DecodedFrame out;
      out.kind = is_video ? DecodedFrame::Kind::Video : DecodedFrame::Kind::Audio;
      std::int64_t ts = frame->best_effort_timestamp;
      out.has_pts = ts != AV_NOPTS_VALUE;
      if (out.has_pts) out.pts_us = to_us(ts, time_base);
      if (is_video) {
        out.corrupt = (frame->flags & AV_FRAME_FLAG_CORRUPT) != 0 || frame->decode_error_flags != 0;
        out.key = (frame->key_frame != 0 || frame->pict_type == AV_PICTURE_TYPE_I) &&
                  (frame->flags & AV_FRAME_FLAG_CORRUPT) == 0;
        out.picture = make_picture(frame.get());
        if (out.picture.empty()) return Error(Errc::InternalError, "out of memory while decoding");
      } else {
        if (frame->nb_samples <= 0 || frame->sample_rate <= 0) {
          av_frame_unref(frame.get());
          continue;
        }
        out.audio = make_audio_frame(frame.get());
        if (out.audio.empty()) return Error(Errc::InternalError, "out of memory while decoding");
        read_frame_trim(frame.get(), out);
      }
      av_frame_unref(frame.get());
      ready.push_back(std::move(out));
    }
  }

  Status decode(AVCodecContext* decoder, int index, const AVPacket* pkt) {
    while (true) {
      int rc = avcodec_send_packet(decoder, pkt);
      if (rc == AVERROR(EAGAIN)) {
        // The decoder is full: take its frames, then offer the packet again.
        OSSLIVE_TRY(receive(decoder, index));
        continue;
      }
      if (rc == AVERROR(ENOMEM)) return Error(Errc::InternalError, "out of memory while decoding");
      // Damaged packets (AVERROR_INVALIDDATA and friends) are skipped, and remembered: if the
      // streams then end early, the file is broken rather than short.
      if (rc < 0 && index == video) OSSLIVE_TRY(check_picture_size(decoder));
      if (rc < 0 && pkt) damaged = true;
      return receive(decoder, index);
    }
  }

  // A picture the decoder refused for its size (max_pixels) is not damage to skip: the stream grew
  // past what the probe saw, and the job stops with a clear error.
  Status check_picture_size(const AVCodecContext* decoder) const {
    const std::int64_t pixels = std::int64_t{decoder->width} * decoder->height;
    if (max_pixels <= 0 || pixels <= max_pixels) return {};
    return Error(Errc::InvalidArgument, "source picture size " + std::to_string(decoder->width) + "x" +
                                            std::to_string(decoder->height) + " is far larger than the " +
                                            "pictures its playlist was made from; such a source is refused");
  }

  Status drain() {
    if (video_decoder) OSSLIVE_TRY(decode(video_decoder.get(), video, nullptr));
    if (audio_decoder) OSSLIVE_TRY(decode(audio_decoder.get(), audio, nullptr));
    drained = true;
    return {};
  }

  // A reordered packet (its time is before a packet already read, which is therefore decoded:
  // only reordered packets are ever skipped) whose picture a later one replaces before
  // skip_before_us: decoding it is wasted when it is not a reference either.
  void choose_skip(const AVPacket* pkt) {
    if (skip_before_us == INT64_MIN) return;
    AVDiscard discard = AVDISCARD_DEFAULT;
    if (pkt->pts != AV_NOPTS_VALUE) {
      const std::int64_t pts_us = to_us(pkt->pts, stream(video)->time_base);
      if (pts_us < max_video_pts_us && max_video_pts_us <= skip_before_us) discard = AVDISCARD_NONREF;
      max_video_pts_us = std::max(max_video_pts_us, pts_us);
    }
    // Frame-threaded decoders take the setting with the packet they are given.
    video_decoder->skip_frame = discard;
  }

  Result<DecodedFrame> decode_next() {
    while (ready.empty()) {
      if (drained) return DecodedFrame{};
      if (input.interrupted()) return input.failure(AVERROR_EXIT);
      if (eof) {
        OSSLIVE_TRY(drain());
        continue;
      }
      int rc = av_read_frame(input.get(), packet.get());
      if (rc == AVERROR(EAGAIN)) continue;
      if (rc < 0) {
        // The end of the file, or damage libav cannot read past: both end the streams here.
        if (input.interrupted()) return input.failure(rc);
        eof = true;
        damaged = rc != AVERROR_EOF;
        continue;
      }
      const int index = packet->stream_index;
      if (packet->flags & AV_PKT_FLAG_CORRUPT) damaged = true;  // e.g. cut off by the end of the file
      Status decoded;
      if (index == video) {
        choose_skip(packet.get());
        decoded = decode(video_decoder.get(), index, packet.get());
      } else if (index == audio) {
        decoded = state_packet_trim(packet.get(), !audio_fed && is_stream_start(packet.get()));
        audio_fed = true;
        if (decoded.ok()) decoded = decode(audio_decoder.get(), index, packet.get());
      }
      av_packet_unref(packet.get());
      OSSLIVE_TRY(std::move(decoded));
    }
    DecodedFrame out = std::move(ready.front());
    ready.pop_front();
    return out;
  }

  static bool is_terminal(const Result<DecodedFrame>& r) { return !r.ok() || r->kind == DecodedFrame::Kind::End; }

  std::size_t ahead_pictures() const {
    std::size_t n = 0;
    for (const auto& r : ahead)
      if (r.ok() && r->kind == DecodedFrame::Kind::Video) ++n;
    return n;
  }

  void run_ahead() {
    while (true) {
      Result<DecodedFrame> next = decode_next();
      const bool last = is_terminal(next);
      const bool picture = next.ok() && next->kind == DecodedFrame::Kind::Video;
      std::unique_lock lock(ahead_mutex);
      // Pictures are large: their count is what is bounded (audio frames ride along, capped
      // loosely so a long run of audio cannot grow without bound either).
      ahead_changed.wait(lock, [&] {
        return worker_stop || (picture ? ahead_pictures() < static_cast<std::size_t>(ahead_limit)
                                       : ahead.size() < static_cast<std::size_t>(ahead_limit) * 16);
      });
      if (worker_stop) return;
      ahead.push_back(std::move(next));
      ahead_changed.notify_all();
      if (last) return;
    }
  }

  Result<DecodedFrame> take() {
    if (terminal) return *terminal;
    if (ahead_limit <= 0) {
      Result<DecodedFrame> next = decode_next();
      if (!next.ok()) terminal = next;
      return next;
    }
    if (!worker.joinable()) {
      worker_stop = false;
      worker = std::thread([this] { run_ahead(); });
    }
    std::unique_lock lock(ahead_mutex);
    ahead_changed.wait(lock, [&] { return !ahead.empty(); });
    Result<DecodedFrame> next = std::move(ahead.front());
    ahead.pop_front();
    ahead_changed.notify_all();
    if (is_terminal(next)) terminal = next;
    return next;
  }

  void stop_ahead() {
    if (!worker.joinable()) return;
    {
      std::lock_guard lock(ahead_mutex);
      worker_stop = true;
    }
    ahead_changed.notify_all();
    worker.join();
    ahead.clear();
  }

  StreamClock clock(int index) const {
    StreamClock c;
    if (index < 0) return c;
    const AVStream* st = stream(index);
    if (st->start_time != AV_NOPTS_VALUE) {
      c.start_us = to_us(st->start_time, st->time_base);
    } else if (input->start_time != AV_NOPTS_VALUE) {
      c.start_us = input->start_time;
    }
    if (st->time_base.num > 0 && st->time_base.den > 0) {
      c.time_base = Rational{st->time_base.num, st->time_base.den};
      c.tick_us = std::max<std::int64_t>(1, av_rescale_rnd(st->time_base.num, AV_TIME_BASE, st->time_base.den, AV_ROUND_UP));
    }
    return c;
  }
};

SourceReader::SourceReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
SourceReader::SourceReader(SourceReader&&) noexcept = default;
SourceReader& SourceReader::operator=(SourceReader&&) noexcept = default;
SourceReader::~SourceReader() = default;

Result<SourceReader> SourceReader::open(std::shared_ptr<const FileHandle> file, const ReaderOptions& options) {
  InputLimits limits;
  limits.deadline = options.deadline;
  OSSLIVE_ASSIGN(PinnedInput input, PinnedInput::open(std::move(file), limits));
  constexpr int kAnySide = std::numeric_limits<int>::max();
  OSSLIVE_TRY(input.find_stream_info(kAnySide, kAnySide, options.max_pixels));
  auto state = std::make_unique<State>(std::move(input));
  if (!state->packet || !state->frame) return Error(Errc::InternalError, "out of memory for the source reader");

  AVFormatContext* format = state->input.get();
  auto check = [&](int index, AVMediaType type, const char* what) -> Status {
    if (index < 0) return {};
    if (index >= static_cast<int>(format->nb_streams) || format->streams[index]->codecpar->codec_type != type) {
      return Error(Errc::InvalidArgument, std::string("source no longer matches its playlist: stream ") +
                                              std::to_string(index) + " is not the " + what + " stream");
    }
    return {};
  };
  OSSLIVE_TRY(check(options.video_stream, AVMEDIA_TYPE_VIDEO, "video"));
  OSSLIVE_TRY(check(options.audio_stream, AVMEDIA_TYPE_AUDIO, "audio"));
  state->video = options.video_stream;
  state->audio = options.audio_stream;
  state->ahead_limit = std::max(0, options.decode_ahead);
  state->skip_before_us = options.skip_superseded_before_us;
  state->max_pixels = options.max_pixels;
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const int index = static_cast<int>(i);
    if (index != state->video && index != state->audio) format->streams[i]->discard = AVDISCARD_ALL;
  }
  if (state->video >= 0) {
    OSSLIVE_ASSIGN(state->video_decoder, open_decoder(state->stream(state->video), std::max(1, options.threads), false,
                                                          options.max_pixels));
  }
  if (state->audio >= 0) {
    OSSLIVE_ASSIGN(state->audio_decoder, open_decoder(state->stream(state->audio), 1, true, 0));
  }
  return SourceReader(std::move(state));
}

Result<bool> SourceReader::seek(std::int64_t source_us) {
  State& s = *state_;
  s.stop_ahead();
  const int index = s.video >= 0 ? s.video : s.audio;
  const AVRational time_base = s.stream(index)->time_base;
  const std::int64_t ts = av_rescale_q_rnd(source_us, AV_TIME_BASE_Q, time_base, AV_ROUND_DOWN);
  int rc = avformat_seek_file(s.input.get(), index, INT64_MIN, ts, ts, 0);
  if (rc < 0) {
    if (s.input.interrupted()) return s.input.failure(rc);
    return false;
  }
  if (s.video_decoder) avcodec_flush_buffers(s.video_decoder.get());
  // A new audio decoder rather than a flushed one: its start-up trim is pending again, and only
  // the stream's first packet keeps it (audio_timing.hpp).
  if (s.audio_decoder) {
    OSSLIVE_ASSIGN(s.audio_decoder, open_decoder(s.stream(s.audio), 1, true, 0));
    s.audio_fed = false;
  }
  s.ready.clear();
  s.eof = false;
  s.drained = false;
  s.terminal.reset();
  s.max_video_pts_us = INT64_MIN;
  return true;
}

Result<DecodedFrame> SourceReader::next() { return state_->take(); }

StreamClock SourceReader::video_clock() const { return state_->clock(state_->video); }
StreamClock SourceReader::audio_clock() const { return state_->clock(state_->audio); }

int SourceReader::audio_sample_rate() const {
  return state_->audio_decoder ? state_->audio_decoder->sample_rate : 0;
}

int SourceReader::audio_packet_grid() const {
  if (!state_->audio_decoder) return 1;
  return media::audio_packet_grid(state_->stream(state_->audio)->codecpar, state_->audio_decoder->sample_rate);
}

// Read after next() gave End: the background thread wrote it before handing that over.
bool SourceReader::ended_by_damage() const { return state_->damaged; }

std::optional<Error> SourceReader::expired() const {
  if (state_->worker.joinable()) return std::nullopt;  // the input belongs to the background thread
  if (!state_->input.interrupted()) return std::nullopt;
  return state_->input.failure(AVERROR_EXIT);
}

}  // namespace osslive::media
