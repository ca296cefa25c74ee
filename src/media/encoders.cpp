#include "osslive/media/encoders.hpp"

#include <cmath>
#include <cstring>
#include <string>

#include "encoder_impl.hpp"
#include "osslive/core/strings.hpp"
#include "frames_impl.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/cpu.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

namespace osslive::media {
namespace {

Status receive_packets(AVCodecContext* context, AVPacket* packet, const PacketCallback& on_packet) {
  while (true) {
    int rc = avcodec_receive_packet(context, packet);
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return {};
    if (rc < 0) return Error(Errc::InternalError, std::string("encoder ") + context->codec->name + ": " + av_error_text(rc));
    auto impl = std::make_unique<Packet::Impl>();
    impl->packet.reset(av_packet_alloc());
    if (!impl->packet) return Error(Errc::InternalError, "out of memory for an encoded packet");
    av_packet_move_ref(impl->packet.get(), packet);
    OSSLIVE_TRY(on_packet(Packet(std::move(impl))));
  }
}

Status send_and_receive(AVCodecContext* context, const AVFrame* frame, AVPacket* packet, const PacketCallback& on_packet) {
  int rc = avcodec_send_frame(context, frame);
  if (rc == AVERROR_EOF) return {};  // flushed twice
  if (rc < 0) return Error(Errc::InternalError, std::string("encoder ") + context->codec->name + ": " + av_error_text(rc));
  return receive_packets(context, packet, on_packet);
}

// x264 0.164 on its AVX-512 code gives bytes that depend on what the heap held before it ran:
// the same pictures encoded twice made different segments whenever other work (a decode-ahead
// thread, another job) had left different leftovers in the memory x264 was given. It showed with
// B-frames at every size tried up to 320 wide and on small pictures without them, in x264 alone
// too (docs/PERFORMANCE.md, "B-frames"; tests/unit/transcode/determinism_test.cpp). On its AVX2
// code the bytes stayed the same whatever the heap held. Only where libavutil sees AVX-512 is the
// set named; elsewhere x264 detects the CPU itself.
std::string x264_params() {
  // The lookahead on the calling thread: one thread fewer on a machine whose cores the job's
  // decoder and scaler already share.
  std::string params = "sync-lookahead=0";
  if ((av_get_cpu_flags() & AV_CPU_FLAG_AVX512) != 0) params += ":asm=AVX2";
  return params;
}

void set(DictionaryPtr& options, const char* key, const std::string& value) {
  AVDictionary* raw = options.release();
  av_dict_set(&raw, key, value.c_str(), 0);
  options.reset(raw);
}

}  // namespace

VideoEncoder::VideoEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoEncoder::VideoEncoder(VideoEncoder&&) noexcept = default;
VideoEncoder& VideoEncoder::operator=(VideoEncoder&&) noexcept = default;
VideoEncoder::~VideoEncoder() = default;

Result<VideoEncoder> VideoEncoder::open(const VideoEncoderSettings& s) {
  const bool x265 = s.encoder == "libx265";
  if (!x265 && s.encoder != "libx264") return Error(Errc::InternalError, "unknown video encoder " + s.encoder);
  const AVCodec* codec = avcodec_find_encoder_by_name(s.encoder.c_str());
  if (codec == nullptr) return Error(Errc::InternalError, "this build has no " + s.encoder + " encoder");
  const AVPixelFormat pix_fmt = av_get_pix_fmt(s.pix_fmt.c_str());
  if (pix_fmt == AV_PIX_FMT_NONE) return Error(Errc::InternalError, "unknown pixel format " + s.pix_fmt);
  if (!s.frame_rate.positive() || s.width <= 0 || s.height <= 0) {
    return Error(Errc::InternalError, "video encoder needs a size and a frame rate");
  }

  auto impl = std::make_unique<Impl>();
  impl->context.reset(avcodec_alloc_context3(codec));
  if (!impl->context || !impl->packet) return Error(Errc::InternalError, "out of memory for the video encoder");
  AVCodecContext* c = impl->context.get();
  c->width = s.width;
  c->height = s.height;
  c->pix_fmt = pix_fmt;
  c->sample_aspect_ratio = AVRational{1, 1};
  c->time_base = AVRational{static_cast<int>(s.frame_rate.den), static_cast<int>(s.frame_rate.num)};
  c->framerate = AVRational{static_cast<int>(s.frame_rate.num), static_cast<int>(s.frame_rate.den)};
  c->gop_size = std::max(1, s.keyint);
  c->keyint_min = std::max(1, s.keyint);
  c->flags |= AV_CODEC_FLAG_CLOSED_GOP;  // no global header: SPS/PPS stay in band
  c->thread_count = std::max(1, s.threads);
  c->thread_type = FF_THREAD_FRAME;
  if (!s.b_frames) c->max_b_frames = 0;

  DictionaryPtr options;
  set(options, "preset", s.preset);
  set(options, "forced-idr", "1");
  if (s.bitrate > 0) {
    c->bit_rate = s.bitrate;
  } else {
    set(options, "crf", format_fixed_point(std::llround(s.crf * 100), 2));
  }
  // A VBV cap: with crf (hls/m3u8 maxrate/bufsize) or with a bit rate (GenerateVideoPlaylist bounds BANDWIDTH by it).
  if (s.maxrate > 0 && s.bufsize > 0) {
    c->rc_max_rate = s.maxrate;
    c->rc_buffer_size = static_cast<int>(std::min<std::int64_t>(s.bufsize, INT32_MAX));
  }
  if (x265) {
    std::string params = "scenecut=0:open-gop=0:repeat-headers=1:log-level=error:pools=" + std::to_string(c->thread_count);
    if (!s.b_frames) params += ":bframes=0";
    set(options, "x265-params", params);
  } else {
    set(options, "sc_threshold", "0");
    set(options, "x264-params", x264_params());
  }
  AVDictionary* raw = options.release();
  int rc = avcodec_open2(c, codec, &raw);
  options.reset(raw);
  if (rc < 0) return Error(Errc::InternalError, "opening " + s.encoder + ": " + av_error_text(rc));
  return VideoEncoder(std::move(impl));
}

Status VideoEncoder::encode(const Picture& picture, std::int64_t pts, bool force_idr, const PacketCallback& on_packet) {
  if (picture.empty()) return Error(Errc::InternalError, "no picture to encode");
  AVCodecContext* c = impl_->context.get();
  const AVFrame* source = picture.impl()->frame.get();
  if (source->width != c->width || source->height != c->height || source->format != c->pix_fmt) {
    return Error(Errc::InternalError, "picture does not match the video encoder");
  }
  FramePtr frame(av_frame_clone(source));
  if (!frame) return Error(Errc::InternalError, "out of memory while encoding");
  frame->pts = pts;
  frame->pict_type = force_idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
  frame->key_frame = force_idr ? 1 : 0;
  return send_and_receive(c, frame.get(), impl_->packet.get(), on_packet);
}

Status VideoEncoder::flush(const PacketCallback& on_packet) {
  return send_and_receive(impl_->context.get(), nullptr, impl_->packet.get(), on_packet);
}

AudioEncoder::AudioEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AudioEncoder::AudioEncoder(AudioEncoder&&) noexcept = default;
AudioEncoder& AudioEncoder::operator=(AudioEncoder&&) noexcept = default;
AudioEncoder::~AudioEncoder() = default;

Result<AudioEncoder> AudioEncoder::open(const AudioEncoderSettings& s) {
  const AVCodec* codec = avcodec_find_encoder_by_name("aac");
  if (codec == nullptr) return Error(Errc::InternalError, "this build has no aac encoder");
  if (s.sample_rate <= 0 || s.channels <= 0) return Error(Errc::InternalError, "audio encoder needs a rate and channels");
  auto impl = std::make_unique<Impl>();
  impl->context.reset(avcodec_alloc_context3(codec));
  if (!impl->context || !impl->packet || !impl->frame) return Error(Errc::InternalError, "out of memory for the audio encoder");
  AVCodecContext* c = impl->context.get();
  c->sample_fmt = AV_SAMPLE_FMT_FLTP;
  c->sample_rate = s.sample_rate;
  av_channel_layout_default(&c->ch_layout, s.channels);
  c->time_base = AVRational{1, s.sample_rate};
  if (s.global_quality > 0) {
    c->flags |= AV_CODEC_FLAG_QSCALE;
    c->global_quality = s.global_quality;
  } else if (s.bitrate > 0) {
    c->bit_rate = s.bitrate;
  }
  if (int rc = avcodec_open2(c, codec, nullptr); rc < 0) {
    return Error(Errc::InternalError, "opening the aac encoder: " + av_error_text(rc));
  }
  AVFrame* f = impl->frame.get();
  f->nb_samples = c->frame_size;
  f->format = c->sample_fmt;
  f->sample_rate = c->sample_rate;
  if (av_channel_layout_copy(&f->ch_layout, &c->ch_layout) < 0 || av_frame_get_buffer(f, 0) < 0) {
    return Error(Errc::InternalError, "out of memory for the audio encoder");
  }
  return AudioEncoder(std::move(impl));
}

int AudioEncoder::frame_size() const { return impl_->context->frame_size; }

Status AudioEncoder::encode(const float* const* planes, std::int64_t pts, const PacketCallback& on_packet) {
  AVFrame* f = impl_->frame.get();
  if (av_frame_make_writable(f) < 0) return Error(Errc::InternalError, "out of memory while encoding audio");
  const std::size_t bytes = static_cast<std::size_t>(f->nb_samples) * sizeof(float);
  for (int ch = 0; ch < f->ch_layout.nb_channels; ++ch) std::memcpy(f->extended_data[ch], planes[ch], bytes);
  f->pts = pts;
  return send_and_receive(impl_->context.get(), f, impl_->packet.get(), on_packet);
}

Status AudioEncoder::flush(const PacketCallback& on_packet) {
  return send_and_receive(impl_->context.get(), nullptr, impl_->packet.get(), on_packet);
}

}  // namespace osslive::media
