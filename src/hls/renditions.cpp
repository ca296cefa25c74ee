// plan_renditions(): GenerateVideoPlaylist targets -> media playlists (hls/m3u8 manifests and
// plans) and WebVTT playlists, all on one segment shape.
#include "osslive/hls/renditions.hpp"

#include <algorithm>
#include <set>

#include "osslive/core/strings.hpp"
#include "osslive/hls/bandwidth.hpp"
#include "osslive/hls/token.hpp"

namespace osslive::hls {
namespace {

constexpr std::int64_t kDefaultInitialMs = 30'000;  // hls/m3u8's initd default
constexpr std::string_view kTokenTag = "osslive-GenerateVideoPlaylist-v1";

// hls/m3u8 parameter names in resolve()'s errors, as the request calls them.
constexpr std::pair<std::string_view, std::string_view> kFieldNames[] = {
    {"fps", "FrameRate"}, {"s", "Resolution"},   {"vb", "Bitrate"},      {"crf", "CRF"},          {"pixfmt", "PixelFormat"},
    {"scaletype", "ScaleType"}, {"ss", "SourceStartTime"}, {"t", "SourceDuration"}, {"ar", "SampleRate"},
    {"ac", "Channels"},   {"ab", "Bitrate"},     {"an", "Audio"},        {"vcodec", "Codec"},     {"acodec", "Codec"}};

// resolve() names hls/m3u8 parameters; the caller sent JSON fields.
Error renamed(Error error, const std::string& path) {
  std::string name, value;
  for (const auto& [field, text] : error.fields()) {
    if (field == "ArgumentName") name = text;
    if (field == "ArgumentValue") value = text;
  }
  std::string field = path;
  for (const auto& [param, json] : kFieldNames) {
    if (name == param) field = (name == "ss" || name == "t") ? std::string(json) : path + "." + std::string(json);
  }
  std::string message = error.message();
  if (!name.empty() && message.rfind(name + " ", 0) == 0) message = field + message.substr(name.size());
  else message = path + ": " + message;
  Error out(error.code(), message);
  if (!name.empty()) out.with("ArgumentName", field).with("ArgumentValue", value);
  return out;
}

std::string stem_of(std::string_view key) {
  std::string_view base = key;
  if (base.size() > 5 && base.substr(base.size() - 5) == ".m3u8") base.remove_suffix(5);
  return std::string(base);
}

// The digest input for a media playlist: its resolved parameters without the scheduling ones
// (initd, ta), so changing those keeps the segments already made.
std::string canonical_params(ResolvedParams params) {
  params.initd_ms = 0;
  params.ta = 0;
  Manifest m;
  m.token = std::string(32, '0');
  m.params = std::move(params);
  return std::string(kTokenTag) + "\n" + manifest_to_json(m);
}

template <typename Track>
Result<std::size_t> select(const std::vector<Track>& tracks, const StreamSelector& selector, const std::string& field,
                           const char* kind) {
  if (tracks.empty()) {
    const std::string article = kind[0] == 'a' ? "an " : "a ";
    return invalid_argument(field, "needs a source with " + article + kind + " stream", "(none)");
  }
  if (selector.index) {
    if (*selector.index >= static_cast<int>(tracks.size()))
      return invalid_argument(field + ".Stream", "must name one of the source's " + std::to_string(tracks.size()) + " " + kind +
                                                     " streams (0-based)", std::to_string(*selector.index));
    return static_cast<std::size_t>(*selector.index);
  }
  if (selector.language) {
    const std::string wanted = language_tag(*selector.language);
    for (std::size_t i = 0; i < tracks.size(); ++i) {
      if (!wanted.empty() && language_tag(tracks[i].language) == wanted) return i;
    }
    std::string present;
    for (const Track& t : tracks) present += (present.empty() ? "" : ", ") + (t.language.empty() ? std::string("und") : t.language);
    return invalid_argument(field + ".Stream", std::string("must match the language of a source ") + kind + " stream (" + present + ")",
                            *selector.language);
  }
  return std::size_t{0};
}

process::HlsM3u8 base_request(const VideoPlaylistRequest& request, const Target& target, bool first) {
  process::HlsM3u8 m;
  m.ss_ms = request.source_start_ms;
  m.t_ms = request.source_duration_ms;
  m.initd_ms = target.initial_transcode_ms.value_or(first ? kDefaultInitialMs : 0);
  m.ta = target.transcode_ahead;
  return m;
}

// resolve() keeps hls/m3u8's st and initseg ranges; the request's own ranges were checked when parsed.
Result<ResolvedParams> finish(Result<ResolvedParams> resolved, const VideoPlaylistRequest& request, const Target& target,
                              const std::string& path) {
  if (!resolved.ok()) return renamed(std::move(resolved).error(), path);
  ResolvedParams params = std::move(resolved).value();
  params.st_ms = request.segment_ms;
  // resolve() saw a placeholder st: the default look-ahead follows the real segment duration.
  if (!target.transcode_ahead) params.ta = default_transcode_ahead(params.st_ms);
  params.initseg_ms = request.initial_segments_ms;
  OSSLIVE_TRY(validate(params));
  return params;
}

Result<ResolvedParams> resolve_video(const VideoPlaylistRequest& request, const Target& target, const VideoTarget& v,
                                     const media::SourceInfo& info, bool muxed_audio, bool first) {
  const std::string path = target.field + ".Video";
  if (!info.video) return invalid_argument(path, "needs a source with a video stream", "(none)");
  process::HlsM3u8 m = base_request(request, target, first);
  m.vcodec = v.codec;
  m.fps = v.frame_rate;
  m.width = v.width;
  m.height = v.height;
  m.scaletype = v.scale_type;
  m.pixfmt = v.pix_fmt;
  if (v.bitrate) m.vb = v.bitrate;
  else m.crf_hundredths = static_cast<std::int64_t>(v.crf.value_or(23)) * 100;
  m.an = !muxed_audio || !info.audio;
  if (!m.an) m.ab = default_audio_bitrate(std::clamp(info.audio->channels, 1, 8));
  m.st_ms = 10'000;
  OSSLIVE_ASSIGN(ResolvedParams params, finish(resolve(m, info), request, target, path));
  VideoParams& out = *params.video;
  // The VBV cap that bounds BANDWIDTH: MaxBitrate, else the bit rate itself, else (crf) the
  // default for the picture size; a one-second buffer.
  out.maxrate = v.max_bitrate.value_or(out.bitrate > 0 ? out.bitrate : default_max_bitrate(out.width, out.height, out.frame_rate));
  out.maxrate = std::max(out.maxrate, out.bitrate);
  out.bufsize = out.maxrate;
  return params;
}

Result<PlannedMedia> plan_media(std::size_t index, std::string key, const SourceRef& source, ResolvedParams params) {
  PlannedMedia media;
  media.target = index;
  media.key = std::move(key);
  media.manifest.source = source;
  media.manifest.token = make_token(source.bucket, source.key, source.etag, canonical_params(params));
  media.manifest.params = std::move(params);
  OSSLIVE_ASSIGN(media.plan, make_plan(media.manifest.params));
  return media;
}

// Every playlist key: given (same bucket as the master, inside its folder) or derived from it.
Result<std::vector<std::string>> playlist_keys(const VideoPlaylistRequest& request) {
  const std::string master_folder = request.master.key.substr(0, request.master.key.rfind('/') + 1);
  const std::string stem = stem_of(request.master.key);
  std::vector<std::string> keys;
  std::set<std::string> seen{request.master.key};
  int counts[3] = {0, 0, 0};
  for (const Target& t : request.targets) {
    const int kind = static_cast<int>(t.media.index());
    std::string key = stem + "-" + "vas"[kind] + std::to_string(counts[kind]++) + ".m3u8";
    if (t.uri) {
      const std::string field = t.field + ".URI";
      const std::string shown = "oss://" + t.uri->bucket + "/" + t.uri->key;
      if (t.uri->bucket != request.master.bucket) return invalid_argument(field, "must be in the bucket of MasterURI", shown);
      if (t.uri->key.rfind(master_folder, 0) != 0) return invalid_argument(field, "must be in the folder of MasterURI", shown);
      if (t.uri->key.size() <= 5 || t.uri->key.substr(t.uri->key.size() - 5) != ".m3u8")
        return invalid_argument(field, "must end in .m3u8", shown);
      key = t.uri->key;
    }
    if (key == request.source.key && request.master.bucket == request.source.bucket)
      return invalid_argument(t.field + ".URI", "would overwrite the source", key);
    if (!seen.insert(key).second) return invalid_argument(t.field + ".URI", "is used by another playlist of this request", key);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace

std::int64_t default_audio_bitrate(int channels) { return std::min<std::int64_t>(64'000LL * std::max(channels, 1), 320'000); }

Result<RenditionPlan> plan_renditions(const VideoPlaylistRequest& request, const SourceDescription& source,
                                      const std::map<std::size_t, ExternalSubtitles>& externals) {
  if (request.master.key.size() <= 5 || request.master.key.substr(request.master.key.size() - 5) != ".m3u8")
    return invalid_argument("MasterURI", "must end in .m3u8", "oss://" + request.master.bucket + "/" + request.master.key);
  if (request.master == request.source) return invalid_argument("MasterURI", "would overwrite the source", request.master.key);
  OSSLIVE_ASSIGN(std::vector<std::string> keys, playlist_keys(request));
  RenditionPlan plan;
  plan.bucket = request.master.bucket;
  plan.master_key = request.master.key;
  const bool alternate_audio = std::any_of(request.targets.begin(), request.targets.end(),
                                           [](const Target& t) { return std::holds_alternative<AudioTarget>(t.media); });
  std::set<std::string> audio_names;
  for (std::size_t i = 0; i < request.targets.size(); ++i) {
    const Target& target = request.targets[i];
    if (const auto* v = std::get_if<VideoTarget>(&target.media)) {
      OSSLIVE_ASSIGN(ResolvedParams params,
                     resolve_video(request, target, *v, source.info, !alternate_audio, plan.video.empty()));
      if (!plan.video.empty() && params.video->frame_rate != plan.video.front().manifest.params.video->frame_rate) {
        return invalid_argument(target.field + ".Video.FrameRate",
                                "must resolve to the frame rate of the other video targets (" +
                                    format_frame_rate(plan.video.front().manifest.params.video->frame_rate) +
                                    "): renditions must share segment boundaries",
                                format_frame_rate(params.video->frame_rate));
      }
      OSSLIVE_ASSIGN(PlannedMedia media, plan_media(i, keys[i], source.ref, std::move(params)));
      plan.video.push_back(std::move(media));
    } else if (const auto* a = std::get_if<AudioTarget>(&target.media)) {
      const std::string path = target.field + ".Audio";
      OSSLIVE_ASSIGN(std::size_t which, select(source.tracks.audio, a->stream, path, "audio"));
      const media::AudioTrackInfo& track = source.tracks.audio[which];
      if (!track.usable) return invalid_argument(path + ".Stream", "names an audio stream this server cannot decode", track.stream.codec);
      media::SourceInfo info = source.info;
      info.video.reset();
      info.audio = track.stream;
      process::HlsM3u8 m = base_request(request, target, plan.audio.empty());
      m.ar = a->sample_rate;
      m.ac = a->channels;
      m.ab = a->bitrate.value_or(default_audio_bitrate(a->channels.value_or(std::clamp(track.stream.channels, 1, 8))));
      m.abopt = 0;
      m.st_ms = 10'000;
      OSSLIVE_ASSIGN(ResolvedParams params, finish(resolve(m, info), request, target, path));
      PlannedMedia media;  // planned below, on the video renditions' timeline and cut points
      media.target = i;
      media.key = keys[i];
      media.manifest.params = std::move(params);
      media.language = language_tag(a->stream.language.value_or(track.language));
      std::string name = a->name.value_or(!track.title.empty() ? track.title
                                          : media.language.empty() ? "Audio " + std::to_string(plan.audio.size() + 1)
                                                                   : language_name(media.language));
      const std::string base = name;
      for (int n = 2; !audio_names.insert(name).second; ++n) name = base + " (" + std::to_string(n) + ")";
      media.name = name;
      media.is_default = plan.audio.empty();
      plan.audio.push_back(std::move(media));
    }
  }
  if (plan.video.empty()) return invalid_argument("Targets", "must include at least one Video target", "");
  // Alternate audio shares the video renditions' output timeline (output time 0 is the same
  // source instant, whatever the audio stream's own start) and their segment cut points.
  const ResolvedParams& timeline = plan.video.front().manifest.params;
  for (PlannedMedia& audio : plan.audio) {
    ResolvedParams params = std::move(audio.manifest.params);
    params.origin_us = timeline.origin_us;
    params.ss_us = timeline.ss_us;
    params.end_us = timeline.end_us;
    params.duration_us = timeline.duration_us;
    params.cut_frame_rate = timeline.video->frame_rate;
    OSSLIVE_TRY(validate(params));
    OSSLIVE_ASSIGN(PlannedMedia planned, plan_media(audio.target, audio.key, source.ref, std::move(params)));
    audio.manifest = std::move(planned.manifest);
    audio.plan = std::move(planned.plan);
  }
  for (std::size_t i = 0; i < request.targets.size(); ++i) {
    const Target& target = request.targets[i];
    const auto* s = std::get_if<SubtitleTarget>(&target.media);
    if (!s) continue;
    const std::string path = target.field + ".Subtitle";
    PlannedSubtitles subs;
    subs.target = i;
    subs.key = keys[i];
    subs.manifest.timing = plan.video.front().manifest;
    std::string track_language;
    if (s->source) {
      auto found = externals.find(i);
      if (found == externals.end()) return Error(Errc::InternalError, path + ": external subtitles were not opened");
      const auto& tracks = found->second.tracks.subtitles;
      auto text = std::find_if(tracks.begin(), tracks.end(), [](const media::SubtitleTrackInfo& t) { return t.text; });
      if (text == tracks.end()) return invalid_argument(path + ".SourceURI", "must be a text subtitle file (SRT, WebVTT, ASS)", s->source->key);
      subs.manifest.source = found->second.ref;
      subs.manifest.stream_index = text->index;
      subs.manifest.external = true;
      subs.manifest.zero_us = source.info.video ? source.info.video->start_us : source.info.start_us;
      track_language = text->language;
    } else {
      OSSLIVE_ASSIGN(std::size_t which, select(source.tracks.subtitles, s->stream, path, "subtitle"));
      const media::SubtitleTrackInfo& track = source.tracks.subtitles[which];
      if (!track.text) return invalid_argument(path + ".Stream", "names a picture-based subtitle stream; only text subtitles become WebVTT", track.codec);
      subs.manifest.source = source.ref;
      subs.manifest.stream_index = track.index;
      track_language = track.language;
    }
    subs.manifest.token = make_token(subs.manifest.source.bucket, subs.manifest.source.key, subs.manifest.source.etag,
                                     std::string(kTokenTag) + "/webvtt\n" + std::to_string(subs.manifest.stream_index) + "\n" +
                                         subs.manifest.timing.token);
    subs.plan = plan.video.front().plan;
    subs.language = language_tag(s->language.value_or(track_language));
    subs.name = s->name.value_or(subs.language.empty() ? "Subtitles " + std::to_string(plan.subtitles.size() + 1)
                                                       : language_name(subs.language));
    plan.subtitles.push_back(std::move(subs));
  }
  std::string all;
  for (const auto* list : {&plan.video, &plan.audio})
    for (const PlannedMedia& m : *list) all += m.manifest.token;
  for (const PlannedSubtitles& s : plan.subtitles) all += s.manifest.token;
  plan.token = make_token(plan.bucket, plan.master_key, "", all);
  return plan;
}

}  // namespace osslive::hls
