// GET <playlist>.m3u8?x-oss-process=hls/sign[,live_1]: the playlist with each URI signed like the
// playlist request itself, so a player can fetch them unchanged. A media or subtitle playlist's
// segment lines get the hls/ts process (live_1); a master's media playlists get hls/sign again, so
// each one signs its own segments when the player fetches it.
#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/master.hpp"
#include "osslive/hls/playlist.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

bool is_relative(std::string_view uri) {
  return uri.find("://") == std::string_view::npos && !uri.empty() && uri.front() != '/';
}

std::string folder_of(std::string_view key) {
  auto slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash + 1));
}

using Rewrite = std::string (*)(std::string_view, const std::function<std::string(std::string_view)>&);

Result<Response> sign_uris(LiveCall& call, Rewrite rewrite, std::optional<std::string> process) {
  const auth::Identity& identity = call.context.identity;
  if (identity.scheme != auth::Scheme::Anonymous && !auth::is_presigned(identity.scheme))
    return Error(Errc::InvalidRequest,
                 "hls/sign needs a signed URL (OSSAccessKeyId/Signature or x-oss-signature): the segment lines are "
                 "signed like it, and a header signature cannot be carried into a URL");
  std::string secret;
  if (identity.scheme != auth::Scheme::Anonymous) {
    auto found = call.live.deps.credentials.secret_for(identity.access_key_id);
    if (!found) return Error(Errc::InvalidAccessKeyId);
    secret = *found;
  }
  std::vector<QueryParam> extra;
  if (process) extra.push_back({"x-oss-process", std::move(*process), true});
  const std::string folder = folder_of(call.key());
  std::optional<Error> failure;
  std::string signed_text = rewrite(hls::strip_manifest(call.text->text), [&](std::string_view uri) {
    if (!is_relative(uri) || uri.find('?') != std::string_view::npos) return std::string(uri);
    auto name = percent_decode(uri);
    if (!name) return std::string(uri);
    auto query = auth::presign_like(identity, secret, "GET", call.bucket(), folder + *name, extra);
    if (!query.ok()) {
      failure = query.error();
      return std::string(uri);
    }
    return query->empty() ? std::string(uri) : std::string(uri) + "?" + *query;
  });
  if (failure) return *failure;

  Response response;
  response.headers.set("Content-Type", "application/vnd.apple.mpegurl");
  response.headers.set("Cache-Control", "no-cache");
  response.headers.set("Content-Length", std::to_string(signed_text.size()));
  response.body = std::move(signed_text);
  return response;
}

bool live_of(const LiveCall& call) { return std::get<process::SignPlaylist>(*call.operation).sign.live; }

}  // namespace

Result<Response> sign_media_playlist(LiveCall& call) {
  std::optional<std::string> process;
  if (live_of(call)) process = "if_status_eq_404{hls/ts,from_" + base64url_encode(call.key()) + "}";
  return sign_uris(call, &hls::rewrite_segment_uris, std::move(process));
}

Result<Response> sign_master_playlist(LiveCall& call) {
  return sign_uris(call, &hls::rewrite_master_uris, live_of(call) ? "hls/sign,live_1" : "hls/sign");
}

}  // namespace osslive::live
