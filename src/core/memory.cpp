#include "osslive/core/memory.hpp"

#include <malloc.h>

#include <algorithm>
#include <climits>
#include <thread>

namespace osslive {

bool keep_freed_memory(std::size_t bytes) {
  if (bytes == 0) return true;
  // glibc refuses an mmap threshold above half its per-thread heap size (32 MiB on 64-bit);
  // pictures (3 MiB at 1080p) and x264's buffers are well below it.
  constexpr int kLargestFromHeap = 32 * 1024 * 1024;
  const int trim = static_cast<int>(std::min<std::size_t>(bytes, INT_MAX));
  const bool threshold = ::mallopt(M_MMAP_THRESHOLD, kLargestFromHeap) == 1;
  const bool kept = ::mallopt(M_TRIM_THRESHOLD, trim) == 1;
  // Each arena keeps its own freed memory, and a job's threads (decoder, encoder, scaler) are
  // new threads that land on whichever arena is free: with one arena per core instead of glibc's
  // eight, they find what the previous job freed. At most a core's worth of threads run at once,
  // so contention stays what it was.
  const int arenas = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const bool shared = ::mallopt(M_ARENA_MAX, arenas) == 1;
  return threshold && kept && shared;
}

}  // namespace osslive
