#pragma once
// Reading bucket folders: only names that decode to key components count, in key order.
#include <filesystem>
#include <string>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive::store::detail {

struct DirEntry {
  std::string encoded;   // the name on disk
  std::string sort_key;  // decoded name, + "/" for a folder: sorting by it gives key byte order
  bool folder = false;
};

// Entries of `dir` (at or below `root`, opened without following links below it) sorted by
// sort_key; sidecars, symlinks and names that no key maps to are left out. A missing folder, or
// a link, is empty.
Result<std::vector<DirEntry>> read_entries(const std::filesystem::path& root, const std::filesystem::path& dir);

// Whether any object lives below `dir` (stops at the first one).
bool has_object(const std::filesystem::path& root, const std::filesystem::path& dir);

}  // namespace osslive::store::detail
