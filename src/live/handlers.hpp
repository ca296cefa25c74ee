#pragma once
// Private to src/live: the handlers process_routes.cpp names, one file each.
#include "live_call.hpp"

namespace osslive::live {

Result<Response> generate_video_playlist(LiveCall& call);  // video_playlist.cpp
Result<Response> make_playlist(LiveCall& call);            // make_playlist.cpp
Result<Response> sign_media_playlist(LiveCall& call);      // sign_playlist.cpp
Result<Response> sign_master_playlist(LiveCall& call);
Result<Response> serve_ts_segment(LiveCall& call);         // segment_handlers.cpp
Result<Response> serve_vtt_segment(LiveCall& call);
Result<Response> serve_object_if_stored(LiveCall& call);
Result<Response> media_playlist_status(LiveCall& call);    // playlist_status.cpp
Result<Response> subtitle_playlist_status(LiveCall& call);

}  // namespace osslive::live
