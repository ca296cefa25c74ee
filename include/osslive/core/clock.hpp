#pragma once
// Injected time, so signing, expiry, deadlines and durations are testable without sleeping.
// now() is wall time (signatures, Last-Modified, expiry); steady() is monotonic time for
// deadlines and elapsed durations, which must not jump when the wall clock is set.
#include <chrono>
#include <cstdint>

namespace osslive {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  virtual std::chrono::steady_clock::time_point steady() const = 0;
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady() const override { return std::chrono::steady_clock::now(); }
};

// The process's SystemClock, for components whose callers inject nothing else.
inline const Clock& system_clock() {
  static const SystemClock clock;
  return clock;
}

// A clock that stays where a test puts it; advance() moves both of its times together.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t epoch_seconds) : now_(std::chrono::seconds(epoch_seconds)) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  std::chrono::steady_clock::time_point steady() const override { return steady_; }
  void set(std::int64_t epoch_seconds) { now_ = std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds)); }
  void advance(std::chrono::nanoseconds by) {
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
    steady_ += by;
  }

 private:
  std::chrono::system_clock::time_point now_;
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1)};
};

}  // namespace osslive
