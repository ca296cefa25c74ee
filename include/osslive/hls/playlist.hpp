#pragma once
// Playlist text (RFC 8216; docs/api.md) and segment names.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"

namespace osslive::hls {

// For playlist key "dir/P.m3u8": the bare name "P-<token>-<n>.ts" that the playlist lists, and
// the object key "dir/P-<token>-<n>.ts". A key without ".m3u8" keeps its whole last component as P.
std::string segment_name(std::string_view playlist_key, std::string_view token, std::int64_t n);
std::string segment_key(std::string_view playlist_key, std::string_view token, std::int64_t n);

// WebVTT segments of a subtitle playlist (GenerateVideoPlaylist): "P-<token>-<n>.vtt".
std::string subtitle_segment_name(std::string_view playlist_key, std::string_view token, std::int64_t n);
std::string subtitle_segment_key(std::string_view playlist_key, std::string_view token, std::int64_t n);

struct SegmentName {
  std::string playlist_key;  // "dir/P.m3u8", derived for the from-less hls/ts form
  std::string token;
  std::int64_t index = 0;
  bool subtitle = false;     // a ".vtt" segment
};
// "dir/P-<32 hex>-<n>.ts" (or ".vtt") -> {"dir/P.m3u8", token, n}; nullopt for any other shape.
std::optional<SegmentName> parse_segment_name(std::string_view ts_key);

// The whole playlist object: #EXTM3U, the manifest line, the header tags, one EXTINF + name per
// segment and #EXT-X-ENDLIST, each line ending in "\n".
std::string render_playlist(const Manifest& manifest, const SegmentPlan& plan, std::string_view playlist_key);

// The VOD media playlist text shared by TS and WebVTT playlists: header tags after `manifest_line`,
// one EXTINF + percent-encoded segment_name(index) per segment, ENDLIST.
std::string render_media_playlist(std::string_view manifest_line, const SegmentPlan& plan,
                                  const std::function<std::string(std::int64_t index)>& segment_name);

// The playlist without its manifest line (what hls/sign serves).
std::string strip_manifest(std::string_view playlist_text);

struct PlaylistEntry {
  std::string extinf;  // the duration text of #EXTINF, e.g. "9.977"
  std::string uri;     // the URI line that follows it
};
std::vector<PlaylistEntry> parse_playlist_segments(std::string_view playlist_text);

// Replaces every URI line (non-empty, not starting with '#') by rewrite(uri); other lines and
// line endings are kept.
std::string rewrite_segment_uris(std::string_view playlist_text,
                                 const std::function<std::string(std::string_view uri)>& rewrite);
// The same for one line (without its "\n"), appended to `out`.
void rewrite_segment_line(std::string_view raw, const std::function<std::string(std::string_view uri)>& rewrite,
                          std::string& out);

}  // namespace osslive::hls
