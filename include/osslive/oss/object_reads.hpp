#pragma once
// Object reads the object API and the live layer share: a GetObject-style response for any key,
// a small object read whole, and a request body as text.
#include <cstdint>
#include <string>
#include <string_view>

#include "osslive/core/http_message.hpp"
#include "osslive/core/result.hpp"
#include "osslive/store/bucket_store.hpp"

namespace osslive::oss {

// GetObject / HeadObject of any key: conditionals, Range, response-* overrides, file body.
Result<Response> serve_object(const store::BucketStore& store, Request& request, std::string_view bucket,
                              std::string_view key, bool with_body);

// An object small enough to read whole (playlists): its info and its bytes, read from one pinned
// file so the two always belong together. Larger than `limit`: InvalidArgument naming `what`.
struct SmallObject {
  store::ObjectInfo info;
  std::string text;
};
Result<SmallObject> read_small_object(const store::BucketStore& store, std::string_view bucket, std::string_view key,
                                      std::uint64_t limit, std::string_view what);

// The request body as text, spooled or not; larger than `limit`: InvalidArgument.
Result<std::string> body_text(Request& request, std::size_t limit);

}  // namespace osslive::oss
