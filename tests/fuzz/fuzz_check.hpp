#pragma once
// Invariant checks for the fuzz targets. assert() vanishes under NDEBUG (RelWithDebInfo), and a
// broken invariant must stop the run like a sanitizer report, so this aborts unconditionally.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define OSSLIVE_FUZZ_CHECK(cond)                                                              \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace osslive::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits off the text before the first '\n' (all of it when there is none) and advances `rest`.
inline std::string_view next_line(std::string_view& rest) {
  auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

}  // namespace osslive::fuzz
