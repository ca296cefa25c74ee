#include "osslive/process/canonical.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "osslive/core/strings.hpp"

namespace osslive::process {

std::string canonical_m3u8(const HlsM3u8& p) {
  std::vector<std::pair<std::string_view, std::string>> fields;
  auto add = [&](std::string_view name, std::string value) { fields.emplace_back(name, std::move(value)); };

  add("ss", std::to_string(p.ss_ms));
  add("t", std::to_string(p.t_ms));
  add("st", std::to_string(p.st_ms));
  if (!p.initseg_ms.empty()) {
    std::string list;
    for (std::size_t i = 0; i < p.initseg_ms.size(); ++i) list += (i ? "-" : "") + std::to_string(p.initseg_ms[i]);
    add("initseg", std::move(list));
  }

  add("vcodec", p.vcodec);
  if (p.fps) {
    add("fps", format_fixed_point(parse_fixed_point(*p.fps, 3).value_or(0), 3));  // "025.0" names 25
    add("fpsopt", std::to_string(p.fpsopt.value_or(1)));
  }
  if (p.pixfmt) add("pixfmt", *p.pixfmt);
  if (p.width && p.height) {
    add("s", std::to_string(*p.width) + "x" + std::to_string(*p.height));
    add("sopt", std::to_string(p.sopt.value_or(1)));
    add("scaletype", p.scaletype.value_or("stretch"));
    add("arotate", std::to_string(p.arotate));
  }
  if (p.vb) {
    add("vb", std::to_string(*p.vb));
    add("vbopt", std::to_string(p.vbopt.value_or(1)));
  } else {
    add("crf", format_fixed_point(p.crf_hundredths.value_or(2300), 2));
    if (p.maxrate && p.bufsize) {
      add("maxrate", std::to_string(*p.maxrate));
      add("bufsize", std::to_string(*p.bufsize));
    }
  }

  add("an", p.an ? "1" : "0");
  if (!p.an) {
    add("acodec", p.acodec);
    if (p.ar) add("ar", std::to_string(*p.ar));
    if (p.ac) add("ac", std::to_string(*p.ac));
    if (p.ab) {
      add("ab", std::to_string(*p.ab));
      add("abopt", std::to_string(p.abopt.value_or(1)));
    } else if (p.aq) {
      add("aq", std::to_string(*p.aq));
    }
  }

  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text;
  for (const auto& [name, value] : fields) {
    if (!text.empty()) text += ',';
    text.append(name).append("_").append(value);
  }
  return text;
}

}  // namespace osslive::process
