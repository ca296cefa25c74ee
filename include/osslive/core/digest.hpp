#pragma once
// Hashes and MACs over OpenSSL; results are raw bytes (use hex_* / base64_* to print).
#include <memory>
#include <string>
#include <string_view>

namespace osslive {

// Incremental MD5, for bodies that stream to disk.
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(Md5&&) noexcept;
  Md5& operator=(Md5&&) noexcept;
  void update(const void* data, std::size_t size);
  void update(std::string_view data) { update(data.data(), data.size()); }
  std::string finish();  // 16 raw bytes; the object is reset afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string md5(std::string_view data);
std::string sha1(std::string_view data);
std::string sha256(std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// Compares secrets without leaking where they differ.
bool constant_time_equals(std::string_view a, std::string_view b);

// n bytes from the operating system's CSPRNG.
std::string random_bytes(std::size_t n);

}  // namespace osslive
