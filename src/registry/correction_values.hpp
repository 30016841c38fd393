// What a correction of a student's protected fields changes (student_correction.hpp): each
// corrected field with its value before and after, as the API names the field. The values
// are personal data (ID numbers, names of minors): at rest they are sealed together
// (FieldCipher); wherever they are shown to someone who may not see them, masked.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "registry/student.hpp"
#include "registry/student_fields.hpp"

namespace nemis::registry {

/// The fields a correction may change, in the order they are shown.
inline constexpr StudentField kCorrectableFields[] = {
    StudentField::kName, StudentField::kGender, StudentField::kBirthDate, StudentField::kIdType,
    StudentField::kIdNumber};

struct CorrectedValue {
  StudentField field = StudentField::kName;
  std::optional<std::string> before, after;  // absent: no value (a student without an ID)
};
using CorrectedValues = std::vector<CorrectedValue>;

/// A correctable field's value in `s` (gender as its code: "1" or "2").
std::optional<std::string> CorrectableValue(const Student& s, StudentField field);
/// Sets a correctable field of `s`.
void SetCorrectableValue(Student& s, StudentField field, const std::optional<std::string>& value);

/// The correctable fields in which `after` differs from `before`.
CorrectedValues DiffCorrectable(const Student& before, const Student& after);
/// `s` with the values after the correction.
void ApplyCorrected(Student& s, const CorrectedValues& values);

/// The values sealed for storage (base64url), and opened again.
std::string SealCorrected(const crypto::FieldCipher& cipher, const CorrectedValues& values);
Result<CorrectedValues> OpenCorrected(const crypto::FieldCipher& cipher, std::string_view stored);

/// The values as a reader who may not see personal data sees them: names as a case shows
/// a name (first character, then *), document numbers masked (personal_mask.hpp).
CorrectedValues MaskCorrected(CorrectedValues values);

/// "name,idNumber": the corrected fields' API names, which say nothing personal.
std::string CorrectedFieldList(const CorrectedValues& values);

}  // namespace nemis::registry
