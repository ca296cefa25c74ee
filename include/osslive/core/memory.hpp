#pragma once

#include <cstddef>

namespace osslive {

// Keeps up to `bytes` of freed heap memory in the process for the next allocation instead of
// handing it back to the kernel, and serves picture-sized blocks from the heap instead of fresh
// mappings. A segment job allocates and frees dozens of multi-megabyte pictures and encoder
// buffers; with glibc's defaults each comes from a new mmap whose pages fault in one by one,
// which cost about a quarter of a cold segment's time to first byte (docs/PERFORMANCE.md).
// Call before threads start. 0 leaves the allocator's defaults. Returns false when the allocator
// refused a setting.
bool keep_freed_memory(std::size_t bytes);

}  // namespace osslive
