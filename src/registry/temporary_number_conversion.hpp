// L → G (STANDARDS.md: an L number is temporary, given at first registration before the
// national duplicate check, and converted to G): a student holding an L number gets the
// formal G number (G + the resident ID) once
// - its resident ID has been checked against the population register and found 一致 with its
//   name (population_check = match, quality/population_check.hpp), and
// - no other registration of that ID exists, here (the document's unique index) or anywhere
//   else in the country (the national node's view, exchange/student_lookup.hpp, when this
//   node is a province's),
// and no approval case about the student is open (a case names the student by its number).
// The L number stays the student's (student_former_number): numbers are never reused. The
// change goes up to the national node like any other, which renumbers its copy
// (student_replica.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "org/scope.hpp"

namespace nemis::registry {

/// Where else in the country the resident ID is registered: a description for the report
/// ("44 广州市第一中学"), or nullopt when nowhere but here. Fails when it cannot be asked.
using RegisteredElsewhere =
    std::function<Result<std::optional<std::string>>(const std::string& id_number)>;

struct ConversionOptions {
  std::string now;  // UTC instant
  bool dry_run = false;
};

struct ConversionReport {
  int64_t candidates = 0;            // L students with a resident ID checked 一致
  int64_t converted = 0;             // (dry run: would be)
  int64_t registered_elsewhere = 0;  // the national node holds the ID in another province
  int64_t case_open = 0;             // an approval case about the student is open
  int64_t number_taken = 0;          // the G number is held already (a registration to merge)
  bool operator==(const ConversionReport&) const = default;
};

/// Converts the students of `scope` that qualify, each in its own transaction; `elsewhere`
/// may be empty (a node without a national node to ask). A failure of `elsewhere` stops the
/// run with what was converted so far kept; running again finishes it.
Result<ConversionReport> ConvertTemporaryNumbers(db::Database& db,
                                                 const crypto::FieldCipher& cipher,
                                                 const org::Scope& scope,
                                                 const RegisteredElsewhere& elsewhere,
                                                 const ConversionOptions& options);

}  // namespace nemis::registry
