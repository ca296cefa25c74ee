#pragma once
// Private to src/media: an AVFormatContext reading a pinned FileHandle through a custom
// AVIOContext. Reads use pread on the descriptor, so a concurrent overwrite of the object (a
// rename over its path) never changes the bytes; an interrupt callback carries a deadline, so a
// hostile file cannot hold a thread; nested opens (playlists, concat lists, references) are refused,
// so a source can never make libav read another file or a URL.
#include <chrono>
#include <memory>

#include "av_raii.hpp"
#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"

namespace osslive::media {

struct InputLimits {
  std::int64_t probesize = 10'000'000;           // bytes
  std::int64_t analyzeduration_us = 10'000'000;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

class PinnedInput {
 public:
  // avformat_open_input over the file; stream info is left to the caller.
  static Result<PinnedInput> open(std::shared_ptr<const FileHandle> file, const InputLimits& limits);

  PinnedInput(PinnedInput&&) noexcept;
  PinnedInput& operator=(PinnedInput&&) noexcept;
  ~PinnedInput();

  AVFormatContext* get() const { return format_.get(); }
  AVFormatContext* operator->() const { return format_.get(); }

  // avformat_find_stream_info with a picture-size bound: a video stream whose header already
  // claims more than max_width x max_height (or max_pixels in all) is refused before any decoder
  // runs, and the decoders stream info opens refuse a larger picture before allocating it (a
  // header can lie).
  Status find_stream_info(int max_width, int max_height, std::int64_t max_pixels);

  // Later stages (decoding a segment) get their own time budget.
  void set_deadline(std::chrono::steady_clock::time_point deadline);

  // Turns a failed libav call on this input into the error a client sees: a timeout or a file
  // libav cannot read is InvalidArgument ("source is not a readable media file: ..."), a
  // failing disk is InternalError.
  Error failure(int averror) const;

  // The deadline has passed (checked now) or a read failed: an error from libav is then not the
  // file's own end or damage.
  bool interrupted() const;

 private:
  struct Io;
  PinnedInput();

  // Destroyed in reverse order: the format context first, then the AVIOContext it reads, then the
  // state the callbacks point to.
  std::unique_ptr<Io> io_;
  AvioPtr avio_;
  FormatInputPtr format_;
};

}  // namespace osslive::media
