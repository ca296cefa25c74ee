#include "process_routes.hpp"

#include <array>

#include "handlers.hpp"

namespace osslive::live {
namespace {

using enum Operation;
using enum Target;

constexpr std::array kProcessRoutes{
    ProcessRoute{"GenerateVideoPlaylist", "POST", GenerateVideoPlaylist, Service, generate_video_playlist},
    ProcessRoute{"HlsM3u8", "POST", M3u8, Source, make_playlist},
    ProcessRoute{"HlsSign", "GET", Sign, MediaPlaylist, sign_media_playlist},
    ProcessRoute{"HlsSign", "GET", Sign, SubtitlePlaylist, sign_media_playlist},
    ProcessRoute{"HlsSign", "GET", Sign, MasterPlaylist, sign_master_playlist},
    ProcessRoute{"HlsSign", "GET", Sign, OtherObject, sign_media_playlist},
    ProcessRoute{"HlsTs", "GET", Ts, TsSegment, serve_ts_segment},
    ProcessRoute{"HlsTs", "GET", Ts, VttSegment, serve_vtt_segment},
    ProcessRoute{"HlsTs", "GET", Ts, OtherObject, serve_object_if_stored},
    ProcessRoute{"HlsStatus", "GET", Status, MediaPlaylist, media_playlist_status},
    ProcessRoute{"HlsStatus", "GET", Status, SubtitlePlaylist, subtitle_playlist_status},
};

}  // namespace

const ProcessRoute* find_process_route(std::string_view method, Operation operation, Target target) {
  for (const ProcessRoute& route : kProcessRoutes)
    if (route.method == method && route.operation == operation && route.target == target) return &route;
  return nullptr;
}

}  // namespace osslive::live
