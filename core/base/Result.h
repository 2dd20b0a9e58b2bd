#pragma once
// Errors are values at the API edge: every fallible core function returns Result<T> (or Status), and the
// message is written for the person who will read it in a dialog or on stderr ("Dense 'fc2': ...").
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ffn {

struct Error {
  std::string message;
};

// Builds an Error from pieces: fail("node '", name, "' has no input").
template <typename... Parts>
Error fail(Parts&&... parts) {
  std::string text;
  (text.append(std::string_view(std::forward<Parts>(parts))), ...);
  return Error{std::move(text)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_state(std::move(value)) {}
  Result(Error error) : m_state(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(m_state); }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<T>(m_state); }
  const T& value() const& { assert(ok()); return std::get<T>(m_state); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(m_state)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<Error>(m_state); }
  const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : m_error(std::move(error)), m_failed(true) {}
  static Status success() { return {}; }

  bool ok() const { return !m_failed; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(m_failed); return m_error; }
  const std::string& message() const { return m_error.message; }

 private:
  Error m_error;
  bool m_failed = false;
};

}  // namespace ffn

// Propagates a failed Status/Result from the current function.
#define FFN_TRY(expr)                                  \
  do {                                                 \
    auto&& ffnTryResult_ = (expr);                     \
    if (!ffnTryResult_.ok()) return ffnTryResult_.error(); \
  } while (false)
