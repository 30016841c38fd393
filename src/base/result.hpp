// Expected failures as values: Result<T> holds either a T or an Error that names
// what went wrong (stable code, message, offending fields) and maps to an HTTP status.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace nemis {

/// The class of failure; each maps to one HTTP status (see HttpStatus).
enum class ErrorKind {
  kBadRequest,          // 400 malformed request
  kUnauthenticated,     // 401
  kForbidden,           // 403
  kNotFound,            // 404 unknown or out of scope
  kConflict,            // 409
  kPreconditionFailed,  // 412 If-Match mismatch
  kTooLarge,            // 413
  kInvalid,             // 422 well-formed but invalid data
  kThrottled,           // 429
  kUnavailable,         // 503 store unavailable
  kInternal,            // 500
};

int HttpStatus(ErrorKind kind);

/// One invalid field: `field` uses the API's camelCase name.
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // stable machine-readable code, e.g. "validation_failed"
  std::string message;  // human-readable (Chinese for user-facing errors)
  std::vector<FieldError> fields;

  static Error Invalid(std::vector<FieldError> fields, std::string message = "数据校验未通过");
  static Error NotFound(std::string message = "记录不存在");
  static Error Conflict(std::string code, std::string message);
  /// 422 for a request a business rule refuses, with its stable code (no field to name).
  static Error Refused(std::string code, std::string message);
  static Error BadRequest(std::string code, std::string message);
  static Error Internal(std::string message);
  static Error Unavailable(std::string message);
  static Error PreconditionFailed(std::string message = "记录已被修改，请刷新后重试");
  static Error Unauthenticated(std::string code = "unauthenticated",
                               std::string message = "请先登录");
  static Error Forbidden(std::string message = "没有执行此操作的权限");
  static Error Throttled(std::string message);
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace nemis

/// Returns the error of `expr` (a Result) from the enclosing function.
#define NEMIS_TRY(expr)                                                                         \
  do {                                                                                          \
    if (auto nemis_try_r_ = (expr); !nemis_try_r_.ok()) return std::move(nemis_try_r_).error(); \
  } while (0)

#define NEMIS_CONCAT_INNER(a, b) a##b
#define NEMIS_CONCAT(a, b) NEMIS_CONCAT_INNER(a, b)
/// `NEMIS_ASSIGN_OR_RETURN(auto x, F())`: binds the value or returns the error.
#define NEMIS_ASSIGN_OR_RETURN(lhs, expr)                       \
  auto NEMIS_CONCAT(nemis_r_, __LINE__) = (expr);               \
  if (!NEMIS_CONCAT(nemis_r_, __LINE__).ok())                   \
    return std::move(NEMIS_CONCAT(nemis_r_, __LINE__)).error(); \
  lhs = std::move(NEMIS_CONCAT(nemis_r_, __LINE__)).value()  // NOLINT(bugprone-macro-parentheses)
