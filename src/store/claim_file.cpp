#include "claim_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include "fs_util.hpp"
#include "osslive/core/file_handle.hpp"

namespace osslive::store::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "osslive-claim 1";
// A claim taken by someone else between our look and our move, or our own claim broken while we
// held it: try again a few times before saying who holds it.
constexpr int kTakeAttempts = 4;

std::string_view next_line(std::string_view& text) {
  std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}

}  // namespace

std::string claim_text(const ClaimRecord& record) {
  return std::string(kMagic) + "\n" + std::to_string(record.expires_ms) + "\n" + record.token + "\n" + record.what +
         "\n";
}

std::optional<ClaimRecord> parse_claim(std::string_view text) {
  if (next_line(text) != kMagic) return std::nullopt;
  ClaimRecord record;
  std::string_view expires = next_line(text);
  auto [end, err] = std::from_chars(expires.data(), expires.data() + expires.size(), record.expires_ms);
  if (err != std::errc() || end != expires.data() + expires.size()) return std::nullopt;
  record.token = std::string(next_line(text));
  record.what = std::string(next_line(text));
  if (record.token.empty()) return std::nullopt;
  return record;
}

ClaimFiles::ClaimFiles(fs::path tmp_dir, std::function<std::string(std::string_view)> temp_name,
                       std::function<bool(const ClaimRecord&)> holder_gone)
    : tmp_dir_(std::move(tmp_dir)), temp_name_(std::move(temp_name)), holder_gone_(std::move(holder_gone)) {}

bool ClaimFiles::stale(const ClaimRecord& record, std::int64_t now_ms) const {
  return record.expires_ms < now_ms || (holder_gone_ && holder_gone_(record));
}

std::optional<ClaimRecord> ClaimFiles::read(const fs::path& path) const {
  auto text = read_small_file(path);
  if (!text.ok()) return std::nullopt;
  return parse_claim(*text);
}

bool ClaimFiles::take_away_if(const fs::path& path, const std::function<bool(const ClaimRecord&)>& wanted,
                              std::optional<ClaimRecord>* seen) const {
  const fs::path aside = tmp_dir_ / temp_name_("claim-aside");
  if (::rename(path.c_str(), aside.c_str()) != 0) return false;  // gone already
  auto record = read(aside);
  if (seen) *seen = record;
  // Unreadable: not a claim osslive wrote (claims are published whole), so nobody holds it.
  if (!record || wanted(*record)) {
    remove_file(aside);
    return true;
  }
  // Someone's live claim: put it back. EEXIST: a third process took the name meanwhile, and its
  // claim stands; the one moved aside is lost, which costs at most one duplicate piece of work.
  (void)::link(aside.c_str(), path.c_str());
  remove_file(aside);
  return false;
}

Result<ClaimAttempt> ClaimFiles::try_take(const fs::path& path, const ClaimRecord& mine, std::int64_t now_ms) const {
  const fs::path temp = tmp_dir_ / temp_name_("claim");
  {
    auto file = FileHandle::create_new(temp);
    if (!file.ok()) {
      std::error_code ec;
      fs::create_directories(tmp_dir_, ec);
      file = FileHandle::create_new(temp);
      if (!file.ok()) return std::move(file).error();
    }
    // Not synced: a claim only has to outlive its holder's process, not a crash of the machine.
    if (Status written = file->write_all(claim_text(mine)); !written.ok()) {
      remove_file(temp);
      return std::move(written).error();
    }
  }
  ClaimAttempt attempt;
  for (int i = 0; i < kTakeAttempts; ++i) {
    if (::link(temp.c_str(), path.c_str()) == 0) {
      attempt.taken = true;
      break;
    }
    int err = errno;
    if (err == ENOENT) {  // the claims folder does not exist yet
      std::error_code ec;
      fs::create_directories(path.parent_path(), ec);
      if (ec) {
        remove_file(temp);
        return io_error(ec.value(), "create " + path.parent_path().string());
      }
      continue;
    }
    if (err != EEXIST) {
      remove_file(temp);
      return io_error(err, "link claim " + path.string());
    }
    // Over NFS a link whose reply was lost is retried and answers EEXIST although it worked:
    // the temp file then has two names.
    struct ::stat st{};
    if (::stat(temp.c_str(), &st) == 0 && st.st_nlink == 2) {
      attempt.taken = true;
      break;
    }
    auto held = read(path);
    if (held && !stale(*held, now_ms)) {
      attempt.holder = *held;
      break;
    }
    // Expired (its holder died or overran), unreadable, or gone meanwhile: break it and retry.
    take_away_if(path, [&](const ClaimRecord& r) { return stale(r, now_ms); }, nullptr);
  }
  remove_file(temp);
  if (attempt.taken) attempt.holder = mine;
  else if (attempt.holder.token.empty()) attempt.holder = read(path).value_or(ClaimRecord{"(unknown)", now_ms, ""});
  return attempt;
}

void ClaimFiles::release(const fs::path& path, std::string_view token) const {
  take_away_if(path, [&](const ClaimRecord& r) { return r.token == token; }, nullptr);
}

Status ClaimFiles::renew(const fs::path& path, const ClaimRecord& mine) const {
  auto held = read(path);
  if (!held || held->token != mine.token)
    return Error(Errc::InternalError, "the claim " + path.filename().string() + " was taken over");
  const fs::path temp = tmp_dir_ / temp_name_("claim");
  {
    OSSLIVE_ASSIGN(FileHandle file, FileHandle::create_new(temp));
    if (Status written = file.write_all(claim_text(mine)); !written.ok()) {
      remove_file(temp);
      return written;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    remove_file(temp);
    return io_error(err, "renew claim " + path.string());
  }
  return {};
}

bool ClaimFiles::remove_if_expired(const fs::path& path, std::int64_t now_ms) const {
  return take_away_if(path, [&](const ClaimRecord& r) { return stale(r, now_ms); }, nullptr);
}

}  // namespace osslive::store::detail
