// manifest_from_json on the bare JSON, so the mutator works on the text the reader sees (inside a
// playlist it sits behind base64url). Accepted manifests must pass check_manifest().
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "hls_manifest_check.hpp"
#include "osslive/hls/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto manifest = osslive::hls::manifest_from_json(osslive::fuzz::as_text(data, size));
  if (manifest.ok()) osslive::fuzz::check_manifest(*manifest);
  return 0;
}
