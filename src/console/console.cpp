#include "osslive/console/console.hpp"

#include <algorithm>

#include "assets.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::console {
namespace {

constexpr std::string_view kPrefix = "/-/console";
constexpr std::string_view kPlayer = "hls.min.js";

// The page handles access keys: it may talk only to this origin, and nothing may frame it.
// hls.js feeds the video element from blob: URLs and may run its demuxer in a blob: worker.
constexpr std::string_view kPagePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

std::string_view content_type(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

const detail::EmbeddedFile* find_file(std::string_view name) {
  auto files = detail::embedded_files();
  auto it = std::find_if(files.begin(), files.end(), [&](const detail::EmbeddedFile& f) { return f.name == name; });
  return it == files.end() ? nullptr : &*it;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  for (std::string_view candidate : split(if_none_match, ',')) {
    candidate = trim(candidate);
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
  }
  return false;
}

}  // namespace

bool has_player() { return find_file(kPlayer) != nullptr; }

std::optional<Response> serve_console(const Request& request) {
  std::string_view path = request.path;
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = path.substr(kPrefix.size());
  if (!rest.empty() && rest.front() != '/') return std::nullopt;  // e.g. /-/consoles
  std::string_view name = rest.size() <= 1 ? std::string_view("index.html") : rest.substr(1);
  const detail::EmbeddedFile* file = find_file(name);
  if (!file) return std::nullopt;

  Response response;
  response.headers.set("X-Content-Type-Options", "nosniff");
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    response.headers.set("Allow", "GET, HEAD");
    response.headers.set("Content-Type", "text/plain");
    response.body = std::string("the console's files are read-only: GET or HEAD\n");
    return response;
  }
  response.headers.set("ETag", file->etag);
  // Revalidated every time, so a rebuilt server never runs an old page against a new API.
  response.headers.set("Cache-Control", "no-cache");
  response.headers.set("Content-Type", content_type(file->name));
  if (file->name == "index.html") {
    response.headers.set("Content-Security-Policy", kPagePolicy);
    response.headers.set("Referrer-Policy", "no-referrer");
  }
  if (auto if_none_match = request.headers.get("if-none-match"); if_none_match && etag_matches(*if_none_match, file->etag)) {
    response.status = 304;
    response.body = std::string();
    return response;
  }
  response.body = std::string(file->bytes);
  response.omit_body = request.method == "HEAD";
  return response;
}

}  // namespace osslive::console
