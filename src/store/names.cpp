// Bucket names, key validation and the key <-> path component codec.
#include <cstdint>

#include "osslive/store/bucket_store.hpp"
#include "osslive/store/key_path.hpp"

namespace osslive::store {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // lower case is never produced, so it is never canonical
}

Error invalid_key(std::string_view key, std::string message) {
  std::string shown(key.substr(0, 128));
  return Error(Errc::InvalidObjectName, std::move(message)).with("Key", std::move(shown));
}

}  // namespace

bool is_valid_bucket_name(std::string_view name) {
  if (name.size() < 3 || name.size() > 63) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<std::uint8_t>(text[i]);
    std::size_t extra;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { extra = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { extra = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { extra = 3; cp = c & 0x07; }
    else return false;
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<std::uint8_t>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000)) return false;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += extra + 1;
  }
  return true;
}

std::string encode_key_component(std::string_view component) {
  if (component.empty()) return "%00";
  if (component == ".") return "%2E";
  if (component == "..") return "%2E%2E";
  std::string out;
  out.reserve(component.size());
  for (char ch : component) {
    auto c = static_cast<std::uint8_t>(ch);
    if (c == '%' || c < 0x20 || c == 0x7F) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

std::optional<std::string> decode_key_component(std::string_view name) {
  if (name.empty() || name.size() > kMaxEncodedComponentBytes) return std::nullopt;
  if (name == "%00") return std::string();
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      out.push_back(name[i]);
      continue;
    }
    if (i + 2 >= name.size()) return std::nullopt;
    int hi = hex_digit(name[i + 1]);
    int lo = hex_digit(name[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  // Only the exact encoding names an object: "%41" or "a%00" must not alias "A" or a NUL key.
  if (out.find('\0') != std::string::npos || out.find('/') != std::string::npos) return std::nullopt;
  if (encode_key_component(out) != name) return std::nullopt;
  return out;
}

Result<std::vector<std::string>> encode_key_path(std::string_view key) {
  if (key.empty()) return invalid_key(key, "The object name must not be empty.");
  if (key.size() > kMaxKeyBytes)
    return invalid_key(key, "The object name is " + std::to_string(key.size()) + " bytes; at most " +
                                std::to_string(kMaxKeyBytes) + " are allowed.");
  if (key.find('\0') != std::string_view::npos) return invalid_key(key, "The object name must not contain NUL.");
  if (key.front() == '/' || key.front() == '\\')
    return invalid_key(key, "The object name must not start with '/' or '\\'.");
  if (!is_valid_utf8(key)) return invalid_key(key, "The object name must be UTF-8.");

  std::vector<std::string> components;
  std::size_t path_bytes = 0;
  std::size_t begin = 0;
  while (true) {
    std::size_t end = key.find('/', begin);
    std::string_view part = key.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    // Clients and proxies normalise these away, and docs/api.md says they are refused: refuse instead of storing
    // an object that no URL can reach.
    if (part == "." || part == "..")
      return invalid_key(key, "The object name must not contain \".\" or \"..\" path segments.");
    std::string encoded = encode_key_component(part);
    if (encoded.size() > kMaxEncodedComponentBytes)
      return invalid_key(key, "Each '/'-separated part of the object name may be at most " +
                                  std::to_string(kMaxEncodedComponentBytes) +
                                  " bytes (control characters and '%' count 3); one is " +
                                  std::to_string(encoded.size()) + ".");
    path_bytes += encoded.size() + 1;
    components.push_back(std::move(encoded));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  if (path_bytes > kMaxEncodedPathBytes)
    return invalid_key(key, "The object name nests too deep: its folder path would be " + std::to_string(path_bytes) +
                                " bytes on disk; at most " + std::to_string(kMaxEncodedPathBytes) + " are allowed.");
  return components;
}

Status validate_object_key(std::string_view key) {
  OSSLIVE_TRY(encode_key_path(key));
  return {};
}

std::string sidecar_name(std::string_view encoded_name) {
  std::string name = ".%m.";
  name.append(encoded_name);
  return name;
}

}  // namespace osslive::store
