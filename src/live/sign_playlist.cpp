// GET <playlist>.m3u8?x-oss-process=hls/sign[,live_1]: the playlist with each URI signed like the
// playlist request itself, so a player can fetch them unchanged. A media or subtitle playlist's
// segment lines get the hls/ts process (live_1); a master's media playlists get hls/sign again, so
// each one signs its own segments when the player fetches it.
//
// One anonymous request must not cost what its output could: only text that is a playlist is
// signed (#EXTM3U first, lines and URIs bounded), and the signed text is made a chunk at a time
// as the client reads it, so memory stays at the playlist plus one chunk whatever the output.
#include <mutex>

#include "handlers.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/hls/master.hpp"
#include "osslive/hls/playlist.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

constexpr std::size_t kMaxLineBytes = 8 * 1024;
constexpr std::size_t kMaxUris = 200'000;  // a week of 5 s segments is 120,960
constexpr std::size_t kChunkBytes = 64 * 1024;

using LineRewrite = void (*)(std::string_view, const std::function<std::string(std::string_view)>&, std::string&);
using SignUri = std::function<Result<std::string>(std::string_view uri)>;

bool is_relative(std::string_view uri) {
  return uri.find("://") == std::string_view::npos && !uri.empty() && uri.front() != '/';
}

std::string folder_of(std::string_view key) {
  auto slash = key.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(key.substr(0, slash + 1));
}

// #EXTM3U first, no line longer than kMaxLineBytes, at most kMaxUris URI lines.
Status check_signable(std::string_view text, std::string_view key) {
  auto refuse = [&](const std::string& why) {
    return Error(Errc::InvalidArgument, "hls/sign signs HLS playlists only: " + std::string(key) + " " + why);
  };
  if (!text.starts_with("#EXTM3U")) return refuse("does not start with #EXTM3U");
  std::size_t uris = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    if (line.size() > kMaxLineBytes && !line.starts_with(hls::kManifestPrefix))
      return refuse("has a line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    if (!line.empty() && line[0] != '#' && line != "\r" && ++uris > kMaxUris)
      return refuse("has more than " + std::to_string(kMaxUris) + " URI lines");
    at = end + 1;
  }
  return {};
}

// The signed playlist, made as it is read.
class SignedPlaylist final : public ByteStream {
 public:
  SignedPlaylist(std::string text, LineRewrite rewrite_line, SignUri sign)
      : text_(std::move(text)), rewrite_line_(rewrite_line), sign_(std::move(sign)) {}

  void async_read(std::uint64_t offset, std::function<void(Chunk)> on_chunk) override { on_chunk(next(offset)); }

 private:
  Chunk next(std::uint64_t offset) {
    std::lock_guard lock(mutex_);
    Chunk chunk;
    if (offset != sent_) {
      chunk.error = Error(Errc::InternalError, "a signed playlist is read in order");
      return chunk;
    }
    std::string out;
    std::optional<Error> failure;
    auto rewrite = [&](std::string_view uri) {
      auto signed_uri = sign_(uri);
      if (signed_uri.ok()) return std::move(signed_uri).value();
      failure = signed_uri.error();
      return std::string(uri);
    };
    while (pos_ < text_.size() && out.size() < kChunkBytes && !failure) {
      std::size_t end = text_.find('\n', pos_);
      const bool newline = end != std::string::npos;
      if (!newline) end = text_.size();
      const std::string_view line = std::string_view(text_).substr(pos_, end - pos_);
      pos_ = newline ? end + 1 : text_.size();
      if (line.starts_with(hls::kManifestPrefix)) continue;  // osslive's own, not the player's
      rewrite_line_(line, rewrite, out);
      if (newline) out += '\n';
    }
    chunk.size = out.size();
    chunk.bytes = std::make_shared<const std::string>(std::move(out));
    chunk.error = std::move(failure);
    chunk.end = pos_ >= text_.size() && !chunk.error;
    sent_ += chunk.size;
    return chunk;
  }

  std::mutex mutex_;
  const std::string text_;
  const LineRewrite rewrite_line_;
  const SignUri sign_;
  std::size_t pos_ = 0;
  std::uint64_t sent_ = 0;
};

Result<Response> sign_uris(LiveCall& call, LineRewrite rewrite_line, std::optional<std::string> process) {
  const auth::Identity& identity = call.context.identity;
  if (identity.scheme != auth::Scheme::Anonymous && !auth::is_presigned(identity.scheme))
    return Error(Errc::InvalidRequest,
                 "hls/sign needs a signed URL (OSSAccessKeyId/Signature or x-oss-signature): the segment lines are "
                 "signed like it, and a header signature cannot be carried into a URL");
  OSSLIVE_TRY(check_signable(call.text->text, call.key()));
  std::string secret;
  if (identity.scheme != auth::Scheme::Anonymous) {
    auto found = call.live.deps.credentials.secret_for(identity.access_key_id);
    if (!found) return Error(Errc::InvalidAccessKeyId);
    secret = *found;
  }
  std::vector<QueryParam> extra;
  if (process) extra.push_back({"x-oss-process", std::move(*process), true});
  SignUri sign = [identity, secret, extra, bucket = call.bucket(),
                  folder = folder_of(call.key())](std::string_view uri) -> Result<std::string> {
    if (!is_relative(uri) || uri.find('?') != std::string_view::npos) return std::string(uri);
    auto name = percent_decode(uri);
    if (!name) return std::string(uri);
    OSSLIVE_ASSIGN(std::string query, auth::presign_like(identity, secret, "GET", bucket, folder + *name, extra));
    return query.empty() ? std::string(uri) : std::string(uri) + "?" + query;
  };
  Response response;
  response.headers.set("Content-Type", "application/vnd.apple.mpegurl");
  response.headers.set("Cache-Control", "no-cache");
  response.body = std::shared_ptr<ByteStream>(
      std::make_shared<SignedPlaylist>(std::move(call.text->text), rewrite_line, std::move(sign)));
  return response;
}

bool live_of(const LiveCall& call) { return std::get<process::SignPlaylist>(*call.operation).sign.live; }

}  // namespace

Result<Response> sign_media_playlist(LiveCall& call) {
  // "When the m3u8 playlist is requested again, the TS files are regenerated": a replay after the
  // segments were deleted starts warm (for a requester who could read the source).
  if (call.object->media() && call.live.segments.may_make(call.context.identity, *call.object))
    call.live.prefetch.initial(call.object);
  std::optional<std::string> process;
  if (live_of(call)) process = "if_status_eq_404{hls/ts,from_" + base64url_encode(call.key()) + "}";
  return sign_uris(call, &hls::rewrite_segment_line, std::move(process));
}

Result<Response> sign_master_playlist(LiveCall& call) {
  return sign_uris(call, &hls::rewrite_master_line, live_of(call) ? "hls/sign,live_1" : "hls/sign");
}

}  // namespace osslive::live
