#pragma once
// Content-Type from a key's extension, for objects stored without one (and hand-dropped files).
#include <string_view>

namespace osslive::store {

// The MIME type for the last path component's extension, compared case-insensitively;
// "application/octet-stream" when the extension is unknown or absent.
std::string_view guess_content_type(std::string_view key);

}  // namespace osslive::store
