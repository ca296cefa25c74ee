#pragma once
// Hashes and MACs over OpenSSL; results are raw bytes (use hex_* / base64_* to print).
#include <memory>
#include <string>
#include <string_view>

namespace osslive {

// Incremental digests, for bodies that stream to disk.
class StreamDigest {
 public:
  ~StreamDigest();
  StreamDigest(StreamDigest&&) noexcept;
  StreamDigest& operator=(StreamDigest&&) noexcept;
  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  std::string finish();  // the raw digest; the object is reset afterwards

 protected:
  enum class Algorithm { Md5, Sha256 };
  explicit StreamDigest(Algorithm algorithm);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class Md5 final : public StreamDigest {
 public:
  Md5() : StreamDigest(Algorithm::Md5) {}
};

class Sha256 final : public StreamDigest {
 public:
  Sha256() : StreamDigest(Algorithm::Sha256) {}
};

std::string md5(std::string_view data);
std::string sha1(std::string_view data);
std::string sha256(std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// 64 hex digits, either case: the form of a SHA-256 in x-oss-content-sha256.
bool is_sha256_hex(std::string_view text);

// Compares secrets without leaking where they differ.
bool constant_time_equals(std::string_view a, std::string_view b);

// n bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t n);

}  // namespace osslive
