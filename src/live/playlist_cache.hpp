#pragma once
// Private to src/live: playlist objects parsed once per ETag. Every x-oss-process request on a
// playlist, and every segment request, reads its playlist through here: the object is stat'ed on
// each use (so a playlist rewritten by anyone, another node included, is seen at once) and parsed
// only when its ETag is new. One bound for every kind.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <variant>

#include "osslive/core/result.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/subtitle_manifest.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::live {

// The largest playlist object osslive reads (a week of 5 s segments with long names is ~10 MiB).
inline constexpr std::uint64_t kMaxPlaylistBytes = 16u << 20;

struct MediaPlaylist {  // hls/m3u8 or a GenerateVideoPlaylist video/audio rendition
  hls::Manifest manifest;
  hls::SegmentPlan plan;
};
struct SubtitlePlaylist {  // a GenerateVideoPlaylist WebVTT rendition
  hls::SubtitleManifest manifest;
  hls::SegmentPlan plan;
};
struct MasterPlaylist {};
struct OtherObject {};  // any other text: not made by osslive

struct PlaylistObject {
  std::string bucket;
  std::string key;
  std::string etag;  // of the object this was parsed from
  std::variant<MediaPlaylist, SubtitlePlaylist, MasterPlaylist, OtherObject> kind;
  // Why the text is not a media playlist osslive wrote (the answer to "make a TS segment from it").
  std::optional<Error> not_media;

  const MediaPlaylist* media() const { return std::get_if<MediaPlaylist>(&kind); }
  const SubtitlePlaylist* subtitles() const { return std::get_if<SubtitlePlaylist>(&kind); }
};
using PlaylistRef = std::shared_ptr<const PlaylistObject>;

class PlaylistCache {
 public:
  explicit PlaylistCache(const store::BucketStore& store, std::size_t capacity = 256);

  // The object at bucket/key, parsed (from the cache when its ETag is known). A missing object is
  // NoSuchKey; one larger than kMaxPlaylistBytes InvalidArgument.
  Result<PlaylistRef> load(const std::string& bucket, const std::string& key);
  // The same for text already read, with the ETag it was read with.
  PlaylistRef parse(const std::string& bucket, const std::string& key, const std::string& etag, std::string_view text);
  // A playlist just written, so the first request for it parses nothing.
  void remember(PlaylistRef playlist);

 private:
  PlaylistRef find(const std::string& bucket, const std::string& key, const std::string& etag);

  const store::BucketStore& store_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<PlaylistRef> entries_;  // most recently used first
};

}  // namespace osslive::live
