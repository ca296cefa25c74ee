#pragma once
// Private to src/live: what one handler call is given.
#include <optional>

#include "osslive/hls/playlist.hpp"
#include "osslive/live/live_service.hpp"
#include "osslive/oss/object_reads.hpp"
#include "osslive/process/operations.hpp"
#include "playlist_cache.hpp"

namespace osslive::live {

struct LiveCall {
  LiveService::Parts& live;
  oss::RequestContext& context;
  std::optional<process::Operation> operation;  // absent for GenerateVideoPlaylist
  PlaylistRef object;                           // hls/sign, hls/status: the playlist object
  std::optional<oss::SmallObject> text;         // hls/sign: its bytes, read once
  std::optional<hls::SegmentName> segment;      // hls/ts: the requested segment's name

  Request& request() { return context.request; }
  const std::string& bucket() const { return context.address.bucket; }
  const std::string& key() const { return context.address.key; }
};

}  // namespace osslive::live
