// GoogleTest helpers for Result<T> and Status, so that a failure says which error came
// back (kind, code, message, fields) instead of "Value of: r.ok() Actual: false".
//
//   ASSERT_OK(store.Register(input));                 // fails printing the error
//   EXPECT_OK(status) << "while importing " << path;  // more context as usual
//   EXPECT_THAT(result, nemis::testing::IsErrorCode("unknown_school"));
//   ASSERT_THAT(result, nemis::testing::IsErrorKind(ErrorKind::kNotFound));
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "base/result.hpp"

namespace nemis {

// Printers GoogleTest finds by argument-dependent lookup: a Result shows as "ok" or as
// its error, never as the bytes of the object.
inline void PrintTo(const FieldError& f, std::ostream* os) {
  *os << f.field << ": " << f.code << " (" << f.message << ")";
}

inline void PrintTo(const Error& e, std::ostream* os) {
  *os << "error " << HttpStatus(e.kind) << " \"" << e.code << "\": " << e.message;
  for (const FieldError& f : e.fields) {
    *os << "; ";
    PrintTo(f, os);
  }
}

template <class T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  if (r.ok()) {
    *os << "ok";
  } else {
    PrintTo(r.error(), os);
  }
}

}  // namespace nemis

namespace nemis::testing {

/// Matches a Result or Status that holds a value.
MATCHER(IsOk, negation ? "is an error" : "is ok") { return arg.ok(); }

/// Matches a Result or Status that failed with this error code (e.g. "validation_failed").
MATCHER_P(IsErrorCode, code,
          std::string(negation ? "is not" : "is") + " an error with code \"" + std::string(code) +
              "\"") {
  return !arg.ok() && arg.error().code == code;
}

/// Matches a Result or Status that failed with this kind (ErrorKind::kNotFound, ...).
MATCHER_P(IsErrorKind, kind,
          std::string(negation ? "is not" : "is") + " an error answered with HTTP " +
              std::to_string(::nemis::HttpStatus(kind))) {
  return !arg.ok() && arg.error().kind == kind;
}

}  // namespace nemis::testing

/// Asserts that a Result or Status is ok; on failure prints its error. Accepts `<<`.
#define ASSERT_OK(expr) ASSERT_THAT(expr, ::nemis::testing::IsOk())
/// Expects a Result or Status to be ok; on failure prints its error. Accepts `<<`.
#define EXPECT_OK(expr) EXPECT_THAT(expr, ::nemis::testing::IsOk())
