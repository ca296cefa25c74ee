#include "osslive/jobs/playheads.hpp"

#include <algorithm>
#include <iterator>

namespace osslive::jobs {

namespace {
constexpr std::size_t kSweepEvery = 1024;  // requests between sweeps of playlists nobody watches
}

Playheads::Playheads(std::chrono::seconds memory, std::size_t per_playlist)
    : memory_(memory), per_playlist_(std::max<std::size_t>(1, per_playlist)) {}

std::vector<std::int64_t> Playheads::request(const std::string& playlist, std::int64_t index, std::int64_t reach,
                                             Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto stale = [&](const Position& p) { return now - p.seen > memory_; };
  if (++requests_since_sweep_ >= kSweepEvery) {
    requests_since_sweep_ = 0;
    for (auto it = positions_.begin(); it != positions_.end();) {
      std::erase_if(it->second, stale);
      it = it->second.empty() ? positions_.erase(it) : std::next(it);
    }
  }
  std::vector<Position>& list = positions_[playlist];
  std::erase_if(list, stale);
  // The viewer this request most likely belongs to: the nearest position at or behind it.
  auto same = list.end();
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (it->index <= index && index <= it->index + reach && (same == list.end() || it->index > same->index)) same = it;
  }
  if (same != list.end()) {
    *same = {index, now};
  } else {
    if (list.size() >= per_playlist_) {
      list.erase(std::min_element(list.begin(), list.end(),
                                  [](const Position& a, const Position& b) { return a.seen < b.seen; }));
    }
    list.push_back({index, now});
  }
  // Positions in order; two that meet at one index are one viewer from then on.
  std::sort(list.begin(), list.end(), [](const Position& a, const Position& b) {
    return a.index != b.index ? a.index < b.index : a.seen > b.seen;
  });
  list.erase(std::unique(list.begin(), list.end(), [](const Position& a, const Position& b) { return a.index == b.index; }),
             list.end());
  std::vector<std::int64_t> out;
  out.reserve(list.size());
  for (const Position& p : list) out.push_back(p.index);
  return out;
}

}  // namespace osslive::jobs
