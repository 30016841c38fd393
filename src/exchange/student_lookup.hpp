// The national view of a student a province asks about (issue 12 §3): whether the national
// node holds a registration of an identity document or a student number anywhere in the
// country and, if so, only where it is — province, school, stage, grade, status — with the
// name masked; nothing else of the record (what a province needs to keep one person, one
// number before it registers or takes in a student; the record itself stays with its
// province). Asked by a provincial node with a signed request, answered sealed for it
// (batch_envelope.hpp) and audited on the national node.
#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "crypto/field_cipher.hpp"
#include "db/database.hpp"
#include "registry/student.hpp"

namespace nemis::exchange {

struct StudentQuery {
  std::string id_type;  // with id_number; default "1" (居民身份证)
  std::string id_number;
  std::string student_number;  // or this
};

struct NationalView {
  std::string province_code, school_code, school_name, stage, status;
  int grade = 0;
  std::string masked_name;  // the first character, then a * for each other (registry::MaskName)
  bool operator==(const NationalView&) const = default;
};

/// "validation_failed" naming the field when the query names neither a document nor a number.
Result<std::optional<NationalView>> LookUpStudent(db::Database& db,
                                                  const crypto::FieldCipher& cipher,
                                                  const StudentQuery& query);

/// The national view of a student this node holds (or a record it keeps sealed), its grade
/// now as of its school's promotions.
Result<NationalView> NationalViewOf(db::Connection& c, const registry::Student& s);

}  // namespace nemis::exchange
