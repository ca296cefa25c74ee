#pragma once
// How an object key becomes a path below its bucket folder. Each '/'-separated component is
// one file or folder name, escaped so that no key can name "..", ".", an absolute path or a
// store-internal file:
//   '%' -> "%25", bytes < 0x20 and 0x7F -> "%XX", "." -> "%2E", ".." -> "%2E%2E", "" -> "%00".
// Everything else (UTF-8 included) stays as it is, so the bucket folder is browsable.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive::store {

inline constexpr std::size_t kMaxKeyBytes = 1023;
// NAME_MAX (255) minus the 4 bytes of the ".%m." sidecar prefix, so every object's sidecar
// fits beside it.
inline constexpr std::size_t kMaxEncodedComponentBytes = 251;
// Keys made mostly of '/' ("a////...") encode to 4 bytes per byte; cap the relative path so that
// data dir + path stays under PATH_MAX (4096) instead of failing deep inside open().
inline constexpr std::size_t kMaxEncodedPathBytes = 3072;

std::string encode_key_component(std::string_view component);

// The key component a file name stands for, or nullopt when `name` is not exactly what
// encode_key_component produces: sidecars (".%m.x"), "100%.txt" dropped in by hand,
// non-canonical escapes ("%41"), names over kMaxEncodedComponentBytes. Such names are not objects.
std::optional<std::string> decode_key_component(std::string_view name);

// The encoded components of a valid key (the last one is the data file), or InvalidObjectName.
Result<std::vector<std::string>> encode_key_path(std::string_view key);

// The metadata file that sits beside the data file `encoded_name`.
std::string sidecar_name(std::string_view encoded_name);

bool is_valid_utf8(std::string_view text);

}  // namespace osslive::store
