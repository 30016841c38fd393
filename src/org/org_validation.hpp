// Validation of institutions against the national standards: division codes
// (GB/T 2260) for provinces, cities and counties, 10-digit school identification
// codes for schools, and the code tables for category, type, sponsor and
// urban-rural class. Failures name the field.
#pragma once

#include <optional>
#include <vector>

#include "base/result.hpp"
#include "org/institution.hpp"

namespace nemis::org {

/// Builds the institution to insert from `input` under `parent` (already loaded),
/// or returns every problem found.
Result<Institution> ValidateNewInstitution(const InstitutionInput& input,
                                           const std::optional<Institution>& parent);

/// Applies the changeable fields of `input` to `current` after checking them.
Result<Institution> ValidateInstitutionChange(const InstitutionInput& input, Institution current);

/// The level a code of this shape denotes (school for 10 digits), if any.
std::optional<OrgLevel> LevelOfCode(std::string_view code);

}  // namespace nemis::org
