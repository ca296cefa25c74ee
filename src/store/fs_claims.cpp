// FsBucketStore for several processes on one folder: who this process is, its temp names, the
// per-key locks every process respects, leases, and which leftovers are provably stale.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <mutex>
#include <thread>
#include <vector>

#include "claim_file.hpp"
#include "fs_util.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/fs_bucket_store.hpp"

namespace osslive::store {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// A writer holds a key's lock for two renames; one held longer than this has died (or its file
// system stalled) and is broken.
constexpr std::chrono::milliseconds kKeyLockTtl{10'000};
// How long a writer waits for a key's lock in all: past the TTL, so a dead holder's lock is
// broken before anyone gives up.
constexpr int kKeyLockAttempts = 1200;  // at most ~20 ms apart: about 15 s

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "host";
  std::string out;
  for (const char* c = name; *c && out.size() < 64; ++c) {
    bool plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
                 *c == '.' || *c == '_';
    out.push_back(plain ? *c : '_');
  }
  return out;
}

// Where a pid means one process: the same boot of the same kernel and the same pid namespace.
// Containers on one machine have pid namespaces of their own, so their pids are never compared.
std::string pid_space() {
  auto boot = read_small_file("/proc/sys/kernel/random/boot_id");
  char ns[64] = {};
  ssize_t n = ::readlink("/proc/self/ns/pid", ns, sizeof ns - 1);
  std::string where = (boot.ok() ? *boot : std::string("no-boot-id")) + "|" + std::string(ns, n > 0 ? n : 0);
  return hex_lower(sha256(where).substr(0, 4));
}

struct Owner {
  std::string host;
  std::string space;
  long pid = 0;
  std::string start;
};

// "<host>+<pid space>+<pid>+<start>", as make_node_id() makes it (host names hold no '+').
std::optional<Owner> parse_owner(std::string_view id) {
  std::vector<std::string_view> parts;
  for (std::size_t from = 0;;) {
    std::size_t plus = id.find('+', from);
    parts.push_back(id.substr(from, plus == std::string_view::npos ? std::string_view::npos : plus - from));
    if (plus == std::string_view::npos) break;
    from = plus + 1;
  }
  if (parts.size() != 4 || parts[0].empty() || parts[1].empty() || parts[3].empty()) return std::nullopt;
  Owner owner{std::string(parts[0]), std::string(parts[1]), 0, std::string(parts[3])};
  auto [end, err] = std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), owner.pid);
  if (err != std::errc() || end != parts[2].data() + parts[2].size() || owner.pid <= 0) return std::nullopt;
  return owner;
}

bool process_gone(long pid) { return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

}  // namespace

std::string detail::make_node_id() {
  // One id per process (every store instance in it shares it), made again in a forked child.
  static std::mutex mutex;
  static pid_t made_for = 0;
  static std::string id;
  std::lock_guard lock(mutex);
  if (made_for != ::getpid()) {
    made_for = ::getpid();
    id = host_name() + "+" + pid_space() + "+" + std::to_string(made_for) + "+" + hex_lower(random_bytes(3));
  }
  return id;
}

bool FsBucketStore::owner_gone(std::string_view node) const {
  auto owner = parse_owner(node);
  auto me = parse_owner(node_id_);
  if (!owner || !me || owner->space != me->space || node == node_id_) return false;
  // An earlier process that had this very pid (a restarted container's is pid 1 again), or one
  // that exited.
  return owner->pid == me->pid || process_gone(owner->pid);
}

fs::path FsBucketStore::temp_path(std::string_view tag) const {
  return tmp_dir_ / (std::string(tag) + "-" + random_id() + temp_suffix());
}

std::string FsBucketStore::new_token() const { return node_id_ + "/" + hex_lower(random_bytes(6)); }

std::int64_t FsBucketStore::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
}

fs::path FsBucketStore::claim_path(const fs::path& dir, std::string_view scope, std::string_view key) const {
  std::string name(scope);
  name.push_back('\0');
  name.append(key);
  return dir / hex_lower(sha256(name).substr(0, 16));
}

FsBucketStore::KeyGuard::~KeyGuard() {
  if (store_ && !token_.empty()) store_->claims_->release(path_, token_);
}

Result<FsBucketStore::KeyGuard> FsBucketStore::lock_key(std::string_view scope, std::string_view key) const {
  std::unique_lock local(key_lock(scope, key));
  const fs::path path = claim_path(locks_dir_, scope, key);
  ClaimRecord mine{new_token(), 0, std::string(scope) + "/" + std::string(key)};
  std::chrono::milliseconds pause{1};
  for (int attempt = 0; attempt < kKeyLockAttempts; ++attempt) {
    mine.expires_ms = now_ms() + kKeyLockTtl.count();
    OSSLIVE_ASSIGN(ClaimAttempt claim, claims_->try_take(path, mine, now_ms()));
    if (claim.taken) return KeyGuard(std::move(local), *this, path, mine.token);
    // Another process is between its two renames: microseconds, unless it died there.
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  return Error(Errc::ServiceUnavailable, "the object \"" + std::string(key) +
                                             "\" stayed locked by another process; try again");
}

Result<Lease> FsBucketStore::try_lease(std::string_view bucket, std::string_view key, std::chrono::milliseconds ttl) {
  OSSLIVE_TRY(locate(bucket, key));  // a valid bucket and key
  ClaimRecord mine{new_token(), now_ms() + ttl.count(), std::string(bucket) + "/" + std::string(key)};
  OSSLIVE_ASSIGN(ClaimAttempt claim, claims_->try_take(claim_path(leases_dir_, bucket, key), mine, now_ms()));
  Lease lease;
  lease.held = claim.taken;
  lease.token = claim.holder.token;
  lease.expires = std::chrono::system_clock::time_point(std::chrono::milliseconds(claim.holder.expires_ms));
  return lease;
}

Status FsBucketStore::renew_lease(std::string_view bucket, std::string_view key, Lease& lease,
                                  std::chrono::milliseconds ttl) {
  if (!lease.held) return Error(Errc::InternalError, "renew of a lease not held");
  const std::int64_t expires = now_ms() + ttl.count();
  OSSLIVE_TRY(claims_->renew(claim_path(leases_dir_, bucket, key),
                             ClaimRecord{lease.token, expires, std::string(bucket) + "/" + std::string(key)}));
  lease.expires = std::chrono::system_clock::time_point(std::chrono::milliseconds(expires));
  return {};
}

void FsBucketStore::release_lease(std::string_view bucket, std::string_view key, const Lease& lease) {
  if (!lease.held) return;
  claims_->release(claim_path(leases_dir_, bucket, key), lease.token);
}

bool FsBucketStore::leased(std::string_view bucket, std::string_view key) const {
  auto holder = claims_->read(claim_path(leases_dir_, bucket, key));
  if (!holder || holder->expires_ms < now_ms()) return false;
  return !owner_gone(std::string_view(holder->token).substr(0, holder->token.rfind('/')));
}

bool FsBucketStore::stale_temp(const std::string& name, std::int64_t mtime_s) const {
  if (clock_.now_seconds() - mtime_s > kStaleAfter.count()) return true;
  std::size_t at = name.rfind('@');
  if (at == std::string::npos) return true;  // no owner: nothing running names its files so
  std::string_view owner = std::string_view(name).substr(at + 1);
  if (!parse_owner(owner)) return true;
  return owner_gone(owner);  // another live process's, or one elsewhere: only its age tells
}

void FsBucketStore::recover_claims(const fs::path& dir) const {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    claims_->remove_if_expired(it->path(), now_ms());
}

}  // namespace osslive::store
