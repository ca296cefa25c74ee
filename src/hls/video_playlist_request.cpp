// GenerateVideoPlaylist body: one small reader per JSON object that names each field by its path
// and refuses fields nobody read.
#include "osslive/hls/video_playlist_request.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "osslive/core/strings.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/process/value_rules.hpp"

namespace osslive::hls {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxDepth = 8;
constexpr std::int64_t kMinVideoBitrate = 10'000, kMaxVideoBitrate = 100'000'000;
constexpr std::int64_t kMinAudioBitrate = 8'000, kMaxAudioBitrate = 1'000'000;
constexpr std::size_t kMaxInitialSegments = 8;
constexpr std::size_t kMaxText = 256;

std::string shown(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > 64 ? text.substr(0, 64) + "..." : text;
}

// One JSON object: typed getters that name "<path>.<key>" in errors, and a check that every key
// was read.
class Fields {
 public:
  Fields(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::string name(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }
  const std::string& path() const { return path_; }

  const Json* get(std::string_view key) {
    auto it = object_.find(std::string(key));
    if (it == object_.end() || it->is_null()) return nullptr;
    used_.emplace_back(key);
    return &*it;
  }
  bool has(std::string_view key) const { return object_.contains(std::string(key)) && !object_.at(std::string(key)).is_null(); }

  Result<std::optional<std::string>> text(std::string_view key) {
    const Json* v = get(key);
    if (!v) return std::optional<std::string>();
    if (!v->is_string() || v->get_ref<const std::string&>().empty() || v->get_ref<const std::string&>().size() > kMaxText)
      return invalid_argument(name(key), "must be a non-empty string of at most 256 bytes", shown(*v));
    return std::optional<std::string>(v->get<std::string>());
  }

  Result<std::optional<std::int64_t>> integer(std::string_view key, std::int64_t lo, std::int64_t hi) {
    const Json* v = get(key);
    if (!v) return std::optional<std::int64_t>();
    auto rule = [&] { return "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; };
    std::int64_t n = 0;
    if (v->is_number_integer()) {
      n = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : v->get<std::int64_t>();
    } else if (v->is_number_float() && std::isfinite(v->get<double>()) && std::floor(v->get<double>()) == v->get<double>() &&
               std::fabs(v->get<double>()) < 9e15) {
      n = static_cast<std::int64_t>(v->get<double>());
    } else {
      return invalid_argument(name(key), rule(), shown(*v));
    }
    if (n < lo || n > hi) return invalid_argument(name(key), rule(), shown(*v));
    return std::optional<std::int64_t>(n);
  }

  // Seconds as a JSON number (a numeric string is refused) with at most millisecond precision, in ms.
  Result<std::optional<std::int64_t>> seconds_ms(std::string_view key, double lo, double hi) {
    const Json* v = get(key);
    if (!v) return std::optional<std::int64_t>();
    return ms_of(*v, name(key), lo, hi);
  }

  static Result<std::optional<std::int64_t>> ms_of(const Json& v, const std::string& field, double lo, double hi) {
    auto fail = [&] {
      auto bound = [](double x) {
        std::string t = std::to_string(x);
        t.erase(t.find_last_not_of('0') + 1);
        if (t.back() == '.') t.pop_back();
        return t;
      };
      return invalid_argument(field, "must be a number of seconds in [" + bound(lo) + ", " + bound(hi) + "] with at most 3 decimals",
                              shown(v));
    };
    if (!v.is_number()) return fail();
    const double s = v.get<double>();
    if (!std::isfinite(s) || s < lo || s > hi) return fail();
    const double ms = std::round(s * 1000.0);
    if (std::fabs(ms - s * 1000.0) > 1e-6 * std::max(1.0, std::fabs(s * 1000.0))) return fail();
    return std::optional<std::int64_t>(static_cast<std::int64_t>(ms));
  }

  // Every key was read, or is one of `ignored`.
  Status no_unknown(std::initializer_list<std::string_view> ignored = {}) const {
    for (auto it = object_.begin(); it != object_.end(); ++it) {
      const std::string& key = it.key();
      if (std::find(used_.begin(), used_.end(), key) != used_.end()) continue;
      if (std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
      if (it->is_null()) continue;
      return invalid_argument(name(key), "is not a field of " + (path_.empty() ? std::string("the request") : path_), shown(*it));
    }
    return {};
  }

 private:
  const Json& object_;
  std::string path_;
  std::vector<std::string> used_;
};

Result<const Json*> object_field(Fields& f, std::string_view key) {
  const Json* v = f.get(key);
  if (v && !v->is_object()) return invalid_argument(f.name(key), "must be a JSON object", shown(*v));
  return v;
}


Result<StreamSelector> read_stream(Fields& f) {
  StreamSelector selector;
  if (const Json* v = f.get("Stream")) {
    const Json* item = v;
    // IMM lists streams in an array; one stream per target here.
    if (v->is_array()) {
      if (v->size() != 1) return invalid_argument(f.name("Stream"), "must name exactly one stream", shown(*v));
      item = &(*v)[0];
    }
    if (item->is_number_integer() && item->get<std::int64_t>() >= 0 && item->get<std::int64_t>() < 64) {
      selector.index = static_cast<int>(item->get<std::int64_t>());
    } else if (item->is_string() && !item->get_ref<const std::string&>().empty() && item->get_ref<const std::string&>().size() <= 35) {
      selector.language = item->get<std::string>();
    } else {
      return invalid_argument(f.name("Stream"), "must be a stream index in [0, 63] or a language code", shown(*v));
    }
  }
  return selector;
}

// IMM nests the encoder settings one level down (TranscodeVideo / TranscodeAudio): accepted too.
Result<VideoTarget> read_video(const Json& json, const std::string& path) {
  Fields outer(json, path);
  OSSLIVE_ASSIGN(const Json* nested, object_field(outer, "TranscodeVideo"));
  if (const Json* v = outer.get("DisableVideo"); v && !(v->is_boolean() && !v->get<bool>()))
    return invalid_argument(outer.name("DisableVideo"), "must be false (leave Video out instead)", shown(*v));
  Fields f(nested ? *nested : json, nested ? path + ".TranscodeVideo" : path);
  VideoTarget t;
  OSSLIVE_ASSIGN(auto codec, f.text("Codec"));
  if (codec) {
    OSSLIVE_TRY(process::check_one_of(f.name("Codec"), *codec, process::kVideoCodecs));
    t.codec = *codec;
  }
  OSSLIVE_ASSIGN(auto width, f.integer("Width", 64, 4096));
  OSSLIVE_ASSIGN(auto height, f.integer("Height", 64, 4096));
  OSSLIVE_ASSIGN(auto resolution, f.text("Resolution"));
  if (resolution) {
    if (width || height) return invalid_argument(f.name("Resolution"), "cannot be combined with Width or Height", *resolution);
    const auto x = resolution->find('x');
    auto w = x == std::string::npos ? std::nullopt : parse_int(std::string_view(*resolution).substr(0, x));
    auto h = x == std::string::npos ? std::nullopt : parse_int(std::string_view(*resolution).substr(x + 1));
    if (!w || !h || *w < 64 || *w > 4096 || *h < 64 || *h > 4096)
      return invalid_argument(f.name("Resolution"), "must be WxH with W and H even and in [64, 4096]", *resolution);
    width = *w;
    height = *h;
  }
  if (width.has_value() != height.has_value())
    return invalid_argument(f.name(width ? "Height" : "Width"), "is needed with " + std::string(width ? "Width" : "Height"), "(missing)");
  if (width && (*width % 2 != 0 || *height % 2 != 0))
    return invalid_argument(f.name(resolution ? "Resolution" : (*width % 2 ? "Width" : "Height")), "must be even",
                            std::to_string(*width % 2 ? *width : *height));
  if (width) {
    t.width = static_cast<int>(*width);
    t.height = static_cast<int>(*height);
  }
  if (const Json* v = f.get("FrameRate")) {
    std::string text = v->is_string() ? v->get<std::string>() : "";
    if (v->is_number()) {
      const double fps = v->get<double>();
      const double milli = std::round(fps * 1000.0);
      if (std::isfinite(fps) && fps > 0 && fps <= 240 && std::fabs(milli - fps * 1000.0) < 1e-6) {
        text = std::to_string(static_cast<std::int64_t>(milli) / 1000) + "." +
               std::to_string(1000 + static_cast<std::int64_t>(milli) % 1000).substr(1);
      }
    }
    if (text.empty() || !parse_frame_rate(text))
      return invalid_argument(f.name("FrameRate"), "must be a number in (0, 240] with at most 3 decimals", shown(*v));
    t.frame_rate = text;
  }
  OSSLIVE_ASSIGN(t.bitrate, f.integer("Bitrate", kMinVideoBitrate, kMaxVideoBitrate));
  OSSLIVE_ASSIGN(auto crf, f.integer("CRF", 0, 51));
  if (crf) t.crf = static_cast<int>(*crf);
  if (t.bitrate && t.crf) return invalid_argument(f.name("CRF"), "cannot be combined with Bitrate", std::to_string(*t.crf));
  OSSLIVE_ASSIGN(t.max_bitrate, f.integer("MaxBitrate", kMinVideoBitrate, kMaxVideoBitrate));
  if (t.bitrate && t.max_bitrate && *t.max_bitrate < *t.bitrate)
    return invalid_argument(f.name("MaxBitrate"), "must not be below Bitrate " + std::to_string(*t.bitrate),
                            std::to_string(*t.max_bitrate));
  OSSLIVE_ASSIGN(t.scale_type, f.text("ScaleType"));
  if (t.scale_type) {
    OSSLIVE_TRY(process::check_one_of(f.name("ScaleType"), *t.scale_type, process::kScaleTypes));
    if (!t.width) return invalid_argument(f.name("ScaleType"), "needs Width and Height (or Resolution)", *t.scale_type);
  }
  OSSLIVE_ASSIGN(t.pix_fmt, f.text("PixelFormat"));
  if (t.pix_fmt)
    OSSLIVE_TRY(process::check_one_of(f.name("PixelFormat"), *t.pix_fmt, process::kPixelFormats));
  if (nested) {
    OSSLIVE_TRY(f.no_unknown());
    OSSLIVE_TRY(outer.no_unknown());
  } else {
    OSSLIVE_TRY(f.no_unknown({"DisableVideo"}));
  }
  return t;
}

Result<AudioTarget> read_audio(const Json& json, const std::string& path) {
  Fields outer(json, path);
  OSSLIVE_ASSIGN(const Json* nested, object_field(outer, "TranscodeAudio"));
  if (const Json* v = outer.get("DisableAudio"); v && !(v->is_boolean() && !v->get<bool>()))
    return invalid_argument(outer.name("DisableAudio"), "must be false (leave Audio out instead)", shown(*v));
  AudioTarget t;
  OSSLIVE_ASSIGN(t.stream, read_stream(outer));
  OSSLIVE_ASSIGN(auto language, outer.text("Language"));
  if (language) {
    if (t.stream.index || t.stream.language) return invalid_argument(outer.name("Language"), "cannot be combined with Stream", *language);
    t.stream.language = language;
  }
  OSSLIVE_ASSIGN(t.name, outer.text("Name"));
  Fields f(nested ? *nested : json, nested ? path + ".TranscodeAudio" : path);
  OSSLIVE_ASSIGN(auto codec, f.text("Codec"));
  if (codec) {
    OSSLIVE_TRY(process::check_one_of(f.name("Codec"), *codec, process::kAudioCodecs));
    t.codec = *codec;
  }
  OSSLIVE_ASSIGN(t.bitrate, f.integer("Bitrate", kMinAudioBitrate, kMaxAudioBitrate));
  OSSLIVE_ASSIGN(auto rate, f.integer("SampleRate", 8000, 96000));
  if (rate) {
    OSSLIVE_ASSIGN(t.sample_rate, process::parse_sample_rate(f.name("SampleRate"), std::to_string(*rate)));
  }
  const char* channels_key = f.has("Channel") ? "Channel" : "Channels";  // IMM says Channel
  if (f.has("Channel") && f.has("Channels")) return invalid_argument(f.name("Channel"), "cannot be combined with Channels", "");
  OSSLIVE_ASSIGN(auto channels, f.integer(channels_key, 1, 8));
  if (channels) t.channels = static_cast<int>(*channels);
  if (nested) {
    OSSLIVE_TRY(f.no_unknown());
    OSSLIVE_TRY(outer.no_unknown());
  } else {
    OSSLIVE_TRY(f.no_unknown({"Stream", "Language", "Name", "DisableAudio"}));
  }
  return t;
}

Result<SubtitleTarget> read_subtitle(const Json& json, const std::string& path) {
  Fields f(json, path);
  if (const Json* v = f.get("DisableSubtitle"); v && !(v->is_boolean() && !v->get<bool>()))
    return invalid_argument(f.name("DisableSubtitle"), "must be false (leave Subtitle out instead)", shown(*v));
  SubtitleTarget t;
  OSSLIVE_ASSIGN(auto format, f.text("Format"));
  if (format) {
    constexpr std::array<std::string_view, 1> kSubtitleFormats{"webvtt"};
    OSSLIVE_TRY(process::check_one_of(f.name("Format"), *format, kSubtitleFormats));
    t.format = *format;
  }
  OSSLIVE_ASSIGN(t.stream, read_stream(f));
  OSSLIVE_ASSIGN(auto source, f.text("SourceURI"));
  if (source) {
    if (t.stream.index || t.stream.language) return invalid_argument(f.name("SourceURI"), "cannot be combined with Stream", *source);
    OSSLIVE_ASSIGN(t.source, parse_oss_uri(*source, f.name("SourceURI")));
  }
  OSSLIVE_ASSIGN(t.language, f.text("Language"));
  if (t.language && !t.source) {
    if (t.stream.index || t.stream.language) return invalid_argument(f.name("Language"), "cannot be combined with Stream", *t.language);
    t.stream.language = t.language;
  }
  OSSLIVE_ASSIGN(t.name, f.text("Name"));
  OSSLIVE_TRY(f.no_unknown());
  return t;
}

Result<Target> read_target(const Json& json, const std::string& path, std::optional<std::int64_t>& duration,
                           std::optional<std::vector<std::int64_t>>& initial) {
  if (!json.is_object()) return invalid_argument(path, "must be a JSON object", shown(json));
  Fields f(json, path);
  Target t;
  t.field = path;
  const bool video = f.has("Video"), audio = f.has("Audio"), subtitle = f.has("Subtitle");
  if (int(video) + int(audio) + int(subtitle) != 1)
    return invalid_argument(path, "must have exactly one of Video, Audio, Subtitle", shown(json).substr(0, 64));
  for (const char* key : {"Video", "Audio", "Subtitle"}) {
    OSSLIVE_ASSIGN(const Json* body, object_field(f, key));
    if (!body) continue;
    if (video) {
      OSSLIVE_ASSIGN(t.media, read_video(*body, f.name(key)));
    } else if (audio) {
      OSSLIVE_ASSIGN(t.media, read_audio(*body, f.name(key)));
    } else {
      OSSLIVE_ASSIGN(t.media, read_subtitle(*body, f.name(key)));
    }
  }
  OSSLIVE_ASSIGN(auto uri, f.text("URI"));
  if (uri) {
    OSSLIVE_ASSIGN(t.uri, parse_oss_uri(*uri, f.name("URI")));
  }
  OSSLIVE_ASSIGN(auto ahead, f.integer("TranscodeAhead", 10, 30));
  if (ahead) t.transcode_ahead = static_cast<int>(*ahead);
  OSSLIVE_ASSIGN(t.initial_transcode_ms, f.seconds_ms("InitialTranscode", -1e9, 1e9));
  OSSLIVE_ASSIGN(auto seconds, f.seconds_ms("Duration", 2, 15));
  if (seconds) {
    if (duration && *duration != *seconds)
      return invalid_argument(f.name("Duration"), "must be the same for every target (" + std::to_string(*duration / 1000.0) +
                                                      " s elsewhere): renditions must share segment boundaries",
                              shown(json.at("Duration")));
    duration = seconds;
  }
  if (const Json* v = f.get("InitialSegments")) {
    if (!v->is_array() || v->size() > kMaxInitialSegments)
      return invalid_argument(f.name("InitialSegments"), "must be an array of at most 8 durations", shown(*v));
    std::vector<std::int64_t> list;
    for (std::size_t i = 0; i < v->size(); ++i) {
      OSSLIVE_ASSIGN(auto ms, Fields::ms_of((*v)[i], f.name("InitialSegments") + "[" + std::to_string(i) + "]", 1, 15));
      list.push_back(*ms);
    }
    if (initial && *initial != list)
      return invalid_argument(f.name("InitialSegments"), "must be the same for every target: renditions must share segment boundaries",
                              shown(*v));
    initial = std::move(list);
  }
  OSSLIVE_TRY(f.no_unknown({"Tags"}));
  return t;
}

}  // namespace

Result<OssUri> parse_oss_uri(std::string_view text, std::string_view field) {
  constexpr std::string_view kScheme = "oss://";
  if (text.substr(0, kScheme.size()) != kScheme)
    return invalid_argument(field, "must be oss://<bucket>/<key>", text);
  std::string_view rest = text.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size())
    return invalid_argument(field, "must be oss://<bucket>/<key>", text);
  return OssUri{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
}

Result<VideoPlaylistRequest> parse_video_playlist_request(std::string_view text) {
  if (text.size() > kMaxRequestBytes) return Error(Errc::InvalidArgument, "the request body is larger than 64 KiB");
  if (!json_nesting_within(text, kMaxDepth)) return Error(Errc::InvalidArgument, "the request body is nested too deeply");
  Json json = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return Error(Errc::InvalidArgument, "the request body must be a JSON object");
  Fields f(json, "");
  VideoPlaylistRequest r;
  OSSLIVE_ASSIGN(auto source, f.text("SourceURI"));
  if (!source) return invalid_argument("SourceURI", "is required", "");
  OSSLIVE_ASSIGN(r.source, parse_oss_uri(*source, "SourceURI"));
  OSSLIVE_ASSIGN(auto master, f.text("MasterURI"));
  if (!master) return invalid_argument("MasterURI", "is required", "");
  OSSLIVE_ASSIGN(r.master, parse_oss_uri(*master, "MasterURI"));
  OSSLIVE_ASSIGN(auto start, f.seconds_ms("SourceStartTime", 0, 1e9));
  r.source_start_ms = start.value_or(0);
  OSSLIVE_ASSIGN(auto length, f.seconds_ms("SourceDuration", 0, 1e9));
  r.source_duration_ms = length.value_or(0);
  const Json* targets = f.get("Targets");
  if (!targets) return invalid_argument("Targets", "is required", "");
  if (!targets->is_array() || targets->empty() || targets->size() > kMaxTargets)
    return invalid_argument("Targets", "must be an array of 1 to 6 targets", shown(*targets));
  std::optional<std::int64_t> duration;
  std::optional<std::vector<std::int64_t>> initial;
  bool any_video = false;
  for (std::size_t i = 0; i < targets->size(); ++i) {
    OSSLIVE_ASSIGN(Target t, read_target((*targets)[i], "Targets[" + std::to_string(i) + "]", duration, initial));
    any_video = any_video || std::holds_alternative<VideoTarget>(t.media);
    r.targets.push_back(std::move(t));
  }
  if (!any_video) return invalid_argument("Targets", "must include at least one Video target", shown(*targets));
  r.segment_ms = duration.value_or(10'000);
  r.initial_segments_ms = initial.value_or(std::vector<std::int64_t>{});
  OSSLIVE_TRY(f.no_unknown({"ProjectName", "UserData", "Notification", "CredentialConfig", "Tags"}));
  return r;
}

}  // namespace osslive::hls
