#pragma once
// Injected time, so signing, expiry and Last-Modified are testable without sleeping.
#include <chrono>

namespace osslive {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stays where a test puts it.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t epoch_seconds) : now_(std::chrono::seconds(epoch_seconds)) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  void set(std::int64_t epoch_seconds) { now_ = std::chrono::system_clock::time_point(std::chrono::seconds(epoch_seconds)); }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace osslive
