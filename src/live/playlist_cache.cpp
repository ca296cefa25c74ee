#include "playlist_cache.hpp"

#include "osslive/hls/master.hpp"
#include "osslive/oss/object_reads.hpp"

namespace osslive::live {
namespace {

PlaylistObject classify(std::string_view text) {
  PlaylistObject object;
  auto media = hls::parse_playlist_manifest(text);
  if (media.ok()) {
    auto plan = hls::make_plan(media->params);
    if (plan.ok()) {
      object.kind = MediaPlaylist{std::move(media).value(), std::move(plan).value()};
      return object;
    }
    object.not_media = std::move(plan).error();
    object.kind = OtherObject{};
    return object;
  }
  object.not_media = std::move(media).error();
  if (auto subtitles = hls::parse_subtitle_manifest(text); subtitles.ok()) {
    if (auto plan = hls::make_plan(subtitles->timing.params); plan.ok()) {
      object.kind = SubtitlePlaylist{std::move(subtitles).value(), std::move(plan).value()};
      return object;
    }
  }
  if (hls::is_master_playlist(text)) object.kind = MasterPlaylist{};
  else object.kind = OtherObject{};
  return object;
}

}  // namespace

PlaylistCache::PlaylistCache(const store::BucketStore& store, std::size_t capacity)
    : store_(store), capacity_(std::max<std::size_t>(1, capacity)) {}

PlaylistRef PlaylistCache::find(const std::string& bucket, const std::string& key, const std::string& etag) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->bucket == bucket && (*it)->key == key && (*it)->etag == etag) {
      PlaylistRef found = *it;
      entries_.splice(entries_.begin(), entries_, it);
      return found;
    }
  }
  return nullptr;
}

void PlaylistCache::remember(PlaylistRef playlist) {
  std::lock_guard lock(mutex_);
  entries_.remove_if([&](const PlaylistRef& entry) { return entry->bucket == playlist->bucket && entry->key == playlist->key; });
  entries_.push_front(std::move(playlist));
  while (entries_.size() > capacity_) entries_.pop_back();
}

PlaylistRef PlaylistCache::parse(const std::string& bucket, const std::string& key, const std::string& etag,
                                 std::string_view text) {
  if (PlaylistRef found = find(bucket, key, etag)) return found;
  auto parsed = std::make_shared<PlaylistObject>(classify(text));
  parsed->bucket = bucket;
  parsed->key = key;
  parsed->etag = etag;
  remember(parsed);
  return parsed;
}

Result<PlaylistRef> PlaylistCache::load(const std::string& bucket, const std::string& key) {
  OSSLIVE_ASSIGN(store::ObjectInfo info, store_.stat_object(bucket, key));
  if (PlaylistRef found = find(bucket, key, info.etag)) return found;
  OSSLIVE_ASSIGN(oss::SmallObject object, oss::read_small_object(store_, bucket, key, kMaxPlaylistBytes, "playlist"));
  return parse(bucket, key, object.info.etag, object.text);
}

}  // namespace osslive::live
