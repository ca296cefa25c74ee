#pragma once
// A claim that every process sharing the data folder respects, made of one small file: whoever
// publishes the file first holds the claim until it removes the file or the expiry written in it
// passes (so a holder that died cannot keep it). Only link(2), rename(2) and unlink(2) are used
// (no flock, no fcntl locks: those are not shared reliably over NFS and are unknown to many
// network file systems). docs/cluster.md says what these need of the file system.
//
// Taking: the claim is written whole to a temp file, then link(2)ed to its name, which fails
// with EEXIST when someone holds it, so nobody ever reads a half-written claim.
// Breaking an expired claim and releasing one: the file is first renamed to a private name and
// read there. If it turns out not to be the claim that was meant (someone took the name
// meanwhile), it is linked back, so a live claim is never removed.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "osslive/core/result.hpp"

namespace osslive::store::detail {

struct ClaimRecord {
  std::string token;            // who holds it: "<node id>/<random>"
  std::int64_t expires_ms = 0;  // wall-clock milliseconds since the epoch
  std::string what;             // for people reading the folder: "bucket/key"
};

struct ClaimAttempt {
  bool taken = false;   // true: `mine` now holds the claim
  ClaimRecord holder;   // who holds it (mine when taken)
};

class ClaimFiles {
 public:
  // `tmp_dir` is on the same file system as the claims; `temp_name(tag)` makes a fresh temp name;
  // `holder_gone(record)` says whether the claim's holder is known to be dead before its expiry
  // (a process on this machine that exited).
  ClaimFiles(std::filesystem::path tmp_dir, std::function<std::string(std::string_view)> temp_name,
             std::function<bool(const ClaimRecord&)> holder_gone);

  // Takes the claim at `path` for `mine`, breaking one whose expiry is before `now_ms` first.
  Result<ClaimAttempt> try_take(const std::filesystem::path& path, const ClaimRecord& mine, std::int64_t now_ms) const;
  // Removes the claim at `path` if `token` still holds it; anything else there stays.
  void release(const std::filesystem::path& path, std::string_view token) const;
  // Moves the expiry of `mine` (which must hold the claim) to mine.expires_ms. Renew well before
  // the expiry: between the look and the replacing rename nobody must be able to break it.
  Status renew(const std::filesystem::path& path, const ClaimRecord& mine) const;
  // The claim at `path` now, if there is a readable one.
  std::optional<ClaimRecord> read(const std::filesystem::path& path) const;
  // Removes the claim at `path` if it expired before `now_ms` or its holder is gone (start-up
  // clean-up); whether it did.
  bool remove_if_expired(const std::filesystem::path& path, std::int64_t now_ms) const;

 private:
  // Moves the file at `path` aside and removes it if `wanted(record)`; else puts it back.
  // Whether it was removed; `seen` gets what was there.
  bool take_away_if(const std::filesystem::path& path, const std::function<bool(const ClaimRecord&)>& wanted,
                    std::optional<ClaimRecord>* seen) const;
  // Expired, or its holder is gone.
  bool stale(const ClaimRecord& record, std::int64_t now_ms) const;

  std::filesystem::path tmp_dir_;
  std::function<std::string(std::string_view)> temp_name_;
  std::function<bool(const ClaimRecord&)> holder_gone_;
};

std::string claim_text(const ClaimRecord& record);
std::optional<ClaimRecord> parse_claim(std::string_view text);

}  // namespace osslive::store::detail
