#pragma once
// Line splitting for playlist text (media and master playlists).
#include <cstddef>
#include <string_view>

namespace osslive::hls {

// Calls visit(line, had_newline) for each line without its "\n" (a trailing "\r" stays in the line).
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    visit(text.substr(start, end - start), end < text.size());
    start = end + 1;
  }
}

}  // namespace osslive::hls
