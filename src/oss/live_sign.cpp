// GET <playlist>.m3u8?x-oss-process=hls/sign[,live_1] (SPEC §7): the playlist with each segment
// line signed like the playlist request itself, so a player can fetch them unchanged.
#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/master.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/oss/live_transcoding.hpp"

namespace osslive::oss {
namespace {

constexpr std::uint64_t kMaxPlaylistBytes = 32u << 20;

bool is_relative(std::string_view uri) {
  return uri.find("://") == std::string_view::npos && !uri.empty() && uri.front() != '/';
}

std::string folder_of(std::string_view key) {
  auto slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash + 1));
}

}  // namespace

Result<Response> LiveTranscoding::sign_playlist(RequestContext& context, bool live) {
  const auth::Identity& identity = context.identity;
  if (identity.scheme != auth::Scheme::Anonymous && !auth::is_presigned(identity.scheme))
    return Error(Errc::InvalidRequest,
                 "hls/sign needs a signed URL (OSSAccessKeyId/Signature or x-oss-signature): the segment lines are "
                 "signed like it, and a header signature cannot be carried into a URL");
  const std::string& bucket = context.address.bucket;
  const std::string& key = context.address.key;
  OSSLIVE_ASSIGN(SmallObject playlist, read_small_object(store_, bucket, key, kMaxPlaylistBytes, "playlist"));

  std::string secret;
  if (identity.scheme != auth::Scheme::Anonymous) {
    auto found = credentials_.secret_for(identity.access_key_id);
    if (!found) return Error(Errc::InvalidAccessKeyId);
    secret = *found;
  }
  // A master playlist (GenerateVideoPlaylist): its media playlists are signed for hls/sign in
  // turn, so each one signs its own segments when the player fetches it.
  const bool master = hls::is_master_playlist(playlist.text);
  std::vector<QueryParam> extra;
  if (master)
    extra.push_back({"x-oss-process", live ? "hls/sign,live_1" : "hls/sign", true});
  else if (live)
    extra.push_back({"x-oss-process", "if_status_eq_404{hls/ts,from_" + base64url_encode(key) + "}", true});
  const auto rewrite = master ? &hls::rewrite_master_uris : &hls::rewrite_segment_uris;
  std::string folder = folder_of(key);
  std::optional<Error> failure;
  std::string signed_text = rewrite(hls::strip_manifest(playlist.text), [&](std::string_view uri) {
    if (!is_relative(uri) || uri.find('?') != std::string_view::npos) return std::string(uri);
    auto name = percent_decode(uri);
    if (!name) return std::string(uri);
    auto query = auth::presign_like(identity, secret, "GET", bucket, folder + *name, extra);
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

}  // namespace osslive::oss
