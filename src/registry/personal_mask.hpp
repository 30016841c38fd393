// What a caller without student.view_sensitive sees of personal data: enough to tell
// records apart and to check them against a paper file, not enough to use them.
#pragma once

#include <string>
#include <string_view>

#include "registry/student.hpp"

namespace nemis::registry {

/// 4401**********123X: the first and last four characters of an ID or other document
/// number (two each when it has fewer than 12, none when fewer than 6).
std::string MaskDocumentNumber(std::string_view number);
/// G4401**********123X: a G number holds a citizen ID. J and L numbers are returned as
/// they are: they hold no one's ID, and callers who may not see IDs still need a handle.
std::string MaskStudentNumber(std::string_view number);
/// Any student number masked like a G number, for the audit log and other records: J and
/// L numbers follow the ID's coding rules (region, birth date), and records never hold
/// anything shaped like an ID in clear.
std::string MaskStudentNumberForRecords(std::string_view number);
/// 138****5678: the first three and last four digits.
std::string MaskPhone(std::string_view phone);
/// 广东省梅州市****: the first six characters.
std::string MaskAddress(std::string_view address);

/// Masks every personal field of `s` in place.
void MaskPersonal(Student& s);

}  // namespace nemis::registry
