#pragma once
// Where the viewers of each playlist are, as far as segment requests tell: requests carry no
// viewer identity, so a request just past a known position moves that position on, and any
// other starts a new one. Prefetch keeps the work ahead of every recent position, so one viewer's
// seek does not cancel the segments another viewer is about to play.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace osslive::jobs {

class Playheads {
 public:
  using Clock = std::chrono::steady_clock;

  // A position not moved for `memory` is a viewer gone; at most `per_playlist` are kept.
  explicit Playheads(std::chrono::seconds memory = std::chrono::seconds(120), std::size_t per_playlist = 16);

  // Segment `index` of `playlist` was requested at `now`. A position p with p <= index <=
  // p + reach is the same viewer moving on; otherwise a new viewer (or a seek). Returns every
  // recent position of the playlist, this one included.
  std::vector<std::int64_t> request(const std::string& playlist, std::int64_t index, std::int64_t reach,
                                    Clock::time_point now);

 private:
  struct Position {
    std::int64_t index;
    Clock::time_point seen;
  };
  std::chrono::seconds memory_;
  std::size_t per_playlist_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Position>> positions_;
  std::size_t requests_since_sweep_ = 0;
};

}  // namespace osslive::jobs
