#include "pinned_input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace osslive::media {
namespace {

constexpr int kIoBufferSize = 64 * 1024;

}  // namespace

struct PinnedInput::Io {
  std::shared_ptr<const FileHandle> file;
  std::int64_t size = 0;
  std::int64_t position = 0;
  std::chrono::steady_clock::time_point deadline;
  bool timed_out = false;
  std::string read_error;  // set when pread itself failed

  bool expired() {
    if (!timed_out && std::chrono::steady_clock::now() >= deadline) timed_out = true;
    return timed_out;
  }

  static int read_packet(void* opaque, std::uint8_t* buffer, int size) {
    auto* io = static_cast<Io*>(opaque);
    if (io->expired()) return AVERROR_EXIT;
    if (size <= 0) return 0;
    if (io->position >= io->size) return AVERROR_EOF;
    auto got = io->file->pread(buffer, static_cast<std::size_t>(size), static_cast<std::uint64_t>(io->position));
    if (!got.ok()) {
      io->read_error = got.error().message();
      return AVERROR(EIO);
    }
    if (*got == 0) return AVERROR_EOF;
    io->position += static_cast<std::int64_t>(*got);
    return static_cast<int>(*got);
  }

  static std::int64_t seek(void* opaque, std::int64_t offset, int whence) {
    auto* io = static_cast<Io*>(opaque);
    whence &= ~AVSEEK_FORCE;
    if (whence == AVSEEK_SIZE) return io->size;
    std::int64_t base = 0;
    if (whence == SEEK_CUR) {
      base = io->position;
    } else if (whence == SEEK_END) {
      base = io->size;
    } else if (whence != SEEK_SET) {
      return AVERROR(EINVAL);
    }
    if ((offset > 0 && base > std::numeric_limits<std::int64_t>::max() - offset) || base + offset < 0) {
      return AVERROR(EINVAL);
    }
    io->position = base + offset;
    return io->position;
  }

  static int interrupt(void* opaque) { return static_cast<Io*>(opaque)->expired() ? 1 : 0; }
};

PinnedInput::PinnedInput() = default;
PinnedInput::PinnedInput(PinnedInput&&) noexcept = default;
PinnedInput& PinnedInput::operator=(PinnedInput&&) noexcept = default;
PinnedInput::~PinnedInput() = default;

namespace {

// Playlists (hls, dash), concat lists, image sequences and MOV references open further inputs
// through io_open; a source must never reach another file or a URL.
int refuse_nested_open(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) {
  return AVERROR(EPERM);
}

}  // namespace

Result<PinnedInput> PinnedInput::open(std::shared_ptr<const FileHandle> file, const InputLimits& limits) {
  if (!file || !file->valid()) return Error(Errc::InternalError, "no source file to read");
  PinnedInput input;
  input.io_ = std::make_unique<Io>();
  OSSLIVE_ASSIGN(std::uint64_t size, file->size());
  input.io_->size = static_cast<std::int64_t>(size);
  input.io_->file = std::move(file);
  input.io_->deadline = limits.deadline;

  AvBufferPtr buffer(static_cast<unsigned char*>(av_malloc(kIoBufferSize)));
  if (!buffer) return Error(Errc::InternalError, "out of memory for the source read buffer");
  input.avio_.reset(avio_alloc_context(buffer.get(), kIoBufferSize, 0, input.io_.get(), &Io::read_packet,
                                       nullptr, &Io::seek));
  if (!input.avio_) return Error(Errc::InternalError, "out of memory for the source reader");
  buffer.release();  // the AVIOContext owns it now

  AVFormatContext* format = avformat_alloc_context();
  if (format == nullptr) return Error(Errc::InternalError, "out of memory for the source demuxer");
  format->pb = input.avio_.get();
  format->flags |= AVFMT_FLAG_CUSTOM_IO;
  format->interrupt_callback.callback = &Io::interrupt;
  format->interrupt_callback.opaque = input.io_.get();
  format->io_open = &refuse_nested_open;
  format->probesize = limits.probesize;
  format->max_analyze_duration = limits.analyzeduration_us;

  // Nested demuxers inherit the whitelist: belt and braces next to io_open.
  AVDictionary* options = nullptr;
  av_dict_set(&options, "protocol_whitelist", "none", 0);
  int rc = avformat_open_input(&format, nullptr, nullptr, &options);
  DictionaryPtr unused_options(options);
  if (rc < 0) return input.failure(rc);  // libav already freed `format`
  input.format_.reset(format);
  return input;
}

Status PinnedInput::find_stream_info(int max_width, int max_height, std::int64_t max_pixels) {
  AVFormatContext* format = format_.get();
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    const AVCodecParameters* par = format->streams[i]->codecpar;
    if (par->codec_type == AVMEDIA_TYPE_VIDEO &&
        (par->width > max_width || par->height > max_height ||
         static_cast<std::int64_t>(par->width) * par->height > max_pixels)) {
      return Error(Errc::InvalidArgument, "source video size " + std::to_string(par->width) + "x" +
                                              std::to_string(par->height) + " is larger than the limit of " +
                                              std::to_string(max_width) + "x" + std::to_string(max_height));
    }
  }
  const std::string pixels = std::to_string(std::min<std::int64_t>(max_pixels, std::numeric_limits<int>::max()));
  std::vector<AVDictionary*> options(format->nb_streams, nullptr);
  for (auto& o : options) av_dict_set(&o, "max_pixels", pixels.c_str(), 0);
  const int rc = avformat_find_stream_info(format, options.empty() ? nullptr : options.data());
  for (auto& o : options) av_dict_free(&o);
  if (rc < 0) return failure(rc);
  return {};
}

void PinnedInput::set_deadline(std::chrono::steady_clock::time_point deadline) {
  io_->deadline = deadline;
  io_->timed_out = false;
}

bool PinnedInput::interrupted() const { return io_ && (io_->expired() || !io_->read_error.empty()); }

Error PinnedInput::failure(int averror) const {
  if (io_ && io_->timed_out) {
    return Error(Errc::InvalidArgument, "source is not a readable media file: reading it exceeded the time limit");
  }
  if (io_ && !io_->read_error.empty()) return Error(Errc::InternalError, "reading the source: " + io_->read_error);
  return Error(Errc::InvalidArgument, "source is not a readable media file: " + av_error_text(averror));
}

}  // namespace osslive::media
