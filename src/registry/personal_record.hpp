// A student's personal data at rest (STANDARDS.md: citizen ID numbers, G numbers, which
// contain them, phones and addresses, the guardians' included). All of a record's
// personal fields are sealed together into one value (SM4-CTR + HMAC-SM3, see
// crypto/field_cipher.hpp): one IV and one tag per row instead of one per field, and one
// decryption per read. The student number and the document number also get blind
// indexes, so that lookups and the one-person-one-number checks are equality searches on
// keyed hashes: the database never holds either in clear.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "registry/student.hpp"

namespace nemis::registry {

/// Hex characters of a blind index column: HMAC-SM3 truncated to 128 bits.
inline constexpr size_t kBlindIndexChars = 32;

/// Seals the personal fields of `s` (its student number must be set) into `s.sealed`.
void SealPersonal(const crypto::FieldCipher& cipher, Student& s);

/// What the student's own citizen ID number says against the record, as stored in
/// student.id_check: 0 when it agrees or there is nothing to check, else these bits.
inline constexpr int kIdInvalid = 1;        // fails the check digit or the number's rules
inline constexpr int kIdBirthDiffers = 2;   // digits 7-14 are not the record's birth date
inline constexpr int kIdGenderDiffers = 4;  // the 17th digit's parity is not the gender
int IdCheckFlags(const Student& s);

/// Fills the personal fields of `s` from a sealed record (as stored).
Status OpenPersonal(const crypto::FieldCipher& cipher, std::string_view stored, Student& s);

/// The blind index of a student number (G, J or L), as stored in student.number_index.
std::string NumberIndex(const crypto::FieldCipher& cipher, std::string_view student_number);
/// The blind index of an identity document's number, as stored in student.id_index
/// beside its type. Normalise the number first (codes::NormalizeIdNumber for type 1).
std::string DocumentIndex(const crypto::FieldCipher& cipher, std::string_view id_number);
/// The blind index of a guardian's ID number (student.g1_index, g2_index), if it has one.
std::optional<std::string> GuardianIndex(const crypto::FieldCipher& cipher, const Guardian& g);

}  // namespace nemis::registry
