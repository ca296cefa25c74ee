#pragma once
// x-oss-process grammar: process := step ('|' step)*; step := op (',' param)* | if_status_eq_404{process}.
#include <string>
#include <string_view>

#include "osslive/core/result.hpp"
#include "osslive/process/operations.hpp"

namespace osslive::process {

// Parses an already percent-decoded process string ("hls/m3u8,st_5000|sys/saveas,o_...").
// Braces may still arrive as %7B / %7D (and their content still percent-encoded). Every violation is
// InvalidArgument naming the parameter, the rule and the value. Input over 8 KiB or with more than
// 16 steps is refused, so any byte string is safe to pass (it is fuzzed).
Result<Chain> parse_chain(std::string_view process);

// The value of x-oss-process from a POST body: form-urlencoded ("a=1&x-oss-process=...") or raw.
// Percent-decodes, but keeps '+' as '+' (standard base64 in o_/b_ uses it). Empty, missing or
// repeated: InvalidArgument naming x-oss-process.
Result<std::string> process_from_body(std::string_view body);

// Recognises which request shape a chain is, or InvalidArgument saying what is missing.
Result<Operation> classify(const Chain& chain);

}  // namespace osslive::process
