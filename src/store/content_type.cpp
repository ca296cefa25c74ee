#include "osslive/store/content_type.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "osslive/core/strings.hpp"

namespace osslive::store {
namespace {

struct Mapping {
  std::string_view extension;  // lower case, without the dot
  std::string_view type;
};

// Sorted by extension so lookup is a binary search; a static_assert keeps it sorted.
// HLS types follow what players and OSS itself send (docs/api.md, "Objects").
constexpr std::array kTypes{
    Mapping{"3gp", "video/3gpp"},
    Mapping{"aac", "audio/aac"},
    Mapping{"ac3", "audio/ac3"},
    Mapping{"asf", "video/x-ms-asf"},
    Mapping{"avi", "video/x-msvideo"},
    Mapping{"bmp", "image/bmp"},
    Mapping{"css", "text/css"},
    Mapping{"csv", "text/csv"},
    Mapping{"f4v", "video/x-f4v"},
    Mapping{"flac", "audio/flac"},
    Mapping{"flv", "video/x-flv"},
    Mapping{"gif", "image/gif"},
    Mapping{"gz", "application/gzip"},
    Mapping{"htm", "text/html"},
    Mapping{"html", "text/html"},
    Mapping{"ico", "image/x-icon"},
    Mapping{"jpeg", "image/jpeg"},
    Mapping{"jpg", "image/jpeg"},
    Mapping{"js", "application/javascript"},
    Mapping{"json", "application/json"},
    Mapping{"m2ts", "video/MP2T"},
    Mapping{"m3u", "audio/x-mpegurl"},
    Mapping{"m3u8", "application/vnd.apple.mpegurl"},
    Mapping{"m4a", "audio/mp4"},
    Mapping{"m4s", "video/iso.segment"},
    Mapping{"m4v", "video/mp4"},
    Mapping{"mjs", "application/javascript"},
    Mapping{"mkv", "video/x-matroska"},
    Mapping{"mov", "video/quicktime"},
    Mapping{"mp3", "audio/mpeg"},
    Mapping{"mp4", "video/mp4"},
    Mapping{"mpd", "application/dash+xml"},
    Mapping{"mpeg", "video/mpeg"},
    Mapping{"mpg", "video/mpeg"},
    Mapping{"mts", "video/MP2T"},
    Mapping{"oga", "audio/ogg"},
    Mapping{"ogg", "audio/ogg"},
    Mapping{"ogv", "video/ogg"},
    Mapping{"opus", "audio/opus"},
    Mapping{"pdf", "application/pdf"},
    Mapping{"png", "image/png"},
    Mapping{"rm", "application/vnd.rn-realmedia"},
    Mapping{"rmvb", "application/vnd.rn-realmedia-vbr"},
    Mapping{"srt", "application/x-subrip"},
    Mapping{"svg", "image/svg+xml"},
    Mapping{"tar", "application/x-tar"},
    Mapping{"tif", "image/tiff"},
    Mapping{"tiff", "image/tiff"},
    Mapping{"ts", "video/MP2T"},
    Mapping{"txt", "text/plain"},
    Mapping{"vob", "video/mpeg"},
    Mapping{"vtt", "text/vtt"},
    Mapping{"wasm", "application/wasm"},
    Mapping{"wav", "audio/wav"},
    Mapping{"webm", "video/webm"},
    Mapping{"webp", "image/webp"},
    Mapping{"wma", "audio/x-ms-wma"},
    Mapping{"wmv", "video/x-ms-wmv"},
    Mapping{"xml", "application/xml"},
    Mapping{"zip", "application/zip"},
};

constexpr bool sorted() {
  for (std::size_t i = 1; i < kTypes.size(); ++i)
    if (!(kTypes[i - 1].extension < kTypes[i].extension)) return false;
  return true;
}
static_assert(sorted(), "kTypes must be sorted by extension");

constexpr std::string_view kDefault = "application/octet-stream";

}  // namespace

std::string_view guess_content_type(std::string_view key) {
  std::size_t slash = key.rfind('/');
  std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return kDefault;
  std::string extension = to_lower(name.substr(dot + 1));
  auto it = std::lower_bound(kTypes.begin(), kTypes.end(), extension,
                             [](const Mapping& m, const std::string& e) { return m.extension < e; });
  if (it == kTypes.end() || it->extension != extension) return kDefault;
  return it->type;
}

}  // namespace osslive::store
