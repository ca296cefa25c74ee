#pragma once
// Result<T>: a value or an osslive::Error. No exceptions below the API layer.
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "osslive/core/error.hpp"

namespace osslive {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace osslive

// Propagates an error from an expression returning Result<...>.
#define OSSLIVE_TRY(expr)                                   \
  do {                                                      \
    auto&& osslive_try_result_ = (expr);                    \
    if (!osslive_try_result_.ok())                          \
      return std::move(osslive_try_result_).error();        \
  } while (0)

#define OSSLIVE_CONCAT_INNER(a, b) a##b
#define OSSLIVE_CONCAT(a, b) OSSLIVE_CONCAT_INNER(a, b)
// OSSLIVE_ASSIGN(auto x, expr): binds the value or returns the error.
#define OSSLIVE_ASSIGN(lhs, expr) OSSLIVE_ASSIGN_IMPL(OSSLIVE_CONCAT(osslive_r_, __LINE__), lhs, expr)
#define OSSLIVE_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                        \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
