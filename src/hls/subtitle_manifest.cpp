#include "osslive/hls/subtitle_manifest.hpp"

#include <nlohmann/json.hpp>

#include "osslive/core/strings.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"

namespace osslive::hls {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kKind = "webvtt";
constexpr std::size_t kMaxLine = 96 * 1024;

Error not_ours(std::string_view why) {
  return Error(Errc::InvalidArgument, "playlist is not an osslive subtitle playlist (" + std::string(why) + ")");
}

// Typed members of one JSON object; false for a missing or mistyped one.
bool read_string(const Json& object, const char* name, std::string& out) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}
template <typename T>
bool read_integer(const Json& object, const char* name, T& out) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return false;
  out = it->get<T>();
  return true;
}

Result<SubtitleManifest> from_json(std::string_view text) {
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return not_ours("manifest is not valid JSON");
  std::string kind;
  if (!read_string(json, "kind", kind) || kind != kKind) return not_ours("manifest is not of kind webvtt");
  SubtitleManifest m;
  auto source = json.find("source");
  auto timing = json.find("timing");
  auto external = json.find("external");
  if (!read_integer(json, "v", m.version) || !read_string(json, "token", m.token) ||
      !read_integer(json, "stream", m.stream_index) || !read_integer(json, "zero_us", m.zero_us) || source == json.end() || !source->is_object() ||
      timing == json.end() || !timing->is_object() || external == json.end() || !external->is_boolean()) {
    return not_ours("a manifest field is missing or malformed");
  }
  if (m.version != kManifestVersion) return not_ours("manifest version is not supported");
  m.external = external->get<bool>();
  if (!read_string(*source, "bucket", m.source.bucket) || !read_string(*source, "key", m.source.key) ||
      !read_string(*source, "etag", m.source.etag)) {
    return not_ours("manifest field source is malformed");
  }
  auto size = source->find("size");
  if (size == source->end() || !size->is_number_unsigned()) return not_ours("manifest field source.size is malformed");
  m.source.size = size->get<std::uint64_t>();
  OSSLIVE_ASSIGN(m.timing, manifest_from_json(timing->dump()));
  if (!is_token(m.token) || m.source.bucket.empty() || m.source.key.empty() || m.stream_index < -1 || m.stream_index > 4096 ||
      m.zero_us < -kMaxDurationUs || m.zero_us > kMaxDurationUs)
    return not_ours("manifest fields are out of range");
  return m;
}

}  // namespace

std::int64_t subtitle_base_us(const SubtitleManifest& m) {
  const ResolvedParams& p = m.timing.params;
  return p.origin_us + p.ss_us - m.zero_us;
}

std::string subtitle_manifest_line(const SubtitleManifest& m) {
  Json json{{"v", m.version},
            {"kind", kKind},
            {"token", m.token},
            {"source", {{"bucket", m.source.bucket}, {"key", m.source.key}, {"etag", m.source.etag}, {"size", m.source.size}}},
            {"stream", m.stream_index},
            {"external", m.external},
            {"zero_us", m.zero_us},
            {"timing", Json::parse(manifest_to_json(m.timing), nullptr, /*allow_exceptions=*/false)}};
  return std::string(kManifestPrefix) + base64url_encode(json.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Result<SubtitleManifest> parse_subtitle_manifest(std::string_view text) {
  auto json = read_manifest_payload(text, kMaxLine);
  if (!json.ok()) return not_ours(json.error().message());
  return from_json(*json);
}

std::string render_subtitle_playlist(const SubtitleManifest& manifest, const SegmentPlan& plan, std::string_view playlist_key) {
  return render_media_playlist(subtitle_manifest_line(manifest), plan, [&](std::int64_t index) {
    return subtitle_segment_name(playlist_key, manifest.token, index);
  });
}

}  // namespace osslive::hls
