#include "osslive/hls/playlist.hpp"

#include "osslive/core/strings.hpp"
#include "osslive/hls/token.hpp"
#include "text_lines.hpp"

namespace osslive::hls {
namespace {

constexpr std::string_view kPlaylistSuffix = ".m3u8";
constexpr std::string_view kSegmentSuffix = ".ts";
constexpr std::string_view kSubtitleSuffix = ".vtt";
constexpr std::size_t kMaxIndexDigits = 18;

struct SplitKey {
  std::string_view folder;  // with its trailing '/', or empty
  std::string_view stem;    // P
};

SplitKey split_playlist_key(std::string_view key) {
  std::size_t slash = key.rfind('/');
  std::string_view folder = slash == std::string_view::npos ? std::string_view() : key.substr(0, slash + 1);
  std::string_view base = key.substr(folder.size());
  if (base.size() > kPlaylistSuffix.size() && base.substr(base.size() - kPlaylistSuffix.size()) == kPlaylistSuffix) {
    base.remove_suffix(kPlaylistSuffix.size());
  }
  return {folder, base};
}

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

std::string segment_name(std::string_view playlist_key, std::string_view token, std::int64_t n) {
  SplitKey split = split_playlist_key(playlist_key);
  return std::string(split.stem) + "-" + std::string(token) + "-" + std::to_string(n) + std::string(kSegmentSuffix);
}

std::string segment_key(std::string_view playlist_key, std::string_view token, std::int64_t n) {
  return std::string(split_playlist_key(playlist_key).folder) + segment_name(playlist_key, token, n);
}

std::string subtitle_segment_name(std::string_view playlist_key, std::string_view token, std::int64_t n) {
  SplitKey split = split_playlist_key(playlist_key);
  return std::string(split.stem) + "-" + std::string(token) + "-" + std::to_string(n) + std::string(kSubtitleSuffix);
}

std::string subtitle_segment_key(std::string_view playlist_key, std::string_view token, std::int64_t n) {
  return std::string(split_playlist_key(playlist_key).folder) + subtitle_segment_name(playlist_key, token, n);
}

std::optional<SegmentName> parse_segment_name(std::string_view ts_key) {
  std::size_t slash = ts_key.rfind('/');
  std::string_view folder = slash == std::string_view::npos ? std::string_view() : ts_key.substr(0, slash + 1);
  std::string_view base = ts_key.substr(folder.size());
  auto ends_with = [&](std::string_view suffix) {
    return base.size() > suffix.size() && base.substr(base.size() - suffix.size()) == suffix;
  };
  const bool subtitle = ends_with(kSubtitleSuffix);
  if (!subtitle && !ends_with(kSegmentSuffix)) return std::nullopt;
  base.remove_suffix(subtitle ? kSubtitleSuffix.size() : kSegmentSuffix.size());

  std::size_t dash = base.rfind('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view digits = base.substr(dash + 1);
  if (digits.empty() || digits.size() > kMaxIndexDigits || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  std::int64_t index = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + (c - '0');
  }
  base = base.substr(0, dash);
  if (base.size() < 34 || base[base.size() - 33] != '-') return std::nullopt;  // "P-" + 32 hex
  std::string_view token = base.substr(base.size() - 32);
  if (!is_token(token)) return std::nullopt;
  std::string_view stem = base.substr(0, base.size() - 33);
  return SegmentName{std::string(folder) + std::string(stem) + std::string(kPlaylistSuffix), std::string(token), index,
                     subtitle};
}

std::string render_media_playlist(std::string_view manifest_line, const SegmentPlan& plan,
                                  const std::function<std::string(std::int64_t index)>& segment_name) {
  std::string text = "#EXTM3U\n";
  text += std::string(manifest_line) + "\n";
  text += "#EXT-X-VERSION:3\n";
  text += "#EXT-X-TARGETDURATION:" + std::to_string(plan.target_duration) + "\n";
  text += "#EXT-X-MEDIA-SEQUENCE:0\n";
  text += "#EXT-X-PLAYLIST-TYPE:VOD\n";
  for (const Segment& segment : plan.segments) {
    text += "#EXTINF:" + format_extinf(segment.duration) + ",\n";
    // A URI line: names with spaces or non-ASCII characters are percent-encoded (RFC 3986).
    text += uri_encode(segment_name(segment.index)) + "\n";
  }
  text += "#EXT-X-ENDLIST\n";
  return text;
}

std::string render_playlist(const Manifest& manifest, const SegmentPlan& plan, std::string_view playlist_key) {
  return render_media_playlist(manifest_line(manifest), plan,
                               [&](std::int64_t index) { return segment_name(playlist_key, manifest.token, index); });
}

std::string strip_manifest(std::string_view playlist_text) {
  std::string out;
  out.reserve(playlist_text.size());
  for_each_line(playlist_text, [&](std::string_view line, bool newline) {
    if (line.substr(0, kManifestPrefix.size()) == kManifestPrefix) return;
    out.append(line);
    if (newline) out += '\n';
  });
  return out;
}

std::vector<PlaylistEntry> parse_playlist_segments(std::string_view playlist_text) {
  constexpr std::string_view kExtinf = "#EXTINF:";
  std::vector<PlaylistEntry> entries;
  std::optional<std::string> pending;
  for_each_line(playlist_text, [&](std::string_view raw, bool) {
    std::string_view line = without_cr(raw);
    if (line.substr(0, kExtinf.size()) == kExtinf) {
      std::string_view value = line.substr(kExtinf.size());
      pending = std::string(value.substr(0, value.find(',')));
    } else if (!line.empty() && line[0] != '#') {
      entries.push_back(PlaylistEntry{pending.value_or(""), std::string(line)});
      pending.reset();
    }
  });
  return entries;
}

void rewrite_segment_line(std::string_view raw, const std::function<std::string(std::string_view uri)>& rewrite,
                          std::string& out) {
  std::string_view line = without_cr(raw);
  if (!line.empty() && line[0] != '#') {
    out += rewrite(line);
    out.append(raw.substr(line.size()));  // keeps a "\r"
  } else {
    out.append(raw);
  }
}

std::string rewrite_segment_uris(std::string_view playlist_text,
                                 const std::function<std::string(std::string_view uri)>& rewrite) {
  std::string out;
  out.reserve(playlist_text.size() * 2);
  for_each_line(playlist_text, [&](std::string_view raw, bool newline) {
    rewrite_segment_line(raw, rewrite, out);
    if (newline) out += '\n';
  });
  return out;
}

}  // namespace osslive::hls
