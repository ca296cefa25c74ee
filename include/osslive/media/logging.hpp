#pragma once
// libav prints to stderr by default (x264 banners, decoder complaints about broken sources).
// This routes it into the server log instead, at debug level: what matters reaches the client
// as an error, and a hostile file cannot flood the log.
namespace osslive::media {

void route_libav_logs_to_spdlog();

}  // namespace osslive::media
