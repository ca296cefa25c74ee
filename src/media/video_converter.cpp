#include "osslive/media/video_converter.hpp"

#include <algorithm>
#include <string>

#include "frames_impl.hpp"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/pixdesc.h>
}

namespace osslive::media {
namespace {

// The chain after the buffer source, as filter-graph text.
std::string chain_text(const VideoGeometry& g) {
  std::string chain;
  auto add = [&](const std::string& filter) {
    if (!chain.empty()) chain += ',';
    chain += filter;
  };
  if (g.rotation == 90) add("transpose=clock");
  if (g.rotation == 180) add("hflip,vflip");
  if (g.rotation == 270) add("transpose=cclock");
  add("scale=w=" + std::to_string(g.scaled_width) + ":h=" + std::to_string(g.scaled_height) + ":flags=bicubic");
  if (g.scaled_width > g.width || g.scaled_height > g.height) {
    add("crop=w=" + std::to_string(g.width) + ":h=" + std::to_string(g.height) + ":x=" + std::to_string(g.crop_x) +
        ":y=" + std::to_string(g.crop_y) + ":exact=1");
  } else if (g.scaled_width < g.width || g.scaled_height < g.height) {
    add("pad=w=" + std::to_string(g.width) + ":h=" + std::to_string(g.height) + ":x=" + std::to_string(g.pad_x) +
        ":y=" + std::to_string(g.pad_y) + ":color=black");
  }
  add("format=pix_fmts=" + g.pix_fmt);
  add("setsar=1");
  return chain;
}

struct InOutDeleter {
  void operator()(AVFilterInOut* io) const { avfilter_inout_free(&io); }
};
using InOutPtr = std::unique_ptr<AVFilterInOut, InOutDeleter>;

}  // namespace

struct VideoConverter::State {
  VideoGeometry geometry;
  int threads = 1;
  FilterGraphPtr graph;
  AVFilterContext* source = nullptr;
  AVFilterContext* sink = nullptr;
  int width = 0, height = 0, format = -1;
  FramePtr out{av_frame_alloc()};

  Status build(const AVFrame* frame) {
    graph.reset(avfilter_graph_alloc());
    if (!graph || !out) return Error(Errc::InternalError, "out of memory for the picture converter");
    // Scaling is split into slices; the output is the same for any count.
    graph->nb_threads = threads;
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame->format));
    if (desc == nullptr) return Error(Errc::InvalidArgument, "source picture has an unknown pixel format");
    // The time base is irrelevant: pictures pass one at a time and keep no timing here.
    std::string args = "video_size=" + std::to_string(frame->width) + "x" + std::to_string(frame->height) +
                       ":pix_fmt=" + std::to_string(frame->format) + ":time_base=1/1000000:pixel_aspect=1/1";
    int rc = avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", args.c_str(), nullptr, graph.get());
    if (rc < 0) return Error(Errc::InternalError, "picture converter source: " + av_error_text(rc));
    rc = avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nullptr, nullptr, graph.get());
    if (rc < 0) return Error(Errc::InternalError, "picture converter sink: " + av_error_text(rc));

    InOutPtr outputs(avfilter_inout_alloc());
    InOutPtr inputs(avfilter_inout_alloc());
    if (!outputs || !inputs) return Error(Errc::InternalError, "out of memory for the picture converter");
    outputs->name = av_strdup("in");
    outputs->filter_ctx = source;
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink;
    AVFilterInOut* in_ptr = inputs.release();
    AVFilterInOut* out_ptr = outputs.release();
    rc = avfilter_graph_parse_ptr(graph.get(), chain_text(geometry).c_str(), &in_ptr, &out_ptr, nullptr);
    avfilter_inout_free(&in_ptr);
    avfilter_inout_free(&out_ptr);
    if (rc < 0) return Error(Errc::InternalError, "picture converter chain: " + av_error_text(rc));
    rc = avfilter_graph_config(graph.get(), nullptr);
    if (rc < 0) return Error(Errc::InternalError, "picture converter setup: " + av_error_text(rc));
    width = frame->width;
    height = frame->height;
    format = frame->format;
    return {};
  }
};

VideoConverter::VideoConverter(VideoGeometry geometry, int threads) : state_(std::make_unique<State>()) {
  state_->geometry = std::move(geometry);
  state_->threads = std::max(1, threads);
}
VideoConverter::VideoConverter(VideoConverter&&) noexcept = default;
VideoConverter& VideoConverter::operator=(VideoConverter&&) noexcept = default;
VideoConverter::~VideoConverter() = default;

Result<Picture> VideoConverter::convert(const Picture& source) {
  if (source.empty()) return Error(Errc::InternalError, "no picture to convert");
  State& s = *state_;
  const AVFrame* frame = source.impl()->frame.get();
  if (frame->width <= 0 || frame->height <= 0) return Error(Errc::InvalidArgument, "source picture has no size");
  if (!s.graph || frame->width != s.width || frame->height != s.height || frame->format != s.format) {
    OSSLIVE_TRY(s.build(frame));
  }
  FramePtr input(av_frame_clone(frame));
  if (!input) return Error(Errc::InternalError, "out of memory while converting a picture");
  // The encoder decides picture types and timing; nothing from the source may leak through.
  input->pict_type = AV_PICTURE_TYPE_NONE;
  input->pts = 0;
  input->sample_aspect_ratio = AVRational{1, 1};
  int rc = av_buffersrc_add_frame_flags(s.source, input.get(), AV_BUFFERSRC_FLAG_KEEP_REF);
  if (rc < 0) return Error(Errc::InternalError, "picture converter input: " + av_error_text(rc));
  rc = av_buffersink_get_frame(s.sink, s.out.get());
  if (rc < 0) return Error(Errc::InternalError, "picture converter output: " + av_error_text(rc));
  Picture converted = make_picture(s.out.get());
  av_frame_unref(s.out.get());
  if (converted.empty()) return Error(Errc::InternalError, "out of memory while converting a picture");
  return converted;
}

}  // namespace osslive::media
