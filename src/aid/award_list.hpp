// Award lists (资助名单): a school's or bureau's list of the students it awards aid, read from
// a CSV file (UTF-8 or GB18030, as spreadsheets save it) with the columns
//
//   学籍号, 姓名, 资助项目, 学年, 金额      (any order; other columns are ignored)
//
// and kept as awards (table aid_award) until they are sent to finance (award_payment.hpp).
// Every row is checked against the registry before anything is kept: the student exists in
// the caller's scope and is in school, the name is the registry's, the student has a resident
// ID (the finance department pays to the account opened under it), the programme is for the
// student's stage and the amount within its national ceiling (aid_programme.hpp), the school
// year is not past next year's, and no row repeats another's student, programme and year.
// One bad row and nothing is kept: the report names every bad row and column.
//
// Listing a student again for the same programme and year replaces the award while it is
// still only listed, and re-lists it (a new payment, a new payment id) once finance refused
// it; an award sent to finance or paid cannot change here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/date.hpp"
#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::aid {

struct AwardRowError {
  uint64_t line = 0;    // the file's line (the header is line 1)
  std::string column;   // the header's name, e.g. "学籍号"; empty: the row as a whole
  std::string message;  // says what is wrong without disclosing the registry's values
};

struct AwardListReport {
  int64_t rows = 0;      // data rows read
  int64_t added = 0;     // new awards
  int64_t replaced = 0;  // a listed award given a new amount, or a refused one re-listed
  int64_t unchanged = 0;
  std::vector<AwardRowError> errors;  // any: nothing was kept
  bool more_errors = false;           // errors beyond max_errors were found, not listed
};

struct AwardListOptions {
  std::string now;  // UTC timestamp the awards are listed at
  Date today;       // in China: the latest school year allowed is the one after today's
  size_t max_rows = 200'000;
  size_t max_errors = 200;
};

/// Keeps the awards of the list at `path` for students in `scope`, all or none. Fails
/// (kBadRequest/kInvalid) when the file cannot be read as a list: unreadable, badly encoded,
/// a required column missing (bad_header), more than max_rows rows (too_many_rows).
Result<AwardListReport> KeepAwardList(db::Database& db, const crypto::FieldCipher& cipher,
                                      const org::Scope& scope, const std::string& path,
                                      const AwardListOptions& options);

}  // namespace nemis::aid
