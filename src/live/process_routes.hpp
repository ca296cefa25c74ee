#pragma once
// Private to src/live: the one table that names the handler of every x-oss-process request, by
// method, the parsed operation and the kind of object it addresses.
#include <string_view>

#include "live_call.hpp"

namespace osslive::live {

enum class Operation { GenerateVideoPlaylist, M3u8, Sign, Ts, Status };

// What the request addresses, as far as routing cares.
enum class Target {
  Service,           // POST /?GenerateVideoPlaylist
  Source,            // any object hls/m3u8 is asked to transcode
  MediaPlaylist,     // written by hls/m3u8 or GenerateVideoPlaylist
  SubtitlePlaylist,  // a GenerateVideoPlaylist WebVTT rendition
  MasterPlaylist,
  OtherObject,       // not made by osslive
  TsSegment,         // "P-<token>-<n>.ts"
  VttSegment,        // "P-<token>-<n>.vtt"
};

using LiveHandler = Result<Response> (*)(LiveCall& call);

struct ProcessRoute {
  std::string_view name;  // the operation name in logs and metrics
  std::string_view method;
  Operation operation;
  Target target;
  LiveHandler handler;
};

// The row for this request, or nullptr.
const ProcessRoute* find_process_route(std::string_view method, Operation operation, Target target);

}  // namespace osslive::live
