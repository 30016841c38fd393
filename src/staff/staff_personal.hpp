// A staff member's personal fields at rest: the resident ID and the name sealed together
// (crypto/field_cipher.hpp, as a student's are), and the blind index of the ID that finds
// the person's one row.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"

namespace nemis::staff {

struct StaffPersonal {
  std::string id_number, name;
  bool operator==(const StaffPersonal&) const = default;
};

/// staff.personal: the sealed fields, base64url.
std::string SealStaffPersonal(const crypto::FieldCipher& cipher, const StaffPersonal& p);
Result<StaffPersonal> OpenStaffPersonal(const crypto::FieldCipher& cipher, std::string_view stored);
/// staff.id_index: the blind index of the resident ID.
std::string StaffIdIndex(const crypto::FieldCipher& cipher, std::string_view id_number);

}  // namespace nemis::staff
