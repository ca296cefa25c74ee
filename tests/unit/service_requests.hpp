#pragma once
// Requests and responses of OssService without sockets: a request as the HTTP layer hands it over,
// V1-signed as an SDK signs it, and a response's whole body whatever form it takes.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "osslive/auth/signer.hpp"
#include "osslive/core/file_handle.hpp"
#include "osslive/core/http_message.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::test_service {

// Method and target split as the HTTP layer splits them; no headers, no body.
inline Request request(std::string method, std::string target) {
  Request r;
  r.method = std::move(method);
  r.target = std::move(target);
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.raw_query = r.target.substr(q + 1);
  r.host = "127.0.0.1";
  r.request_id = "0123456789ABCDEF01234567";
  return r;
}

// Adds the V1 Authorization header for the request as it stands (path-style bucket and key).
inline void sign_v1(Request& r, const std::string& access_key_id, const std::string& secret) {
  const std::string rest = r.path.substr(1);
  const auto slash = rest.find('/');
  const std::string bucket = rest.substr(0, slash);
  const std::string key = slash == std::string::npos ? "" : *percent_decode(rest.substr(slash + 1));
  auto authorization = auth::authorization_v1({r.method, bucket, key, *Query::parse(r.raw_query), r.headers},
                                              access_key_id, secret);
  EXPECT_TRUE(authorization.ok());
  r.headers.add("Authorization", *authorization);
}

// The whole body: text, a stored file, or a stream whose job has ended.
inline std::string body_of(const Response& response) {
  if (auto* text = std::get_if<std::string>(&response.body)) return *text;
  if (auto* slice = std::get_if<FileSlice>(&response.body)) {
    std::string out(slice->length, '\0');
    auto got = slice->file->pread(out.data(), out.size(), slice->offset);
    EXPECT_TRUE(got.ok());
    return out;
  }
  const auto* stream = std::get_if<std::shared_ptr<ByteStream>>(&response.body);
  if (stream == nullptr) return {};
  std::string out;
  bool end = false;
  while (!end) {
    bool called = false;
    (*stream)->async_read(out.size(), [&](ByteStream::Chunk chunk) {
      called = true;
      if (chunk.error) ADD_FAILURE() << chunk.error->to_string();
      if (chunk.bytes) out.append(*chunk.bytes, chunk.begin, chunk.size);
      end = chunk.end || chunk.error.has_value();
    });
    if (!called) {
      ADD_FAILURE() << "the stream's job has not ended";
      break;
    }
  }
  return out;
}

inline std::string header(const Response& response, std::string_view name) {
  return std::string(response.headers.get(name).value_or(""));
}

}  // namespace osslive::test_service
