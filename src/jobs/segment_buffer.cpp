#include "osslive/jobs/segment_buffer.hpp"

#include <algorithm>

namespace osslive::jobs {

void SegmentBuffer::append(std::string bytes) {
  if (bytes.empty()) return;
  std::unique_lock lock(mutex_);
  block_starts_.push_back(size_);
  size_ += bytes.size();
  blocks_.push_back(std::make_shared<const std::string>(std::move(bytes)));
  wake(lock);
}

void SegmentBuffer::finish() {
  std::unique_lock lock(mutex_);
  done_ = true;
  wake(lock);
}

void SegmentBuffer::fail(Error error) {
  std::unique_lock lock(mutex_);
  if (done_) return;
  done_ = true;
  error_ = std::move(error);
  wake(lock);
}

ByteStream::Chunk SegmentBuffer::chunk_at(std::uint64_t offset) const {
  Chunk chunk;
  if (offset < size_) {
    auto it = std::upper_bound(block_starts_.begin(), block_starts_.end(), offset);
    std::size_t index = static_cast<std::size_t>(it - block_starts_.begin()) - 1;
    chunk.bytes = blocks_[index];
    chunk.begin = static_cast<std::size_t>(offset - block_starts_[index]);
    chunk.size = chunk.bytes->size() - chunk.begin;
    chunk.end = done_ && !error_ && index + 1 == blocks_.size();
    return chunk;
  }
  if (error_) chunk.error = *error_;
  chunk.end = done_;
  return chunk;
}

void SegmentBuffer::async_read(std::uint64_t offset, std::function<void(Chunk)> on_chunk) {
  std::unique_lock lock(mutex_);
  if (offset < size_ || done_) {
    Chunk chunk = chunk_at(offset);
    lock.unlock();
    on_chunk(std::move(chunk));
    return;
  }
  waiters_.emplace_back(offset, std::move(on_chunk));
}

void SegmentBuffer::wake(std::unique_lock<std::mutex>& lock) {
  std::vector<std::pair<Chunk, std::function<void(Chunk)>>> ready;
  auto keep = waiters_.begin();
  for (auto& waiter : waiters_) {
    if (waiter.first < size_ || done_) ready.emplace_back(chunk_at(waiter.first), std::move(waiter.second));
    else *keep++ = std::move(waiter);
  }
  waiters_.erase(keep, waiters_.end());
  lock.unlock();  // callbacks may read again, which takes the lock
  for (auto& [chunk, callback] : ready) callback(std::move(chunk));
}

std::uint64_t SegmentBuffer::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

bool SegmentBuffer::done() const {
  std::lock_guard lock(mutex_);
  return done_;
}

std::optional<Error> SegmentBuffer::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace osslive::jobs
