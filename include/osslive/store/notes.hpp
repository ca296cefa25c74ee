#pragma once
// Small records a service keeps for itself across restarts (work still to do, such as a
// playlist's pre-transcode), one file each, replaced atomically, in a folder of their own.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive::store {

class Notes {
 public:
  virtual ~Notes() = default;
  // Creates or replaces the note `id` ([0-9a-z-], at most 64 characters).
  virtual Status put(std::string_view id, std::string_view text) = 0;
  virtual Status remove(std::string_view id) = 0;  // ok when absent
  virtual Result<std::vector<std::string>> all() const = 0;  // every note's text
};

// Notes as files in `dir` (created when missing), written through a temp file in `tmp_dir` on the
// same file system and renamed into place, so a note is whole or absent after a crash.
class FsNotes final : public Notes {
 public:
  FsNotes(std::filesystem::path dir, std::filesystem::path tmp_dir);
  Status put(std::string_view id, std::string_view text) override;
  Status remove(std::string_view id) override;
  Result<std::vector<std::string>> all() const override;

 private:
  std::filesystem::path dir_;
  std::filesystem::path tmp_dir_;
};

}  // namespace osslive::store
