#include "registry/duplicate_student.hpp"

#include "registry/personal_record.hpp"

namespace nemis::registry {
namespace {

constexpr std::string_view kFindHolder =
    "SELECT o.name, o.code, o.province_code, o.city_code, o.county_code FROM student s "
    "JOIN org o ON o.id = s.school_id WHERE s.id_type = $1 AND s.id_index = $2 AND s.id <> $3";

}  // namespace

FieldError DuplicateDocument(const org::Scope& scope, const org::Institution& school) {
  if (scope.Contains(school))
    return {"idNumber", std::string(kDuplicateStudent),
            "该身份证件号已在" + school.name + "（学校标识码 " + school.code +
                "）注册学籍，一人一号，不能重复注册"};
  return {
      "idNumber", std::string(kRegisteredElsewhere),
      "该身份证件号已在其他学校注册学籍，一人一号，不能重复注册；请联系本区县学籍主管部门核查处理重复学籍"};
}

Error DuplicateDocumentError(const org::Scope& scope, const org::Institution& school) {
  FieldError field = DuplicateDocument(scope, school);
  Error e = Error::Conflict(field.code, field.message);
  e.fields.push_back(std::move(field));
  return e;
}

Status CheckDocumentFree(db::Connection& c, const crypto::FieldCipher& cipher,
                         const org::Scope& scope, const std::optional<std::string>& id_type,
                         const std::optional<std::string>& id_number, int64_t except_student) {
  if (!id_number) return {};
  NEMIS_ASSIGN_OR_RETURN(
      auto rs, c.Query(kFindHolder, {id_type, DocumentIndex(cipher, *id_number), except_student}));
  if (rs.empty()) return {};
  const db::Row& row = rs.rows[0];
  org::Institution holder;
  holder.name = row.Text(0);
  holder.code = row.Text(1);
  holder.province_code = row.OptText(2);
  holder.city_code = row.OptText(3);
  holder.county_code = row.OptText(4);
  return DuplicateDocumentError(scope, holder);
}

}  // namespace nemis::registry
