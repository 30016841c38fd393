// `nemis gen --plant-duplicates N`: second registrations of N generated students, appended
// to the roster, for testing the record-quality scan (registry/quality/). Each copy is the
// same child registered again by another school of the same type, in the same grade,
// without an identity document (a J number, as a second registration slips past the
// one-number check), in one of four forms taken in turn:
//   exact     - same name, gender and birth date;
//   homophone - one given-name character replaced by another of the same pinyin;
//   typo      - one given-name character replaced by another name character (3-character
//               names, so that the surname and one given character remain);
//   guardian  - same name and guardians, the birth date's day mistyped.
// The copy keeps the family (guardians' names and ID numbers, address, phone). The ground
// truth goes to `<roster>.planted.csv`: one line per pair with the roster lines of both
// records and how to find the copy. All of it is synthetic, like the rest of gen's data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "gen/options.hpp"
#include "gen/schools.hpp"

namespace nemis::gen {

/// The ground-truth file of a roster with planted duplicates.
std::string PlantedTruthPath(const std::string& roster_path);

/// The truth file's header row.
inline constexpr std::string_view kPlantedHeader =
    "form,original_line,copy_line,original_school,copy_school,original_id_number,copy_name,"
    "copy_birth_date,gender\n";

/// Appends `count` copies to the roster at `roster_path` (as WriteStudentsCsv wrote it for
/// `options` and `schools`) and writes the ground truth. Deterministic for the seed.
Status PlantDuplicates(const GenOptions& options, const std::vector<GenSchool>& schools,
                       uint64_t count, const std::string& roster_path);

}  // namespace nemis::gen
