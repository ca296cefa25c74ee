#include "osslive/media/ts_muxer.hpp"

#include <optional>
#include <string>

#include "encoder_impl.hpp"
#include "frames_impl.hpp"

namespace osslive::media {
namespace {

constexpr int kOutputBufferSize = 64 * 1024;
// mpegtsenc derives the PCR from dts - max_delay; the transcoder's timestamp offset is chosen
// above it, so the PCR never goes negative.
constexpr int kMaxDelayUs = 700'000;

struct OutputFormatDeleter {
  void operator()(AVFormatContext* context) const { avformat_free_context(context); }
};
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

}  // namespace

struct TsMuxer::State {
  Sink sink;
  std::optional<Error> sink_error;
  // Destroyed in reverse order: the format context first, then the AVIOContext it writes to.
  AvioPtr avio;
  OutputFormatPtr format;
  int video = -1;
  int audio = -1;
  bool finished = false;
  bool wrote_packet = false;

  static int write_packet(void* opaque, std::uint8_t* buffer, int size) {
    auto* state = static_cast<State*>(opaque);
    if (state->sink_error) return AVERROR_EXIT;
    Status status = state->sink(std::string_view(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size)));
    if (!status.ok()) {
      state->sink_error = std::move(status).error();
      return AVERROR_EXIT;
    }
    return size;
  }

  Error failure(const char* what, int rc) const {
    if (sink_error) return *sink_error;
    return Error(Errc::InternalError, std::string("TS muxer ") + what + ": " + av_error_text(rc));
  }

  Result<int> add_stream(const AVCodecContext* encoder) {
    AVStream* stream = avformat_new_stream(format.get(), nullptr);
    if (stream == nullptr) return Error(Errc::InternalError, "out of memory for a TS stream");
    if (int rc = avcodec_parameters_from_context(stream->codecpar, encoder); rc < 0) return failure("stream", rc);
    stream->time_base = AVRational{1, 90000};
    return stream->index;
  }
};

TsMuxer::TsMuxer(std::unique_ptr<State> state) : state_(std::move(state)) {}
TsMuxer::TsMuxer(TsMuxer&&) noexcept = default;
TsMuxer& TsMuxer::operator=(TsMuxer&&) noexcept = default;
TsMuxer::~TsMuxer() = default;

Result<TsMuxer> TsMuxer::open(const VideoEncoder* video, const AudioEncoder* audio, Sink sink) {
  if (video == nullptr && audio == nullptr) return Error(Errc::InternalError, "a TS needs at least one stream");
  auto state = std::make_unique<State>();
  state->sink = std::move(sink);
  AVFormatContext* raw = nullptr;
  if (int rc = avformat_alloc_output_context2(&raw, nullptr, "mpegts", nullptr); rc < 0 || raw == nullptr) {
    return Error(Errc::InternalError, "TS muxer: " + av_error_text(rc));
  }
  state->format.reset(raw);
  AvBufferPtr buffer(static_cast<unsigned char*>(av_malloc(kOutputBufferSize)));
  if (!buffer) return Error(Errc::InternalError, "out of memory for the TS buffer");
  state->avio.reset(avio_alloc_context(buffer.get(), kOutputBufferSize, 1, state.get(), nullptr, &State::write_packet, nullptr));
  if (!state->avio) return Error(Errc::InternalError, "out of memory for the TS writer");
  buffer.release();
  AVFormatContext* format = state->format.get();
  format->pb = state->avio.get();
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  format->max_delay = kMaxDelayUs;
  format->avoid_negative_ts = AVFMT_AVOID_NEG_TS_DISABLED;

  if (video != nullptr) {
    OSSLIVE_ASSIGN(state->video, state->add_stream(video->impl()->context.get()));
  }
  if (audio != nullptr) {
    OSSLIVE_ASSIGN(state->audio, state->add_stream(audio->impl()->context.get()));
  }

  AVDictionary* options = nullptr;
  av_dict_set(&options, "mpegts_copyts", "1", 0);
  int rc = avformat_write_header(format, &options);
  DictionaryPtr unused(options);
  if (rc < 0) return state->failure("header", rc);
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVRational tb = format->streams[i]->time_base;
    if (tb.num != 1 || tb.den != 90000) return Error(Errc::InternalError, "TS muxer changed the 90 kHz time base");
  }
  return TsMuxer(std::move(state));
}

int TsMuxer::video_stream() const { return state_->video; }
int TsMuxer::audio_stream() const { return state_->audio; }

Status TsMuxer::write(int stream, Packet&& packet, std::int64_t pts, std::int64_t dts) {
  State& s = *state_;
  if (s.sink_error) return *s.sink_error;
  if (packet.impl() == nullptr || stream < 0 || stream >= static_cast<int>(s.format->nb_streams)) {
    return Error(Errc::InternalError, "TS muxer: no such stream");
  }
  AVPacket* pkt = packet.impl()->packet.get();
  pkt->stream_index = stream;
  pkt->pts = pts;
  pkt->dts = dts;
  pkt->duration = 0;
  pkt->pos = -1;
  const bool keyframe = stream == s.video && (pkt->flags & AV_PKT_FLAG_KEY) != 0;
  int rc = av_write_frame(s.format.get(), pkt);
  if (rc < 0) return s.failure("packet", rc);
  // A player can start from the first packet (a segment opens with an IDR picture) and resync at
  // each keyframe: those go out at once instead of waiting for a full block, which would hold
  // the first bytes of a cold segment back by up to a second of encoding.
  if (!s.wrote_packet || keyframe) {
    s.wrote_packet = true;
    avio_flush(s.avio.get());
    if (s.sink_error) return *s.sink_error;
  }
  return {};
}

Status TsMuxer::finish() {
  State& s = *state_;
  if (s.finished) return {};
  s.finished = true;
  if (int rc = av_write_trailer(s.format.get()); rc < 0) return s.failure("trailer", rc);
  avio_flush(s.avio.get());
  if (s.sink_error) return *s.sink_error;
  if (s.avio->error < 0) return s.failure("flush", s.avio->error);
  return {};
}

}  // namespace osslive::media
