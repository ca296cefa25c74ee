// compose_master(): the master playlist over planned renditions, with bounded bandwidths.
#include <algorithm>

#include "osslive/core/strings.hpp"
#include "osslive/hls/bandwidth.hpp"
#include "osslive/hls/codecs.hpp"
#include "osslive/hls/renditions.hpp"

namespace osslive::hls {
namespace {

constexpr std::string_view kAudioGroup = "audio";
constexpr std::string_view kSubtitleGroup = "subs";

}  // namespace

std::string relative_uri(std::string_view master_key, std::string_view key) {
  const std::size_t slash = master_key.rfind('/');
  const std::string_view folder = slash == std::string_view::npos ? std::string_view() : master_key.substr(0, slash + 1);
  if (key.substr(0, folder.size()) == folder) key.remove_prefix(folder.size());
  return uri_encode(key, /*keep_slash=*/true);
}

MasterPlaylist compose_master(const RenditionPlan& plan, const std::vector<std::string>& video_codecs) {
  MasterPlaylist master;
  // A variant's BANDWIDTH covers the largest audio rendition a player may pick with it.
  RateBound audio_bound;
  for (const PlannedMedia& a : plan.audio) {
    const RateBound b = ts_rate_bound(nullptr, &*a.manifest.params.audio, a.plan);
    audio_bound.peak = std::max(audio_bound.peak, b.peak);
    audio_bound.average = std::max(audio_bound.average, b.average);
    MasterMedia m;
    m.type = MasterMedia::Type::Audio;
    m.group_id = kAudioGroup;
    m.language = a.language;
    m.name = a.name;
    m.is_default = a.is_default;
    m.channels = a.manifest.params.audio->channels;
    m.uri = relative_uri(plan.master_key, a.key);
    master.media.push_back(std::move(m));
  }
  for (const PlannedSubtitles& s : plan.subtitles) {
    MasterMedia m;
    m.type = MasterMedia::Type::Subtitles;
    m.group_id = kSubtitleGroup;
    m.language = s.language;
    m.name = s.name;
    m.uri = relative_uri(plan.master_key, s.key);
    master.media.push_back(std::move(m));
  }
  for (std::size_t i = 0; i < plan.video.size(); ++i) {
    const PlannedMedia& v = plan.video[i];
    const ResolvedParams& p = v.manifest.params;
    const RateBound video = ts_rate_bound(&*p.video, p.audio ? &*p.audio : nullptr, v.plan);
    MasterVariant variant;
    variant.bandwidth = video.peak + audio_bound.peak;
    variant.average_bandwidth = std::min(variant.bandwidth, video.average + audio_bound.average);
    variant.width = p.video->width;
    variant.height = p.video->height;
    variant.frame_rate = p.video->frame_rate;
    variant.codecs = i < video_codecs.size() ? video_codecs[i] : "";
    if (p.audio || !plan.audio.empty()) variant.codecs += (variant.codecs.empty() ? "" : ",") + std::string(kAacLcCodecs);
    if (!plan.audio.empty()) variant.audio_group = kAudioGroup;
    if (!plan.subtitles.empty()) variant.subtitle_group = kSubtitleGroup;
    variant.uri = relative_uri(plan.master_key, v.key);
    master.variants.push_back(std::move(variant));
  }
  return master;
}

}  // namespace osslive::hls
