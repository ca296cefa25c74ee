#pragma once
// Plain request/response types the handlers work on. Beast stays in the http module,
// so oss, auth and tests use these without sockets.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "osslive/core/error.hpp"

namespace osslive {

// Header fields with lower-case names, in arrival order (names may repeat).
class Headers {
 public:
  void add(std::string_view name, std::string_view value);
  void set(std::string_view name, std::string_view value);  // replaces every field of that name
  void remove(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct QueryParam {
  std::string key;    // percent-decoded
  std::string value;  // percent-decoded
  bool has_value = false;  // "k=" vs "k"
};

class Query {
 public:
  Query() = default;
  explicit Query(std::vector<QueryParam> params) : params_(std::move(params)) {}
  // Splits on '&' and decodes each side; nullopt on a broken escape.
  static std::optional<Query> parse(std::string_view raw);

  const QueryParam* find(std::string_view key) const;
  bool has(std::string_view key) const { return find(key) != nullptr; }
  std::optional<std::string_view> get(std::string_view key) const;
  const std::vector<QueryParam>& params() const { return params_; }

 private:
  std::vector<QueryParam> params_;
};

// A request body: small ones in memory, large ones spooled to a temp file that the
// request owns until a handler takes it (e.g. renames it into the store).
struct RequestBody {
  std::string data;
  std::optional<std::filesystem::path> file;
  std::uint64_t size = 0;
  std::string md5;  // raw 16 bytes, computed while receiving
  // Raw 32 bytes, computed while receiving, only when x-oss-content-sha256 states a digest
  // (is_sha256_hex): what check_content_sha256 compares it with.
  std::string sha256;
};

struct Request {
  std::string method;     // upper-case, e.g. "GET"
  std::string target;     // raw request-target
  std::string path;       // raw, still percent-encoded, before '?'
  std::string raw_query;  // after '?', raw
  Query query;
  Headers headers;
  std::string host;       // Host header without port
  RequestBody body;
  std::string request_id;
  std::string remote;     // peer address, for logs
  std::string operation;  // OSS operation name once routed (GetObject, ...), for logs and metrics
};

// A slice of an open file, served without reading it into memory.
struct FileSlice {
  std::shared_ptr<const class FileHandle> file;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// A body produced while it is sent (a segment being transcoded). Readers pull from offset;
// the callback may run on any thread.
class ByteStream {
 public:
  struct Chunk {
    std::shared_ptr<const std::string> bytes;  // the data starting at the requested offset
    std::size_t begin = 0;                     // offset of the data within *bytes
    std::size_t size = 0;
    bool end = false;                          // no more data after this chunk
    std::optional<Error> error;
  };
  virtual ~ByteStream() = default;
  virtual void async_read(std::uint64_t offset, std::function<void(Chunk)> on_chunk) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::variant<std::string, FileSlice, std::shared_ptr<ByteStream>> body;
  bool omit_body = false;  // HEAD
};

}  // namespace osslive
