#include "osslive/hls/master.hpp"

#include <array>

#include "osslive/core/exact.hpp"
#include "osslive/core/strings.hpp"
#include "text_lines.hpp"

namespace osslive::hls {
namespace {

struct Language {
  std::string_view tag;     // RFC 5646 (ISO 639-1 where there is one)
  std::string_view bib;     // ISO 639-2/B
  std::string_view term;    // ISO 639-2/T
  std::string_view name;
};

constexpr std::array<Language, 32> kLanguages{{
    {"ar", "ara", "ara", "Arabic"},     {"cs", "cze", "ces", "Czech"},     {"da", "dan", "dan", "Danish"},
    {"de", "ger", "deu", "German"},     {"el", "gre", "ell", "Greek"},     {"en", "eng", "eng", "English"},
    {"es", "spa", "spa", "Spanish"},    {"fa", "per", "fas", "Persian"},   {"fi", "fin", "fin", "Finnish"},
    {"fr", "fre", "fra", "French"},     {"he", "heb", "heb", "Hebrew"},    {"hi", "hin", "hin", "Hindi"},
    {"hu", "hun", "hun", "Hungarian"},  {"id", "ind", "ind", "Indonesian"}, {"it", "ita", "ita", "Italian"},
    {"ja", "jpn", "jpn", "Japanese"},   {"ko", "kor", "kor", "Korean"},    {"ms", "may", "msa", "Malay"},
    {"nl", "dut", "nld", "Dutch"},      {"no", "nor", "nor", "Norwegian"}, {"pl", "pol", "pol", "Polish"},
    {"pt", "por", "por", "Portuguese"}, {"ro", "rum", "ron", "Romanian"},  {"ru", "rus", "rus", "Russian"},
    {"sv", "swe", "swe", "Swedish"},    {"th", "tha", "tha", "Thai"},      {"tr", "tur", "tur", "Turkish"},
    {"uk", "ukr", "ukr", "Ukrainian"},  {"vi", "vie", "vie", "Vietnamese"}, {"zh", "chi", "zho", "Chinese"},
    {"ca", "cat", "cat", "Catalan"},    {"bg", "bul", "bul", "Bulgarian"},
}};

std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c != '"' && c != '\r' && c != '\n') out += c;
  }
  return out + "\"";
}

// The tag line with each URI="..." value rewritten.
std::string rewrite_uri_attributes(std::string_view line,
                                   const std::function<std::string(std::string_view uri)>& rewrite) {
  constexpr std::string_view kUri = "URI=\"";
  std::string out;
  std::size_t at = 0;
  while (true) {
    std::size_t found = line.find(kUri, at);
    // An attribute name starts the list (after ':') or follows a ','.
    while (found != std::string_view::npos && found > 0 && line[found - 1] != ',' && line[found - 1] != ':') {
      found = line.find(kUri, found + 1);
    }
    if (found == std::string_view::npos) break;
    const std::size_t value = found + kUri.size();
    const std::size_t close = line.find('"', value);
    if (close == std::string_view::npos) break;
    out.append(line.substr(at, value - at));
    out += rewrite(line.substr(value, close - value));
    at = close;
  }
  out.append(line.substr(at));
  return out;
}

}  // namespace

std::string format_master_frame_rate(media::Rational rate) {
  if (!rate.positive()) return "0.000";
  exact::Int128 milli = (static_cast<exact::Int128>(rate.num) * 2000 + rate.den) / (static_cast<exact::Int128>(rate.den) * 2);
  return std::to_string(static_cast<std::int64_t>(milli / 1000)) + "." +
         std::to_string(1000 + static_cast<int>(milli % 1000)).substr(1);
}

std::string render_master(const MasterPlaylist& master) {
  std::string text = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-INDEPENDENT-SEGMENTS\n";
  for (const MasterMedia& m : master.media) {
    text += "#EXT-X-MEDIA:TYPE=";
    text += m.type == MasterMedia::Type::Audio ? "AUDIO" : "SUBTITLES";
    text += ",GROUP-ID=" + quoted(m.group_id);
    if (!m.language.empty()) text += ",LANGUAGE=" + quoted(m.language);
    text += ",NAME=" + quoted(m.name);
    text += std::string(",DEFAULT=") + (m.is_default ? "YES" : "NO");
    text += std::string(",AUTOSELECT=") + (m.autoselect || m.is_default ? "YES" : "NO");
    if (m.type == MasterMedia::Type::Subtitles) text += ",FORCED=NO";
    if (m.type == MasterMedia::Type::Audio && m.channels > 0) text += ",CHANNELS=" + quoted(std::to_string(m.channels));
    text += ",URI=" + quoted(m.uri) + "\n";
  }
  for (const MasterVariant& v : master.variants) {
    text += "#EXT-X-STREAM-INF:BANDWIDTH=" + std::to_string(v.bandwidth);
    if (v.average_bandwidth > 0) text += ",AVERAGE-BANDWIDTH=" + std::to_string(v.average_bandwidth);
    if (v.width > 0 && v.height > 0) text += ",RESOLUTION=" + std::to_string(v.width) + "x" + std::to_string(v.height);
    if (v.frame_rate.positive()) text += ",FRAME-RATE=" + format_master_frame_rate(v.frame_rate);
    if (!v.codecs.empty()) text += ",CODECS=" + quoted(v.codecs);
    if (!v.audio_group.empty()) text += ",AUDIO=" + quoted(v.audio_group);
    if (!v.subtitle_group.empty()) text += ",SUBTITLES=" + quoted(v.subtitle_group);
    text += "\n" + v.uri + "\n";
  }
  return text;
}

bool is_master_playlist(std::string_view text) {
  bool found = false;
  for_each_line(text, [&](std::string_view line, bool) {
    if (line.substr(0, 18) == "#EXT-X-STREAM-INF:") found = true;
  });
  return found;
}

void rewrite_master_line(std::string_view raw, const std::function<std::string(std::string_view uri)>& rewrite,
                         std::string& out) {
  std::string_view line = raw;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {
    out.append(raw);
  } else if (line[0] != '#') {
    out += rewrite(line);
    out.append(raw.substr(line.size()));
  } else if (line.substr(0, 13) == "#EXT-X-MEDIA:" || line.substr(0, 26) == "#EXT-X-I-FRAME-STREAM-INF:") {
    out += rewrite_uri_attributes(line, rewrite);
    out.append(raw.substr(line.size()));
  } else {
    out.append(raw);
  }
}

std::string rewrite_master_uris(std::string_view text, const std::function<std::string(std::string_view uri)>& rewrite) {
  std::string out;
  out.reserve(text.size() * 2);
  for_each_line(text, [&](std::string_view raw, bool newline) {
    rewrite_master_line(raw, rewrite, out);
    if (newline) out += '\n';
  });
  return out;
}

std::string language_tag(std::string_view code) {
  std::string lower = to_lower(trim(code));
  if (lower.empty() || lower == "und" || lower.size() > 35) return "";
  for (char c : lower) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return "";
  }
  for (const Language& l : kLanguages) {
    if (lower == l.tag || lower == l.bib || lower == l.term) return std::string(l.tag);
  }
  return lower;
}

std::string language_name(std::string_view tag) {
  for (const Language& l : kLanguages) {
    if (tag == l.tag) return std::string(l.name);
  }
  return std::string(tag);
}

}  // namespace osslive::hls
