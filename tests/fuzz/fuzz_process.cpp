// x-oss-process: parse_chain, process_from_body and classify on any bytes. A chain that parses
// must respect the bounds the grammar documents, and the canonical hls/m3u8 text (which names
// playlist tokens) must parse back to the same canonical text.
#include <cstdint>
#include <string>
#include <variant>

#include "fuzz_check.hpp"
#include "osslive/process/canonical.hpp"
#include "osslive/process/parser.hpp"

namespace {

using namespace osslive::process;

constexpr std::size_t kMaxSteps = 16;

bool valid_bucket_name(const std::string& name) {
  if (name.size() < 3 || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool valid_key(const std::string& key) {
  return !key.empty() && key.size() <= 1023 && key.find('\0') == std::string::npos;
}

template <typename T>
bool within(const std::optional<T>& value, T lo, T hi) {
  return !value || (*value >= lo && *value <= hi);
}

void check_m3u8(const HlsM3u8& m) {
  OSSLIVE_FUZZ_CHECK(m.ss_ms >= 0 && m.t_ms >= 0);
  OSSLIVE_FUZZ_CHECK(m.st_ms >= 5000 && m.st_ms <= 15000);
  OSSLIVE_FUZZ_CHECK(within(m.ta, 10, 30));
  OSSLIVE_FUZZ_CHECK(m.vcodec == "h264" || m.vcodec == "h265");
  OSSLIVE_FUZZ_CHECK(m.width.has_value() == m.height.has_value());
  if (m.width) {
    OSSLIVE_FUZZ_CHECK(*m.width >= 64 && *m.width <= 4096 && *m.width % 2 == 0);
    OSSLIVE_FUZZ_CHECK(*m.height >= 64 && *m.height <= 4096 && *m.height % 2 == 0);
  }
  // Refiners (fpsopt, sopt, scaletype, arotate, vbopt, abopt, bufsize) and audio parameters with
  // an_1 are accepted alone: only contradictions are refused.
  OSSLIVE_FUZZ_CHECK(within<std::int64_t>(m.crf_hundredths, 0, 5100) && !(m.crf_hundredths && m.vb));
  OSSLIVE_FUZZ_CHECK((!m.maxrate || m.bufsize) && !(m.maxrate && m.vb) && !(m.bufsize && m.vb));
  OSSLIVE_FUZZ_CHECK(within(m.ac, 1, 8) && within(m.aq, 0, 100));
  OSSLIVE_FUZZ_CHECK(within<std::int64_t>(m.ab, 1000, 10'000'000) && !(m.aq && m.ab));
  OSSLIVE_FUZZ_CHECK(m.initseg_ms.size() <= 8);
  for (std::int64_t ms : m.initseg_ms) OSSLIVE_FUZZ_CHECK(ms >= 1000 && ms <= 15000);

  // The canonical text is what a playlist token digests: it must be a valid parameter list
  // that names the same output again.
  const std::string canonical = canonical_m3u8(m);
  auto again = parse_chain("hls/m3u8," + canonical);
  OSSLIVE_FUZZ_CHECK(again.ok() && again->size() == 1 && std::holds_alternative<HlsM3u8>((*again)[0].op));
  OSSLIVE_FUZZ_CHECK(canonical_m3u8(std::get<HlsM3u8>((*again)[0].op)) == canonical);
}

void check_chain(const Chain& chain, int depth) {
  OSSLIVE_FUZZ_CHECK(!chain.empty() && chain.size() <= kMaxSteps);
  for (const Step& step : chain) {
    if (const auto* m3u8 = std::get_if<HlsM3u8>(&step.op)) {
      OSSLIVE_FUZZ_CHECK(depth == 0);
      check_m3u8(*m3u8);
    } else if (const auto* save = std::get_if<SaveAs>(&step.op)) {
      OSSLIVE_FUZZ_CHECK(depth == 0 && valid_key(save->object));
      OSSLIVE_FUZZ_CHECK(!save->bucket || valid_bucket_name(*save->bucket));
    } else if (const auto* ts = std::get_if<HlsTs>(&step.op)) {
      OSSLIVE_FUZZ_CHECK(!ts->from || (valid_key(*ts->from) && ts->from->ends_with(".m3u8")));
    } else if (const auto* if404 = std::get_if<IfStatusEq404>(&step.op)) {
      OSSLIVE_FUZZ_CHECK(depth == 0);
      check_chain(if404->body, depth + 1);
    } else {
      OSSLIVE_FUZZ_CHECK(depth == 0 && std::holds_alternative<HlsSign>(step.op));
    }
  }
}

void parse_and_check(std::string_view process) {
  auto chain = parse_chain(process);
  if (!chain.ok()) return;
  OSSLIVE_FUZZ_CHECK(process.size() <= 8192);
  check_chain(*chain, 0);
  auto request = classify(*chain);
  if (request.ok() && std::holds_alternative<M3u8AndSave>(*request))
    OSSLIVE_FUZZ_CHECK(chain->size() == 2 && std::holds_alternative<HlsM3u8>((*chain)[0].op));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = osslive::fuzz::as_text(data, size);
  parse_and_check(input);
  // The same bytes as a POST body (form or raw), then whatever process string it carries.
  auto body = process_from_body(input);
  if (body.ok()) {
    OSSLIVE_FUZZ_CHECK(!body->empty() && body->size() <= input.size());
    parse_and_check(*body);
  }
  return 0;
}
