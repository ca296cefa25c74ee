#pragma once
// x-oss-process grammar: process := step ('|' step)*; step := op (',' param)* | if_status_eq_404{process}.
#include <string_view>

#include "osslive/core/result.hpp"
#include "osslive/process/operations.hpp"

namespace osslive::process {

// Parses an already percent-decoded process string ("hls/m3u8,st_5000|sys/saveas,o_...").
// Braces may still arrive as %7B / %7D. Every violation is InvalidArgument naming the parameter,
// the rule and the value.
Result<Chain> parse_chain(std::string_view process);

// The value of x-oss-process from a POST body: form-urlencoded ("x-oss-process=...") or raw.
// Percent-decodes, but keeps '+' as '+'.
Result<std::string> process_from_body(std::string_view body);

// Recognises which request shape a chain is, or InvalidArgument saying what is missing.
Result<Request> classify(const Chain& chain);

}  // namespace osslive::process
