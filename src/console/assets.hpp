#pragma once
// The console's files as the build embedded them (see embed_assets.cmake).
#include <span>
#include <string_view>

namespace osslive::console::detail {

struct EmbeddedFile {
  std::string_view name;   // e.g. "console.js"
  std::string_view bytes;
  std::string_view etag;   // quoted MD5 of the bytes, computed at build time
};

std::span<const EmbeddedFile> embedded_files();

}  // namespace osslive::console::detail
