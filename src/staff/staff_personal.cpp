#include "staff/staff_personal.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"

namespace nemis::staff {

std::string SealStaffPersonal(const crypto::FieldCipher& cipher, const StaffPersonal& p) {
  const std::string plain = nlohmann::json{{"idNumber", p.id_number}, {"name", p.name}}.dump();
  return crypto::Base64UrlEncode(cipher.Seal(plain));
}

Result<StaffPersonal> OpenStaffPersonal(const crypto::FieldCipher& cipher,
                                        std::string_view stored) {
  NEMIS_ASSIGN_OR_RETURN(std::string sealed, crypto::Base64UrlDecode(stored));
  NEMIS_ASSIGN_OR_RETURN(std::string plain, cipher.Open(sealed));
  const nlohmann::json j = nlohmann::json::parse(plain, nullptr, false);
  if (!j.is_object() || !j.contains("idNumber") || !j["idNumber"].is_string() ||
      !j.contains("name") || !j["name"].is_string())
    return Error::Internal("staff personal record is not {idNumber, name}");
  return StaffPersonal{j["idNumber"].get<std::string>(), j["name"].get<std::string>()};
}

std::string StaffIdIndex(const crypto::FieldCipher& cipher, std::string_view id_number) {
  // Prefixed so that a staff member's index never equals a student's for the same ID.
  return cipher.BlindIndex(std::string("staff_id:").append(id_number));
}

}  // namespace nemis::staff
