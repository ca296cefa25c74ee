#pragma once
// The bytes of one segment while it is being made: the transcoder appends, any number of
// readers (the player that asked, a second player, the store writer) read from an offset and
// are called back as soon as bytes exist. Everyone gets the same bytes.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "osslive/core/http_message.hpp"

namespace osslive::jobs {

class SegmentBuffer final : public ByteStream {
 public:
  SegmentBuffer() = default;

  // Producer side.
  void append(std::string bytes);
  void finish();                 // every byte is in
  void fail(Error error);        // readers past the written bytes get this error

  // Consumer side. The callback runs at once when data (or the end) is there, else later on
  // the producer's thread.
  void async_read(std::uint64_t offset, std::function<void(Chunk)> on_chunk) override;

  std::uint64_t size() const;
  bool done() const;
  std::optional<Error> error() const;

 private:
  Chunk chunk_at(std::uint64_t offset) const;  // needs mutex_
  void wake(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const std::string>> blocks_;
  std::vector<std::uint64_t> block_starts_;
  std::uint64_t size_ = 0;
  bool done_ = false;
  std::optional<Error> error_;
  std::vector<std::pair<std::uint64_t, std::function<void(Chunk)>>> waiters_;
};

}  // namespace osslive::jobs
