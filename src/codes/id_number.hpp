// Citizen identity numbers (GB 11643-1999): 6-digit address code, 8-digit birth date,
// 3-digit sequence (odd for men), ISO 7064 MOD 11-2 check character. Validation is
// allocation-free: the importer checks millions of rows and gen makes a million a second.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/date.hpp"

namespace nemis::codes {

/// The check character ('0'-'9' or 'X') for 17 digits; '\0' if `first17` is not 17 digits.
char IdCheckCharacter(std::string_view first17);

/// Why an ID number is invalid; CheckIdNumber reports the first failing check in this order.
enum class IdProblem {
  kNone,
  kLength,           // not 18 characters
  kCharacters,       // not 17 digits followed by a digit or uppercase X
  kCheckDigit,       // the 18th character does not match
  kBirthDate,        // digits 7-14 are not a calendar date (or before 1800)
  kFutureBirthDate,  // born after today
  kUnknownRegion,    // digits 1-6 are no current or retired GB/T 2260 code
  kGenderMismatch,   // the 17th digit's parity contradicts the declared gender
  // Digits 1-6 are a province's or a prefecture's code (IsAddressCode). Checked last, so
  // that J and L student numbers, which follow the ID rules but carry the code of a
  // school's city or province when it has no county, can accept it and nothing else.
  kRegionNotCounty,
};

/// Stable machine-readable code, e.g. "bad_check_digit" ("" for kNone).
std::string_view IdProblemCode(IdProblem problem);
/// A message for users, in Chinese.
std::string_view IdProblemMessage(IdProblem problem);

struct IdFacts {
  std::string_view region;  // points into the checked string
  Date birth_date;
  int gender = 0;  // 1 male, 2 female
};

/// Checks an 18-character ID number. `declared_gender` is 1 or 2 (0: not checked).
/// Fills `facts` when given and the number is valid.
IdProblem CheckIdNumber(std::string_view id, const Date& today, int declared_gender,
                        IdFacts* facts = nullptr);

/// Cleans what clerks paste from spreadsheets: trims ASCII and full-width (U+3000)
/// spaces and turns full-width digits, Ｘ/ｘ and x into ASCII 0-9 and X.
std::string NormalizeIdNumber(std::string_view text);

/// Returned by PackIdNumber for strings that are not ID-shaped.
inline constexpr uint64_t kNotIdShaped = ~uint64_t{0};

/// An exact, injective 64-bit key of an ID-shaped string (17 digits, then a digit or X),
/// for in-memory duplicate detection; kNotIdShaped otherwise. The check character is
/// not verified.
uint64_t PackIdNumber(std::string_view id18);

}  // namespace nemis::codes
