#pragma once
// The built-in console at /-/console: a static page (HTML, CSS, JS and hls.js) compiled into the
// binary. The page holds no secret, so it is served to anyone; every data call it makes is signed in
// the browser with the key a person types in, exactly like any other OSS client.
#include <optional>

#include "osslive/core/http_message.hpp"

namespace osslive::console {

// The console's answer for /-/console, /-/console/ and /-/console/<file> (GET and HEAD; ETag and
// If-None-Match), or nullopt when the path is not one of its files, so the caller answers as it does
// for any unknown path.
std::optional<Response> serve_console(const Request& request);

// Whether hls.js was found when the binary was built (src/console/node_modules); without it the page
// still signs, uploads and generates, and says how to install the player.
bool has_player();

}  // namespace osslive::console
