#pragma once
// Master playlists (RFC 8216 §4.3.4): variant streams (EXT-X-STREAM-INF) that share one segment
// timeline, plus alternate audio and subtitle renditions (EXT-X-MEDIA). osslive extension, made
// by GenerateVideoPlaylist (osslive extension, docs/api.md).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/media/rational.hpp"

namespace osslive::hls {

struct MasterMedia {
  enum class Type { Audio, Subtitles };
  Type type = Type::Audio;
  std::string group_id;
  std::string language;  // RFC 5646 tag; empty: no LANGUAGE attribute
  std::string name;
  bool is_default = false;
  bool autoselect = true;
  int channels = 0;      // audio: CHANNELS when > 0
  std::string uri;       // relative to the master
};

struct MasterVariant {
  std::int64_t bandwidth = 0;          // bit/s, the peak (bounded, see bandwidth.hpp)
  std::int64_t average_bandwidth = 0;  // bit/s; 0: not written
  int width = 0, height = 0;
  media::Rational frame_rate{0, 1};    // 0/1: not written
  std::string codecs;
  std::string audio_group;             // empty: audio (if any) is muxed in the variant
  std::string subtitle_group;
  std::string uri;
};

struct MasterPlaylist {
  std::vector<MasterMedia> media;
  std::vector<MasterVariant> variants;
};

// #EXTM3U, #EXT-X-VERSION:3, #EXT-X-INDEPENDENT-SEGMENTS (every segment starts with an IDR), the
// EXT-X-MEDIA lines, then each EXT-X-STREAM-INF with its URI line; every line ends in "\n".
// Quoted attribute values lose '"', CR and LF (RFC 8216 quoted-string).
std::string render_master(const MasterPlaylist& master);

// A master playlist is one with an EXT-X-STREAM-INF tag.
bool is_master_playlist(std::string_view text);

// Replaces every URI line and every URI="..." attribute (EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF)
// by rewrite(uri); everything else, line endings included, is kept.
std::string rewrite_master_uris(std::string_view text, const std::function<std::string(std::string_view uri)>& rewrite);
// The same for one line (without its "\n"), appended to `out`.
void rewrite_master_line(std::string_view raw, const std::function<std::string(std::string_view uri)>& rewrite,
                         std::string& out);

// ISO 639-2 ("eng", "fre"/"fra") or 639-1 ("en") to the shortest RFC 5646 tag ("en"); other text
// is kept as given (lower-cased); "und" and empty give "".
std::string language_tag(std::string_view code);
// English name of a tag language_tag() knows ("en" -> "English"), else the tag itself.
std::string language_name(std::string_view tag);

// "25.000", "29.970": FRAME-RATE, three decimals.
std::string format_master_frame_rate(media::Rational rate);

}  // namespace osslive::hls
