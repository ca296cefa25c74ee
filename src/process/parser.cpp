// The x-oss-process grammar (docs/api.md, "Grammar"). Iterative, bounded by kMaxProcessBytes and kMaxSteps, and
// nesting stops at one level, so no input can make it recurse or allocate without limit.
#include "osslive/process/parser.hpp"

#include <string>
#include <variant>
#include <vector>

#include "osslive/core/strings.hpp"
#include "params.hpp"

namespace osslive::process {
namespace {

constexpr std::size_t kMaxProcessBytes = 8192;
constexpr std::size_t kMaxSteps = 16;
constexpr std::string_view kProcessName = "x-oss-process";
constexpr std::string_view kIf404 = "if_status_eq_404";
constexpr std::string_view kOpRule = "operation must be one of hls/m3u8, hls/sign, hls/ts, sys/saveas, hls/status";

// A brace is raw or still percent-encoded (%7B / %7D, either hex case).
struct Brace {
  int delta = 0;  // +1 opens, -1 closes, 0 not a brace
  std::size_t length = 1;
};

Brace brace_at(std::string_view s, std::size_t i) {
  if (s[i] == '{') return {1, 1};
  if (s[i] == '}') return {-1, 1};
  if (s[i] == '%' && i + 2 < s.size() && s[i + 1] == '7') {
    if (s[i + 2] == 'B' || s[i + 2] == 'b') return {1, 3};
    if (s[i + 2] == 'D' || s[i + 2] == 'd') return {-1, 3};
  }
  return {};
}

Status check_no_braces(std::string_view step) {
  for (std::size_t i = 0; i < step.size(); ++i) {
    const Brace b = brace_at(step, i);
    if (b.delta < 0) return invalid_argument(kProcessName, "has unbalanced braces", step);
    if (b.delta > 0) return invalid_argument(kProcessName, "may only use braces right after if_status_eq_404", step);
  }
  return {};
}

// op (',' param)*, with no braces.
Result<Step> parse_plain_step(std::string_view step, int depth) {
  OSSLIVE_TRY(check_no_braces(step));
  const std::vector<std::string_view> parts = split(step, ',');
  const std::string_view op = parts.front();
  if (op != "hls/m3u8" && op != "sys/saveas" && op != "hls/sign" && op != "hls/ts" && op != "hls/status")
    return invalid_argument(kProcessName, kOpRule, op);
  if (depth > 0 && op != "hls/ts") return invalid_argument(kIf404, "may only contain hls/ts", op);

  detail::Params params;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string_view part = parts[i];
    if (part.empty()) return invalid_argument(kProcessName, "must not contain an empty parameter", step);
    const auto underscore = part.find('_');
    const std::string_view name = part.substr(0, underscore);
    if (name.empty()) return invalid_argument(kProcessName, "parameters must be written name_value", part);
    const std::string_view value =
        underscore == std::string_view::npos ? std::string_view() : part.substr(underscore + 1);
    params.push_back({name, value});
  }

  if (op == "hls/m3u8") {
    OSSLIVE_ASSIGN(HlsM3u8 m3u8, detail::parse_m3u8(params));
    return Step{std::move(m3u8)};
  }
  if (op == "sys/saveas") {
    OSSLIVE_ASSIGN(SaveAs save, detail::parse_saveas(params));
    return Step{std::move(save)};
  }
  if (op == "hls/sign") {
    OSSLIVE_ASSIGN(HlsSign sign, detail::parse_sign(params));
    return Step{sign};
  }
  if (op == "hls/status") {
    if (!params.empty()) return invalid_argument(params.front().name, "is not a parameter of hls/status", params.front().value);
    return Step{HlsStatus{}};
  }
  OSSLIVE_ASSIGN(HlsTs ts, detail::parse_ts(params));
  return Step{std::move(ts)};
}

Status parse_process(std::string_view text, int depth, Chain& out);

// if_status_eq_404{process} starting at `pos`; sets `end` to the index just past the closing brace.
Result<Step> parse_if404_step(std::string_view text, std::size_t pos, int depth, std::size_t& end) {
  if (depth > 0) return invalid_argument(kIf404, "cannot be nested", text);
  const std::size_t open = pos + kIf404.size();
  const Brace first = open < text.size() ? brace_at(text, open) : Brace{};
  if (first.delta != 1) return invalid_argument(kIf404, "must be followed by { or %7B", text.substr(pos));

  const std::size_t body_begin = open + first.length;
  std::size_t close = std::string_view::npos;
  std::size_t close_length = 0;
  int level = 1;
  for (std::size_t i = body_begin; i < text.size();) {
    const Brace b = brace_at(text, i);
    level += b.delta;
    if (level == 0) {
      close = i;
      close_length = b.length;
      break;
    }
    i += b.delta == 0 ? 1 : b.length;
  }
  if (close == std::string_view::npos) return invalid_argument(kProcessName, "has unbalanced braces", text);
  end = close + close_length;
  if (end < text.size() && text[end] != '|')
    return invalid_argument(kIf404, "must end at its closing brace", text.substr(pos));

  std::string_view body = text.substr(body_begin, close - body_begin);
  if (body.empty()) return invalid_argument(kIf404, "must contain hls/ts", body);
  // A client that encoded the whole value twice leaves %2F, %2C ... inside the braces. None of
  // the grammar's own characters is '%', so one more decoding pass cannot change a valid body.
  std::string decoded;
  if (body.find('%') != std::string_view::npos) {
    auto d = percent_decode(body);
    if (!d) return invalid_argument(kIf404, "must be valid percent-encoding", body);
    decoded = std::move(*d);
    body = decoded;
  }
  IfStatusEq404 if404;
  OSSLIVE_TRY(parse_process(body, depth + 1, if404.body));
  return Step{std::move(if404)};
}

Status parse_process(std::string_view text, int depth, Chain& out) {
  std::size_t pos = 0;
  while (true) {
    if (out.size() == kMaxSteps)
      return invalid_argument(kProcessName, "must have at most " + std::to_string(kMaxSteps) + " steps", text);
    std::size_t end = 0;
    if (text.substr(pos).starts_with(kIf404)) {
      OSSLIVE_ASSIGN(Step step, parse_if404_step(text, pos, depth, end));
      out.push_back(std::move(step));
    } else {
      end = text.find('|', pos);
      if (end == std::string_view::npos) end = text.size();
      if (end == pos) return invalid_argument(kProcessName, "must not contain an empty step", text);
      OSSLIVE_ASSIGN(Step step, parse_plain_step(text.substr(pos, end - pos), depth));
      out.push_back(std::move(step));
    }
    if (end >= text.size()) return {};
    pos = end + 1;  // past '|'; a trailing '|' leaves an empty step, refused above
  }
}

std::string describe(const Step& step) {
  struct Visitor {
    std::string operator()(const HlsM3u8&) const { return "hls/m3u8"; }
    std::string operator()(const SaveAs&) const { return "sys/saveas"; }
    std::string operator()(const HlsSign&) const { return "hls/sign"; }
    std::string operator()(const HlsTs&) const { return "hls/ts"; }
    std::string operator()(const HlsStatus&) const { return "hls/status"; }
    std::string operator()(const IfStatusEq404& if404) const {
      std::string text = std::string(kIf404) + "{";
      for (std::size_t i = 0; i < if404.body.size(); ++i) text += (i ? "|" : "") + describe(if404.body[i]);
      return text + "}";
    }
  };
  return std::visit(Visitor{}, step.op);
}

// Form field names are plain tokens; a raw process always has '/' or a brace before any '='.
bool looks_like_form(std::string_view body) {
  if (body.find('&') != std::string_view::npos) return true;
  const auto eq = body.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  for (char c : body.substr(0, eq))
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
          c == '.'))
      return false;
  return true;
}

template <typename T>
bool holds(const Chain& chain, std::size_t i) {
  return i < chain.size() && std::holds_alternative<T>(chain[i].op);
}

}  // namespace

Result<Chain> parse_chain(std::string_view process) {
  if (process.size() > kMaxProcessBytes)
    return invalid_argument(kProcessName, "must be at most " + std::to_string(kMaxProcessBytes) + " bytes",
                            std::to_string(process.size()) + " bytes");
  if (process.empty()) return invalid_argument(kProcessName, "must not be empty", process);
  Chain chain;
  OSSLIVE_TRY(parse_process(process, 0, chain));
  return chain;
}

Result<std::string> process_from_body(std::string_view body) {
  body = trim(body);
  std::string_view encoded = body;
  if (looks_like_form(body)) {
    bool found = false;
    for (std::string_view field : split(body, '&')) {
      const auto eq = field.find('=');
      if (field.substr(0, eq) != kProcessName) continue;
      if (found) return invalid_argument(kProcessName, "must not be repeated", field);
      found = true;
      encoded = eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1);
    }
    if (!found)
      return Error(Errc::InvalidArgument, "the request body must carry x-oss-process=<process>")
          .with("ArgumentName", std::string(kProcessName))
          .with("ArgumentValue", "");
  }
  auto decoded = percent_decode(encoded);  // keeps '+': base64 values use it
  if (!decoded) return invalid_argument(kProcessName, "must be valid percent-encoding", encoded);
  if (decoded->empty()) return invalid_argument(kProcessName, "must not be empty", *decoded);
  return std::move(*decoded);
}

Result<Operation> classify(const Chain& chain) {
  if (chain.size() == 2 && holds<HlsM3u8>(chain, 0) && holds<SaveAs>(chain, 1))
    return Operation{M3u8AndSave{std::get<HlsM3u8>(chain[0].op), std::get<SaveAs>(chain[1].op)}};
  if (chain.size() == 1 && holds<HlsM3u8>(chain, 0))
    return Error(Errc::InvalidArgument, "hls/m3u8 needs |sys/saveas,o_<base64 of the playlist key>")
        .with("ArgumentName", std::string(kProcessName))
        .with("ArgumentValue", "hls/m3u8");
  if (chain.size() == 1 && holds<HlsSign>(chain, 0)) return Operation{SignPlaylist{std::get<HlsSign>(chain[0].op)}};
  if (chain.size() == 1 && holds<HlsTs>(chain, 0)) return Operation{TsOnMissing{std::get<HlsTs>(chain[0].op)}};
  if (chain.size() == 1 && holds<HlsStatus>(chain, 0)) return Operation{PlaylistStatus{}};
  if (chain.size() == 1 && holds<IfStatusEq404>(chain, 0)) {
    const Chain& body = std::get<IfStatusEq404>(chain[0].op).body;
    if (body.size() == 1 && holds<HlsTs>(body, 0)) return Operation{TsOnMissing{std::get<HlsTs>(body[0].op)}};
  }
  std::string shape;
  for (std::size_t i = 0; i < chain.size(); ++i) shape += (i ? "|" : "") + describe(chain[i]);
  return invalid_argument(kProcessName,
                          "must be one of hls/m3u8,...|sys/saveas,o_..., hls/sign[,live_1], "
                          "if_status_eq_404{hls/ts[,from_...]}, hls/status",
                          shape);
}

}  // namespace osslive::process
